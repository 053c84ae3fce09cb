"""What the current search found, counted: top hashtags, authors, languages, codes and days, as filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

if TYPE_CHECKING:  # Whoosh loads with the first search, not with the window
    from index.facets import Facets

TermRole = Qt.ItemDataRole.UserRole + 1
GROUPS = (
    ("hashtags", "Hashtags"),
    ("authors", "Authors"),
    ("languages", "Languages"),
    ("codes", "Codes"),
    ("days", "Days"),
)


def filter_term(group: str, value: str) -> str:
    """The query condition that keeps only posts with this facet value."""
    quoted = f'"{value}"' if any(c.isspace() or c in '():"' for c in value) else value
    return {
        "hashtags": f"#{value}",
        "authors": f"author:{quoted}",
        "languages": f"lang:{value}",
        "codes": f"code:{quoted}",
        "days": f"date:{value}",
    }[group]


class FacetsPanel(QWidget):
    """Facet values with their counts; double-click (or Enter) narrows the search to one.

    Signals:
        filter_chosen(str): the query condition for the chosen value, e.g. ``#MeToo``.
    """

    filter_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Value", "Posts"])
        self.tree.setRootIsDecorated(True)
        # The counts stay in view at any panel width: a fixed-width value column pushed the right-aligned
        # counts past the edge of a narrow panel, behind a horizontal scroll bar.
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._on_activated)
        hint = QLabel("Double-click a value to narrow the search to it.", self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(hint)
        layout.addWidget(self.tree, 1)

    def show_facets(self, facets: Facets | None) -> None:
        self.tree.clear()
        if facets is None:
            return
        values = facets.as_dict()
        for group, title in GROUPS:
            found = values[group]
            if not found:
                continue
            shown = found[-31:] if group == "days" else found  # the last month of days; the rest by search
            parent = QTreeWidgetItem(self.tree, [title, ""])
            for value, count in shown:
                item = QTreeWidgetItem(parent, [value, f"{count:,}"])
                item.setData(0, TermRole, filter_term(group, value))
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            parent.setExpanded(group != "days")

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        term = item.data(0, TermRole)
        if term:
            self.filter_chosen.emit(term)
