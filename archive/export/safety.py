"""Formula neutralisation: no exported cell is ever run as a formula by spreadsheet software.

Excel, LibreOffice and Google Sheets treat a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula,
and some also after a leading tab or carriage return ("CSV injection"). Posts are written by strangers and
a post or a code name such as ``=HYPERLINK("http://...")`` would run when a researcher opens the file. So a
text cell that begins with one of those six characters gets an apostrophe in front (``'=HYPERLINK(...)``),
which every spreadsheet shows as text. A cell that is a plain decimal number (``-0.25``, ``-3``, ``-1e-05``)
is left alone: spreadsheets read it as that number, never as a formula, and statistics such as a negative
alpha must stay numbers.
"""

from __future__ import annotations

import re

TRIGGERS = frozenset("=+-@\t\r")
MARK = "'"
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def neutralise(cell: str) -> str:
    """The cell as written: prefixed with an apostrophe when a spreadsheet could run it as a formula."""
    if cell[:1] in TRIGGERS and not _NUMBER.fullmatch(cell):
        return MARK + cell
    return cell


def restore(cell: str) -> str:
    """A cell read back from a file we may have neutralised: the apostrophe ``neutralise`` added, taken off.

    The one ambiguity, by definition: a text that itself began with an apostrophe and then one of the six
    characters (``'=x``) is read back without that apostrophe, as ``neutralise`` would have written ``=x``.
    """
    if cell[:1] == MARK and neutralise(cell[1:]) == cell:
        return cell[1:]
    return cell
