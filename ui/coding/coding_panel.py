"""The coding panel: the current coder, the codebook as a checkable tree with shortcuts, the memo, and "done"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.coding_session import CodingSession, PostCoding
from archive.coding.codebook import Code
from archive.coding.coders import Coder
from archive.coding.status import PostStatus
from archive.coding.undo import ActionResult
from archive.errors import ThreadcoderError
from ui.coding.code_delegate import CodeDelegate
from ui.coding.codebook_model import CodebookModel, CodeRole, Column, describe

# Keys the app itself uses; a code given one of them in the codebook gets no shortcut here.
RESERVED_KEYS = {
    "Ctrl+Return",
    "Ctrl+Shift+Return",
    "Ctrl+Down",
    "Ctrl+Up",
    "Ctrl+Shift+Down",
    "Ctrl+Shift+Up",
    "Ctrl+Z",
    "Ctrl+Shift+Z",
    "Ctrl+Y",
    "Ctrl+M",
    "Ctrl+F",
    "Ctrl+I",
    "Ctrl+O",
    "Ctrl+N",
    "Ctrl+W",
    "Ctrl+Q",
    "Space",
    "Backspace",
    "Return",
    "Up",
    "Down",
    "Left",
    "Right",
}
STATUS_WORDS = {
    PostStatus.NOT_CODED: "Not coded yet",
    PostStatus.IN_PROGRESS: "In progress (not marked as coded)",
    PostStatus.CODED: "Coded",
    PostStatus.NO_CODE_APPLIES: "Coded: no code applies",
}


class MemoEdit(QPlainTextEdit):
    """The memo box; it says when it loses focus, so the memo is saved without a Save button."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class CodingPanel(QWidget):
    """Codes the post it is given (``set_post``) as the session's coder; every action is one core transaction.

    Signals:
        changed(object): an action changed the coding of these post ids (tuple); the window refreshes.
        advance_requested(bool): go to the next (True) or previous (False) post this coder has not coded.
        coder_chosen(int): the user switched to this coder id.
        add_coder_requested(): the user wants to add a coder.
        failed(str): an action was refused; the message says why.
    """

    changed = Signal(object)
    advance_requested = Signal(bool)
    coder_chosen = Signal(int)
    add_coder_requested = Signal()
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: CodingSession | None = None
        self.read_only = False
        self.post_id: str | None = None
        self.state: PostCoding | None = None
        self.model = CodebookModel(self)
        self.coders = QComboBox(self)
        self.blind_label = _small_label(self)
        self.target_label = QLabel(self)
        self.target_label.setWordWrap(True)
        self.target_label.setTextFormat(Qt.TextFormat.PlainText)  # handles and posts are written by others
        self.target_label.setAccessibleName("Post being coded")
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.tree = QTreeView(self)
        self.definition = _small_label(self)
        self.memo = MemoEdit(self)
        self.other_memos = _small_label(self)
        self.done_button = QPushButton("Mark as coded, next  (Ctrl+Enter)", self)
        self.none_button = QPushButton("No code applies, next  (Ctrl+Shift+Enter)", self)
        self.previous_button = QPushButton("◀ Previous uncoded", self)
        self.next_button = QPushButton("Next uncoded ▶", self)
        self._shortcuts: list[QShortcut] = []
        self.skipped_keys: list[str] = []
        self._build()
        self.set_session(None, [])

    # What the panel works on ----------------------------------------------------------------------------------

    def set_session(self, session: CodingSession | None, coders: list[Coder]) -> None:
        """Code as ``session``'s coder (None: nobody can code yet, e.g. no coder or a read-only project)."""
        self.save_memo()
        self.session = session
        self.coders.blockSignals(True)
        self.coders.clear()
        for coder in coders:
            self.coders.addItem(coder.name if not coder.full_name else f"{coder.name} ({coder.full_name})", coder.id)
        self.coders.setCurrentIndex(self.coders.findData(session.coder_id) if session is not None else -1)
        self.coders.blockSignals(False)
        if session is not None:
            self.model.load(session.codes())
            self.tree.expandAll()
            self._bind_shortcuts()
        self.blind_label.setText(session.blind_text() if session is not None else "")
        self.set_post(self.post_id)

    def reload_codebook(self) -> None:
        if self.session is not None:
            self.model.load(self.session.codes())
            self.tree.expandAll()
            self._bind_shortcuts()
            self.set_post(self.post_id)

    def set_post(self, post_id: str | None) -> None:
        """Show the coding of ``post_id`` (the thread view's current post) for the current coder."""
        if post_id != self.post_id:
            self.save_memo()
        self.post_id = post_id
        self.state = self.session.state(post_id) if self.session is not None and post_id else None
        self._show_state()

    # Actions (also called by the window's menus and by tests) ---------------------------------------------------

    def choose(self, code: Code) -> bool:
        """Tick or untick ``code`` on the current post; a variable's value replaces the coder's other value."""
        return self._act(lambda s, p: s.choose(p, code))

    def mark_done(self, advance: bool = True) -> bool:
        done = self._act(lambda s, p: s.mark_done(p))
        if done and advance:
            self.advance_requested.emit(True)
        return done

    def no_code_applies(self, advance: bool = True) -> bool:
        done = self._act(lambda s, p: s.no_code_applies(p))
        if done and advance:
            self.advance_requested.emit(True)
        return done

    def save_memo(self) -> None:
        """Save the memo box if it differs from the stored memo (on leaving it, or the post)."""
        if self.session is None or self.state is None or not self.state.codable:
            return
        stored = self.state.memo.text if self.state.memo else ""
        if self.memo.toPlainText().strip() != stored:
            self._act(lambda s, p: s.save_memo(p, self.memo.toPlainText()))

    def _act(self, do: Callable[[CodingSession, str], ActionResult | bool]) -> bool:
        session, post_id = self.session, self.post_id
        if session is None or post_id is None or self.state is None or not self.state.codable:
            return False
        try:
            result = do(session, post_id)
        except ThreadcoderError as error:
            self.failed.emit(str(error))
            return False
        self.state = session.state(post_id)
        self._show_state()
        posts = result.posts if isinstance(result, ActionResult) else (post_id,)
        self.changed.emit(tuple(posts) or (post_id,))
        return True

    # Layout and display ------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(CodeDelegate(self.tree))
        self.tree.setUniformRowHeights(True)  # codes with and without a colour swatch line up
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(Column.KEY, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setAccessibleName("Codebook")
        self.model.choose_requested.connect(self.choose)
        self.tree.selectionModel().currentChanged.connect(lambda current, _old: self._show_definition(current))
        self.coders.activated.connect(lambda i: self.coder_chosen.emit(int(self.coders.itemData(i))))
        self.memo.setPlaceholderText("Your memo on this post (saved when you leave the box or the post)")
        self.memo.setMaximumHeight(90)
        self.memo.left.connect(self.save_memo)
        # clicked passes a "checked" flag, which must not reach the methods' ``advance`` parameter
        self.done_button.clicked.connect(lambda: self.mark_done())  # noqa: PLW0108
        self.none_button.clicked.connect(lambda: self.no_code_applies())  # noqa: PLW0108
        self.previous_button.clicked.connect(lambda: self.advance_requested.emit(False))
        self.next_button.clicked.connect(lambda: self.advance_requested.emit(True))
        add = QPushButton("Add coder…", self)
        add.clicked.connect(self.add_coder_requested.emit)
        coder_row = QHBoxLayout()
        coder_row.addWidget(QLabel("Coder:", self))
        coder_row.addWidget(self.coders, 1)
        coder_row.addWidget(add)
        buttons = QGridLayout()
        buttons.addWidget(self.done_button, 0, 0, 1, 2)
        buttons.addWidget(self.none_button, 1, 0, 1, 2)
        buttons.addWidget(self.previous_button, 2, 0)
        buttons.addWidget(self.next_button, 2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(coder_row)
        layout.addWidget(self.blind_label)
        layout.addWidget(self.target_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.definition)
        layout.addWidget(QLabel("Memo", self))
        layout.addWidget(self.memo)
        layout.addWidget(self.other_memos)
        layout.addLayout(buttons)

    def _bind_shortcuts(self) -> None:
        """One shortcut per code that has one; keys the app uses itself are skipped (and listed)."""
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._shortcuts, self.skipped_keys = [], []
        for code in self.model.codes():
            if not code.shortcut:
                continue
            keys = QKeySequence(code.shortcut)
            if keys.isEmpty() or keys.toString() in RESERVED_KEYS:
                self.skipped_keys.append(code.shortcut)
                continue
            shortcut = QShortcut(keys, self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda c=code: self.choose(c))
            self._shortcuts.append(shortcut)

    def _show_state(self) -> None:
        state = self.state
        codable = state is not None and state.codable and self.session is not None
        self.model.set_applied(state.applied if state is not None else frozenset(), enabled=codable)
        for widget in (self.memo, self.done_button, self.none_button):
            widget.setEnabled(codable)
        for shortcut in self._shortcuts:
            shortcut.setEnabled(codable)
        self.memo.blockSignals(True)
        self.memo.setPlainText(state.memo.text if state is not None and state.memo else "")
        self.memo.blockSignals(False)
        self.status_label.setText(self._status_text())
        self.target_label.setText(f"Coding: {state.heading}" if state is not None and state.heading else "")
        self.target_label.setVisible(bool(self.target_label.text()))
        ready = self.session is not None and self.model.rowCount() > 0
        self.tree.setVisible(ready)
        self.definition.setVisible(ready)
        others = state.other_memos if state is not None else ()
        self.other_memos.setText("\n".join(f"{m.coder}: {m.text}" for m in others))
        self.other_memos.setVisible(bool(others))

    def _status_text(self) -> str:
        if self.session is None:
            if self.read_only:
                return "Coding is off: this project is open read-only."
            if self.coders.count() == 0:
                return (
                    "<b>To code, add yourself as a coder</b> (Add coder…). Every code you apply is kept "
                    "under your name."
                )
            return "<b>Choose who you are</b> in the Coder list above, or add yourself."
        if self.model.rowCount() == 0:
            return (
                "<b>The codebook is empty.</b> Use Coding › Load Starter Codebook, or Coding › Import "
                "Codebook… for a JSON, CSV or REFI-QDA (.qdc) codebook."
            )
        state = self.state
        if state is None:
            return "Select a post to code it."
        if not state.codable:
            return state.reason
        text = f"<b>{STATUS_WORDS[state.status]}</b>"
        if state.spans:
            text += f" · {state.spans} coded passage" + ("s" if state.spans > 1 else "")
        if state.others:
            text += "<br>" + ", ".join(f"{coder}: {STATUS_WORDS[s].lower()}" for coder, s in state.others.items())
        return text

    def _show_definition(self, current: QModelIndex) -> None:
        code = current.data(CodeRole) if current.isValid() else None
        self.definition.setText(describe(code) if code is not None else "")


def _small_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5f6368;")
    return label
