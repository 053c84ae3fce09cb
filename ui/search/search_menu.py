"""The search bar's drop-down: recent searches, saved searches, and saving or deleting one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from app.search_run import SORT_LABELS
from ui.search.search_history import RecentSearch

if TYPE_CHECKING:  # index.saved loads Whoosh, which the window loads with the first search
    from index.saved import SavedSearch

LONGEST = 70  # characters of a query shown in the menu; the tooltip has all of it


def menu_text(text: str) -> str:
    """``text`` as a menu entry: cut to a readable length, and ``&`` shown rather than taken as a shortcut mark."""
    shown = text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"
    return shown.replace("&", "&&")


def search_tip(query: str, sort: str) -> str:
    return f"{query}\n{SORT_LABELS.get(sort, sort)}"


class SearchMenu(QMenu):
    """Lists what it is given by ``fill`` (the controller fills it each time it opens) and says what was picked.

    Signals:
        search_chosen(str, str): a recent or saved search was picked: its query and sort.
        save_requested(): "Save search…".
        delete_requested(str): the name of a saved search to delete.
        clear_requested(): "Clear recent searches".
    """

    search_chosen = Signal(str, str)
    save_requested = Signal()
    delete_requested = Signal(str)
    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTipsVisible(True)
        self.save_action: QAction | None = None
        self.clear_action: QAction | None = None
        # Made once: QMenu.clear() deletes actions but not a submenu made by addMenu(title).
        self.delete_menu = QMenu("Delete a saved search", self)
        self.delete_menu.setToolTipsVisible(True)

    def fill(
        self,
        recent: Sequence[RecentSearch],
        saved: Sequence[SavedSearch],
        *,
        save_hint: str | None,
        saved_problem: str = "",
        writable: bool = True,
    ) -> None:
        """List ``recent`` and ``saved``; ``save_hint`` is None when saving is possible, else why it is not."""
        self.clear()
        self._recent(recent)
        self._saved(saved, saved_problem)
        self.addSeparator()
        self.save_action = self._action(
            "Save search…", self.save_requested.emit, tip=save_hint or "Keep this search in the project under a name"
        )
        self.save_action.setEnabled(save_hint is None)
        self.delete_menu.clear()
        self.addMenu(self.delete_menu)
        for entry in saved:
            self._action(
                menu_text(entry.name),
                partial(self.delete_requested.emit, entry.name),
                tip=search_tip(entry.query, entry.sort),
                menu=self.delete_menu,
            )
        self.delete_menu.setEnabled(bool(saved) and writable)

    def _recent(self, recent: Sequence[RecentSearch]) -> None:
        self.addSection("Recent searches")
        if not recent:
            self._action("No searches run in this project yet", None)
        for entry in recent:
            self._action(
                menu_text(entry.query),
                partial(self.search_chosen.emit, entry.query, entry.sort),
                tip=search_tip(entry.query, entry.sort),
            )
        self.clear_action = self._action("Clear recent searches", self.clear_requested.emit)
        self.clear_action.setEnabled(bool(recent))

    def _saved(self, saved: Sequence[SavedSearch], problem: str) -> None:
        self.addSection("Saved searches")
        if problem:
            self._action(menu_text(problem), None, tip=problem)
        elif not saved:
            self._action("None saved yet (saved searches are shared through the project)", None)
        for entry in saved:
            self._action(
                menu_text(entry.name),
                partial(self.search_chosen.emit, entry.query, entry.sort),
                tip=search_tip(entry.query, entry.sort),
            )

    def _action(
        self, text: str, slot: Callable[[], object] | None, *, tip: str = "", menu: QMenu | None = None
    ) -> QAction:
        """An entry of ``menu`` (this one by default) calling ``slot``; without a slot it is a greyed note."""
        action = (menu or self).addAction(text)
        assert action is not None  # addAction(text) always makes one
        if tip:
            action.setToolTip(tip)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        else:
            action.setEnabled(False)
        return action
