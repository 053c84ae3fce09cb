"""Exporting coded data from the window: the export dialog."""
