"""Importing archives: sources, records read from them, batches prepared as store rows, the batch writer."""
