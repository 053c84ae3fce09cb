"""Which export shapes are meant to be opened in a spreadsheet, and so have formula cells neutralised by default.

Neutralising puts an apostrophe before a cell that begins with = + - @ (or a tab or carriage return), so
Excel or LibreOffice shows it as text instead of running it. That protects a researcher who opens a report
in a spreadsheet, and damages data meant for R, SPSS, Stata or pandas, which run nothing: most replies
begin with ``@``. So the shapes made for reading are neutralised unless asked otherwise, and the shapes
made for analysis are written as they are unless asked otherwise.
"""

from __future__ import annotations

READ_IN_SPREADSHEETS = frozenset(
    {"report", "pairwise", "rounds", "completion", "disagreements", "gold", "gold_audit", "memos"}
)


def neutralise_by_default(shape: str) -> bool:
    """Whether ``shape`` is neutralised when the researcher does not say."""
    return shape in READ_IN_SPREADSHEETS
