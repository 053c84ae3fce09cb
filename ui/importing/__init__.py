"""Importing archives from the window: the import dialog, its plan and report models, the CSV column mapping."""
