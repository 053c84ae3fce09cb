"""Exports of a project's coded data: reliability shapes, adjudication files, the dataset, REFI-QDA."""

from archive.export.context import ExportResult
from archive.export.errors import ExportError
from archive.export.jobs import SHAPES, export, export_job
from archive.export.options import DATASET_COLUMNS, MEMO_COLUMNS, MISSING_TOKENS, POST_COLUMNS, ExportOptions
from archive.export.privacy import Pseudonyms, ensure_pseudonym_salt, pseudonym_salt
from archive.export.safety import neutralise

__all__ = [
    "DATASET_COLUMNS",
    "MEMO_COLUMNS",
    "MISSING_TOKENS",
    "POST_COLUMNS",
    "SHAPES",
    "ExportError",
    "ExportOptions",
    "ExportResult",
    "Pseudonyms",
    "ensure_pseudonym_salt",
    "export",
    "export_job",
    "neutralise",
    "pseudonym_salt",
]
