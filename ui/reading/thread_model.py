"""The conversation of one post as a tree model: the root, the path down to the post, replies fetched on demand."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from app.thread_data import (
    ThreadPlan,
    ThreadPost,
    ThreadReader,
)

AnyIndex = QModelIndex | QPersistentModelIndex
#: The post's id (``platform:native id``).
PostIdRole = Qt.ItemDataRole.UserRole + 1
#: The ThreadPost shown in the row.
PostRole = Qt.ItemDataRole.UserRole + 2
#: The ThreadPost it quotes, or None.
QuotedRole = Qt.ItemDataRole.UserRole + 3
#: True for the post the thread was opened on.
FocusRole = Qt.ItemDataRole.UserRole + 4
#: How many posts hang under it (replies; for the root also the posts below a gap).
ChildTotalRole = Qt.ItemDataRole.UserRole + 5


class _Node:
    """One post in the tree; ``children`` grows page by page up to ``total``."""

    __slots__ = ("children", "parent", "post", "quoted", "row", "total")

    def __init__(self, post: ThreadPost | None, parent: _Node | None, total: int, quoted: ThreadPost | None) -> None:
        self.post = post
        self.parent = parent
        self.total = total
        self.quoted = quoted
        self.children: list[_Node] = []
        # Children are only ever appended, so a node's row never changes once it is made.
        self.row = 0 if parent is None else len(parent.children)


def plain_text(post: ThreadPost) -> str:
    """The post in one plain line, for screen readers, tooltips and tests."""
    if post.placeholder:
        return "[not collected]"
    who = f"@{post.handle}" if post.handle else "unknown author"
    return f"{who}: {post.text}"


class ThreadModel(QAbstractItemModel):
    """One thread at a time, read from SQLite only as far as the view asks (``fetchMore``)."""

    def __init__(self, reader: ThreadReader, parent: Any = None) -> None:
        super().__init__(parent)
        self._reader = reader
        self._top = _Node(None, None, 0, None)
        self._root_id: str | None = None
        self.plan: ThreadPlan | None = None

    @property
    def root_id(self) -> str | None:
        return self._root_id

    def show_post(self, post_id: str | None) -> QModelIndex:
        """Show the thread of ``post_id`` with the path to it loaded; returns the post's index (invalid if none)."""
        self.beginResetModel()
        self._top = _Node(None, None, 0, None)
        self.plan = self._reader.plan(post_id) if post_id else None
        self._root_id = None
        focus = self._top
        if self.plan is not None:
            root = self.plan.path[0]
            self._root_id = root.id
            focus = self._add(self._top, [root])[0]
            self._top.total = 1
            for post in self.plan.path[1:]:
                focus = self._load_until(focus, post)
        self.endResetModel()
        return self._index_of(focus)

    def thread_size(self) -> tuple[int, int]:
        """(posts in the shown thread, of which not collected); (0, 0) when none is shown."""
        return (0, 0) if self._root_id is None else self._reader.size(self._root_id)

    def focus_index(self) -> QModelIndex:
        """The index of the post the thread was opened on."""
        if self.plan is None:
            return QModelIndex()
        return self.find(self.plan.focus.id)

    def find(self, post_id: str) -> QModelIndex:
        """The index of a loaded post, or an invalid index."""
        stack = list(self._top.children)
        while stack:
            node = stack.pop()
            if node.post is not None and node.post.id == post_id:
                return self._index_of(node)
            stack.extend(node.children)
        return QModelIndex()

    # Qt model API ------------------------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if column != 0 or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, child: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        node: _Node = child.internalPointer()
        parent = node.parent
        if parent is None or parent is self._top:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, ARG002
        return 1

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        return node.total > 0 or bool(node.children)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        return len(node.children) < node.total

    def fetchMore(self, parent: AnyIndex) -> None:
        node = self._node(parent)
        if node.post is None or len(node.children) >= node.total:
            return
        page = self._reader.children(node.post.id, node.post.id == self._root_id, len(node.children))
        if not page:
            node.total = len(node.children)  # fewer than counted: the store changed since
            return
        first = len(node.children)
        self.beginInsertRows(self._index_of(node), first, first + len(page) - 1)
        self._add(node, page)
        self.endInsertRows()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        post = node.post
        if post is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return plain_text(post)
        values = {PostIdRole: post.id, PostRole: post, QuotedRole: node.quoted, ChildTotalRole: node.total}
        if role in values:
            return values[role]
        if role == FocusRole:
            return self.plan is not None and post.id == self.plan.focus.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Referenced in the archive but not collected" if post.placeholder else post.id
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # Internals -----------------------------------------------------------------------------------------------------

    def _node(self, index: AnyIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self._top

    def _index_of(self, node: _Node) -> QModelIndex:
        if node is self._top or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def _add(self, parent: _Node, posts: list[ThreadPost]) -> list[_Node]:
        """Make nodes for a page of posts, with their reply counts and quoted posts in two queries."""
        counts = self._reader.child_counts([p.id for p in posts])
        quoted = self._reader.posts(sorted({p.quote_of_id for p in posts if p.quote_of_id}))
        nodes = []
        for post in posts:
            total = self._reader.child_count(post, True) if post.id == self._root_id else counts.get(post.id, 0)
            node = _Node(post, parent, total, quoted.get(post.quote_of_id or ""))
            parent.children.append(node)
            nodes.append(node)
        return nodes

    def _load_until(self, node: _Node, wanted: ThreadPost) -> _Node:
        """Fetch pages of ``node``'s children until ``wanted`` is among them (it is added if it never comes)."""
        while True:
            found = next((c for c in node.children if c.post is not None and c.post.id == wanted.id), None)
            if found is not None:
                return found
            assert node.post is not None
            page = self._reader.children(node.post.id, node.post.id == self._root_id, len(node.children))
            if not page:
                node.total = len(node.children) + 1
                return self._add(node, [wanted])[0]
            self._add(node, page)
