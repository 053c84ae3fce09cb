"""The search bar: a query in the search language, the order of results, recent and saved searches, what was found."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.search_run import SORT_LABELS
from ui.search.search_menu import SearchMenu

PLACEHOLDER = 'Search: words, "a phrase", #hashtag, @handle, lang:en, date:2017-10-15..2017-10-20, code:"Not all men"'


def last_word(text: str, cursor: int) -> tuple[int, str]:
    """Where the word before ``cursor`` starts, and the word (a quoted value counts as one word)."""
    start = cursor
    quoted = text[:cursor].count('"') % 2 == 1
    while start > 0 and (quoted or not text[start - 1].isspace()):
        start -= 1
        if quoted and text[start] == '"' and text[:start].count('"') % 2 == 0:
            quoted = False
    return start, text[start:cursor]


class QueryEdit(QLineEdit):
    """A line edit that completes the word being typed (hashtags, handles, codes), not the whole line."""

    escaped = Signal()
    history_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = QStringListModel(self)
        self.completer_ = QCompleter(self.words, self)
        self.completer_.setWidget(self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer_.activated.connect(self.insert_completion)
        self.textEdited.connect(self._complete)

    def set_words(self, words: list[str]) -> None:
        self.words.setStringList(sorted(set(words), key=str.casefold))

    def insert_completion(self, word: str) -> None:
        start, _ = last_word(self.text(), self.cursorPosition())
        text = self.text()
        cursor = self.cursorPosition()
        self.setText(text[:start] + word + " " + text[cursor:])
        self.setCursorPosition(start + len(word) + 1)

    def _popup(self) -> QAbstractItemView:
        popup = self.completer_.popup()
        assert popup is not None  # a QCompleter always makes its popup
        return popup

    def _complete(self, text: str) -> None:
        _, word = last_word(text, self.cursorPosition())
        if len(word) < 2:
            self._popup().hide()
            return
        self.completer_.setCompletionPrefix(word)
        if self.completer_.completionCount():
            self.completer_.complete()
        else:
            self._popup().hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self._popup()
        if popup.isVisible() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            index = popup.currentIndex()
            if index.isValid():
                self.insert_completion(str(index.data()))
            popup.hide()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        if (
            event.key() == Qt.Key.Key_Down
            and not popup.isVisible()
            and (not self.text() or event.modifiers() & Qt.KeyboardModifier.AltModifier)
        ):
            self.history_requested.emit()  # like a browser's address bar: Down in an empty field shows history
            return
        super().keyPressEvent(event)


class SearchBar(QWidget):
    """Enter runs the search, Escape (or Clear) lists every post again; the drop-down offers earlier searches.

    Signals:
        search_requested(str, str): the query and the sort (relevance, -date or date).
        cleared(): back to every post.
    """

    search_requested = Signal(str, str)
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QueryEdit(self)
        self.edit.setPlaceholderText(PLACEHOLDER)
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName("Search")
        self.sort = QComboBox(self)
        for name, label in SORT_LABELS.items():
            self.sort.addItem(label, name)
        self.menu = SearchMenu(self)
        self.menu_button = self._make_menu_button()
        self.clear_button = QPushButton("Show all posts", self)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.menu_button)
        row.addWidget(self.sort)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.result)
        self.edit.returnPressed.connect(self.run)
        self.edit.escaped.connect(self.clear)
        self.edit.history_requested.connect(self.show_menu)
        self.menu.search_chosen.connect(self.run_query)
        self.sort.activated.connect(lambda _i: self.run() if self.edit.text().strip() else None)
        self.clear_button.clicked.connect(self.clear)
        self.clear_button.setEnabled(False)
        self.result.hide()

    def run(self) -> None:
        query = self.edit.text().strip()
        if not query:
            self.clear()
            return
        self.search_requested.emit(query, str(self.sort.currentData()))

    def run_query(self, query: str, sort: str) -> None:
        """Put ``query`` in the bar with its order, and run it (a recent or saved search was picked)."""
        self.edit.setText(query)
        index = self.sort.findData(sort)
        if index >= 0:
            self.sort.setCurrentIndex(index)
        self.run()

    def show_menu(self) -> None:
        """Open the drop-down under the field without waiting for it to close (QToolButton.showMenu would)."""
        self.menu.popup(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))

    def _make_menu_button(self) -> QToolButton:
        button = QToolButton(self)
        button.setText("Searches ▾")
        button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")  # the ▾ says it already
        button.setToolTip("Recent and saved searches (Down in an empty search field, or Alt+Down)")
        button.setAccessibleName("Recent and saved searches")
        button.setMenu(self.menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        return button

    def add_filter(self, term: str) -> None:
        """Narrow the current search by one more condition (a clicked facet) and run it."""
        query = self.edit.text().strip()
        if term not in query.split():
            self.edit.setText(f"{query} {term}".strip())
        self.run()

    def clear(self) -> None:
        self.edit.clear()
        self.show_result("", error=False)
        self.clear_button.setEnabled(False)
        self.cleared.emit()

    def show_result(self, text: str, *, error: bool) -> None:
        self.result.setText(text)
        self.result.setStyleSheet("color: #b3261e;" if error else "color: #5f6368;")
        self.result.setVisible(bool(text))
        self.clear_button.setEnabled(bool(self.edit.text().strip()))
