"""The thread pane: the selected post in its conversation, as a tree the keyboard can walk."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeView, QVBoxLayout, QWidget

from app.bidi import isolate, when
from app.status_text import counted
from app.thread_data import ThreadReader
from ui.reading.post_delegate import PostDelegate
from ui.reading.thread_model import PostIdRole, PostRole, ThreadModel

# A thread up to this many posts opens fully expanded; a bigger one shows the path to the post and
# loads the rest as branches are opened. (At 300, laying out that many rich-text rows at once held the
# window 58-83 ms in bench_gui's next-post steps on 1M posts.)
EXPAND_ALL_UP_TO = 100


class ThreadTree(QTreeView):
    """A tree of variable-height rows that are laid out again when the width changes (text re-wraps)."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.doItemsLayout()


class ThreadView(QWidget):
    """Shows one thread; the arrow keys move between posts, Left and Right fold and unfold replies.

    Signals:
        post_selected(str): the id of the post now current in the thread (the coding panel follows it).
    """

    post_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel("Select a post to read its thread.", self)
        self.header.setWordWrap(True)
        self.header.setContentsMargins(6, 4, 6, 4)
        self.tree = ThreadTree(self)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # A scroll bar that came and went with the thread's length changed the rows' width, and every row
        # was laid out again (bench_gui: a 54 ms stall moving from a short thread to a long one).
        self.tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.tree.setItemDelegate(PostDelegate(self.tree))
        # The delegate marks the current post itself; a highlight over the branch lines would only be noise.
        self.tree.setStyleSheet("QTreeView { show-decoration-selected: 0; }")
        self.tree.setAccessibleName("Thread")
        self.model: ThreadModel | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.tree, 1)
        back = QShortcut(QKeySequence("Backspace"), self.tree)
        back.activated.connect(self.show_opened_post)

    def set_reader(self, reader: ThreadReader | None) -> None:
        """Read threads through ``reader`` (on the window's connection), or show nothing when None."""
        old = self.model
        self.model = ThreadModel(reader, self) if reader is not None else None
        self.tree.setModel(self.model)
        if self.model is not None:
            self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        if old is not None:
            old.deleteLater()
        self.header.setText("Select a post to read its thread.")

    def show_post(self, post_id: str | None) -> None:
        """Show the thread of ``post_id``, opened down to it, with the post selected."""
        if self.model is None:
            return
        focus = self.model.show_post(post_id)
        self._describe(post_id)
        if not focus.isValid():
            return
        self._expand(focus)
        self.tree.setCurrentIndex(focus)
        self.tree.scrollTo(focus, QAbstractItemView.ScrollHint.PositionAtCenter)

    def show_opened_post(self) -> None:
        """Go back to the post the thread was opened on (Backspace)."""
        if self.model is not None:
            index = self.model.focus_index()
            if index.isValid():
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)

    def current_post_id(self) -> str | None:
        index = self.tree.currentIndex()
        return index.data(PostIdRole) if index.isValid() else None

    def _expand(self, focus: QModelIndex) -> None:
        assert self.model is not None
        parent = focus.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        if self.model.root_id and self.model.thread_size()[0] <= EXPAND_ALL_UP_TO:
            self._expand_all(self.model.index(0, 0))
        else:  # a big thread opens around the post: its ancestors, and its first replies (a page at a time)
            self.tree.expand(focus)

    def _expand_all(self, index: QModelIndex) -> None:
        """Load every reply under ``index``, then open them all in one call: expanding node by node laid
        the tree out again each time (78 ms for a thread of a few hundred posts)."""
        assert self.model is not None
        pending = [index]
        while pending:
            current = pending.pop()
            while self.model.canFetchMore(current):
                self.model.fetchMore(current)
            pending.extend(self.model.index(row, 0, current) for row in range(self.model.rowCount(current)))
        self.tree.expandRecursively(index)

    def _describe(self, asked: str | None) -> None:
        assert self.model is not None
        plan = self.model.plan
        if plan is None or self.model.root_id is None:
            self.header.setText(
                "Select a post to read its thread." if asked is None else "This post is not in the project."
            )
            return
        total, missing = self.model.thread_size()
        root = plan.path[0]
        text = f"<b>Thread of {counted(total, 'post')}</b>"
        if missing:
            text += f" ({missing:,} not collected)"
        if not root.placeholder:
            starter = html.escape(isolate(f"@{root.handle}")) if root.handle else "an unknown author"
            text += f" · started by {starter} on {when(root.created_at)}"
        if plan.reposted_by is not None:
            who = html.escape(isolate(f"@{plan.reposted_by.handle}")) if plan.reposted_by.handle else "someone"
            on = when(plan.reposted_by.created_at)
            text += f"<br>↻ {who} reposted this post on {on}; the original's conversation is shown."
        self.header.setText(text)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        post = current.data(PostRole) if current.isValid() else None
        if post is not None:
            self.post_selected.emit(post.id)
