"""A lazy, read-only table model of a project's posts: only the rows on screen are read from SQLite."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.posts_query import (
    EMPTY_ROW,
    HEADERS,
    PAGE_SIZE,
    SORT_SQL,
    Column,
    PostListReader,
    PostRow,
)

__all__ = ["PAGE_SIZE", "Column", "PostIdRole", "PostRow", "PostsModel"]

MAX_CACHED_PAGES = 20
#: The post's id (``platform:native id``).
PostIdRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex
Order = tuple[Column, bool]
#: Asked to list posts in the background: (request token, order, coder id, scope); answers with ``set_list``.
Loader = Callable[[int, Order | None, int | None, "array[int] | None"], None]


class PostsModel(QAbstractTableModel):
    """Collected posts, or the posts of a search (the *scope*), in import order until a column is sorted.

    Keeps only rowids in memory and at most ``MAX_CACHED_PAGES`` pages of rows. With a ``loader`` the list
    is read in the background (``loading`` until ``set_list`` brings it); without one, here and now.
    """

    def __init__(
        self, reader: PostListReader, parent: Any = None, order: Order | None = None, loader: Loader | None = None
    ) -> None:
        super().__init__(parent)
        self._reader = reader
        self._rowids = array("q")
        self._pages: dict[int, list[PostRow]] = {}
        self._order = order
        self._coder_id: int | None = None
        self._scope: array[int] | None = None
        self._loader = loader
        self._token = 0
        self.loading = False
        self.reload()

    @property
    def scoped(self) -> bool:
        return self._scope is not None

    @property
    def scope(self) -> array[int] | None:
        """The rowids of the search listed now, or None when every collected post is listed."""
        return self._scope

    def reload(self) -> None:
        """Read the list of posts again (after an import, or in another order)."""
        self._token += 1
        if self._loader is not None:
            self.loading = True  # the current rows stay on screen until the new list arrives
            self._loader(self._token, self._order, self._coder_id, self._scope)
            return
        self.set_list(self._token, self._reader.list_rowids(self._order, self._coder_id, self._scope))

    def set_list(self, token: int, rowids: array[int], first_page: list[PostRow] | None = None) -> bool:
        """Show a list read for request ``token``; a list for an older request is dropped (False).
        ``first_page``, its first rows read with it in the background, spares the first paint a read
        (which took 615 ms on the UI thread with a cold disk cache on a 2 GB project)."""
        if token != self._token:
            return False
        self.beginResetModel()
        self._rowids = rowids
        self._pages.clear()
        if first_page is not None:
            self._pages[0] = first_page
        self.loading = False
        self.endResetModel()
        return True

    def set_scope(self, rowids: array[int] | None, order: tuple[Column, bool] | None = None) -> None:
        """List only these posts (a search's hits, in its order), or every collected post again (None).

        ``order`` (column, descending) sorts them; None keeps the search's order (or import order).
        """
        self._scope = rowids
        self._order = order
        self.reload()

    def extend_scope(self, more: array[int]) -> None:
        """List more posts of the search after the ones listed (the rest of a big result, as it arrives)."""
        if self._scope is None or not more:
            return
        self._scope = self._scope + more
        if self._order is not None or self.loading:
            self.reload()  # sorted by a column (or a list on its way): the new posts must take their places
            return
        first = len(self._rowids)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rowids = self._rowids + more
        self._pages.pop(first // PAGE_SIZE, None)  # the last page read may now have more rows
        self.endInsertRows()

    def set_scope_ids(self, post_ids: Sequence[str] | None) -> None:
        """``set_scope`` by post ids (ids not in the store are left out)."""
        self.set_scope(None if post_ids is None else self._reader.rowids_of(post_ids))

    def set_coder(self, coder_id: int | None) -> None:
        """Whose coding status the Coded column shows."""
        self._coder_id = coder_id
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Read the rows on screen again (their coding changed); the list itself stays."""
        self._pages.clear()
        if self._rowids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rowids) - 1, len(Column) - 1))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in SORT_SQL:
            return
        self._order = (Column(column), order == Qt.SortOrder.DescendingOrder)
        self.reload()

    def row_of(self, post_id: str) -> int | None:
        """The row showing ``post_id``, or None when it is not listed."""
        found = self._reader.rowid_of(post_id)
        if found is None:
            return None
        try:
            return self._rowids.index(found)
        except ValueError:
            return None

    def uncoded_row(self, row: int, forward: bool) -> int | None:
        """The nearest row after (or before) ``row`` that the current coder has not marked as coded."""
        if self._coder_id is None:
            return None
        if forward:
            found = self._reader.first_uncoded(self._rowids[row + 1 :], self._coder_id)
            return None if found is None else row + 1 + found
        found = self._reader.first_uncoded(self._rowids[: max(row, 0)][::-1], self._coder_id)
        return None if found is None else row - 1 - found

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rowids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[Column(section)]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rowids):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, PostIdRole):
            return None
        row = self.post_at(index.row())
        if role == PostIdRole:
            return row.post_id or None
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.text if index.column() == Column.TEXT else None
        text = row.cell(Column(index.column()))
        return text.replace("\n", " ⏎ ") if index.column() == Column.TEXT else text

    def post_at(self, row: int) -> PostRow:
        """The post shown in ``row``, read with the rest of its page on first use."""
        page = row // PAGE_SIZE
        if page not in self._pages:
            if len(self._pages) >= MAX_CACHED_PAGES:
                self._pages.pop(next(iter(self._pages)))
            wanted = self._rowids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            self._pages[page] = self._reader.rows(wanted, self._coder_id) if wanted else []
        rows = self._pages[page]
        offset = row % PAGE_SIZE
        return rows[offset] if offset < len(rows) else EMPTY_ROW
