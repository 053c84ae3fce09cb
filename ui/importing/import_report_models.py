"""The import report as two tables: what each input gave, and every record that was not imported."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar

from app.import_run import ImportProblem, ImportReport, summary_row
from ui.common.record_table_model import RecordTableModel


class SummaryColumn(IntEnum):
    FILE = 0
    FORMAT = 1
    STATUS = 2
    NEW = 3
    UPDATED = 4
    DUPLICATES = 5
    SKIPPED = 6
    CONTEXT = 7
    PLACEHOLDERS = 8
    DELETIONS = 9
    NOTE = 10


SUMMARY_HEADERS = {
    SummaryColumn.FILE: "File",
    SummaryColumn.FORMAT: "Format",
    SummaryColumn.STATUS: "Status",
    SummaryColumn.NEW: "New",
    SummaryColumn.UPDATED: "Updated",
    SummaryColumn.DUPLICATES: "Duplicates",
    SummaryColumn.SKIPPED: "Skipped",
    SummaryColumn.CONTEXT: "Context",
    SummaryColumn.PLACEHOLDERS: "Placeholders",
    SummaryColumn.DELETIONS: "Deletions",
    SummaryColumn.NOTE: "Note",
}


class ErrorColumn(IntEnum):
    FILE = 0
    LINE = 1
    LOCATOR = 2
    REASON = 3
    EXCERPT = 4


ERROR_HEADERS = {
    ErrorColumn.FILE: "File",
    ErrorColumn.LINE: "Line",
    ErrorColumn.LOCATOR: "Where in the record",
    ErrorColumn.REASON: "Reason",
    ErrorColumn.EXCERPT: "Excerpt",
}


class ImportSummaryModel(RecordTableModel):
    """One row per input: format, status and counts."""

    headers: ClassVar[dict[Any, str]] = SUMMARY_HEADERS

    def __init__(self, report: ImportReport, parent: Any = None) -> None:
        super().__init__([summary_row(summary) for summary in report.files], parent)

    def cell(self, row: dict[str, Any], column: int) -> Any:
        return row[SummaryColumn(column).name.lower()]


class ImportErrorsModel(RecordTableModel):
    """One row per record (or whole file) that was not imported."""

    headers: ClassVar[dict[Any, str]] = ERROR_HEADERS

    def __init__(self, report: ImportReport, parent: Any = None) -> None:
        super().__init__(report.errors, parent)

    def cell(self, row: ImportProblem, column: int) -> Any:
        value = getattr(row, ErrorColumn(column).name.lower())
        return "" if value is None else value
