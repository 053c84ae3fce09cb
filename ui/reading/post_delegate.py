"""Draws a post in the thread tree: author and date, the wrapped full text, a quoted post inline, placeholders."""

from __future__ import annotations

import html
from functools import lru_cache

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QFont, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from app.bidi import isolate, when
from app.thread_data import ThreadPost
from ui.reading.thread_model import FocusRole, PostRole, QuotedRole

AnyIndex = QModelIndex | QPersistentModelIndex
PADDING = 6
FOCUS_FILL = QColor("#fff4cc")  # the post the thread was opened on: a soft highlight, readable in print too
FOCUS_BAR = QColor("#e0a800")
# The current row is tinted and framed rather than filled with the palette's highlight, so the muted
# metadata and the quoted post stay readable on it.
SELECTED_FILL = QColor("#dce8fc")
QUOTE_FILL = "#eef1f5"
MUTED = "#5f6368"


def _kind_words(post: ThreadPost) -> list[str]:
    words = []
    if post.reply_to_id:
        words.append("reply")
    if post.kind == "context":
        words.append("context (not collected itself)")
    if post.deleted:
        words.append("deleted")
    if post.truncated:
        words.append("text cut off in the archive")
    return words


def _user(text: str) -> str:
    """Text someone else wrote, for rich text: escaped, so markup shows as written, and direction-isolated."""
    return html.escape(isolate(text))


def _body(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def post_html(post: ThreadPost, quoted: ThreadPost | None) -> str:
    """The rich text of one post as the thread shows it."""
    if post.placeholder:
        return (
            f"<p style='color:{MUTED}'><i>Not collected.</i> Replied to, quoted or reposted in the archive, "
            f"but the post itself is not in it (id {html.escape(post.native_id)}).</p>"
        )
    # Handles and names are isolated: a right-to-left name must not reorder the date beside it.
    author = f"<b>{_user(f'@{post.handle}')}</b>" if post.handle else "<b>unknown author</b>"
    name = f" {_user(post.name)}" if post.name else ""
    meta = " · ".join([when(post.created_at), *_kind_words(post)])
    parts = [f"<p>{author}<span style='color:{MUTED}'>{name} · {meta}</span></p>", f"<p>{_body(post.text)}</p>"]
    if post.quote_of_id:
        parts.append(_quote_html(quoted, post.quote_of_id))
    return "".join(parts)


def _quote_html(quoted: ThreadPost | None, quote_id: str) -> str:
    if quoted is None or quoted.placeholder:
        inner = f"<i>Quotes a post that is not collected</i> (id {html.escape(quote_id.split(':', 1)[-1])})."
    else:
        who = _user(f"@{quoted.handle}") if quoted.handle else "unknown author"
        inner = f"<b>Quoting {who}</b> <span style='color:{MUTED}'>· {when(quoted.created_at)}</span><br>"
        inner += _body(quoted.text)
    return f"<table width='100%' cellpadding='6' bgcolor='{QUOTE_FILL}'><tr><td>{inner}</td></tr></table>"


def _document(markup: str, width: int, font: QFont) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(font)
    document.setDefaultStyleSheet("p { margin: 0 0 4px 0; }")
    document.setHtml(markup)
    document.setTextWidth(width)
    return document


@lru_cache(maxsize=4096)
def _height(markup: str, width: int, font: str) -> int:
    """Laying out rich text is the slow part of a row; the height only changes with text, width and font."""
    shown = QFont()
    shown.fromString(font)
    return int(_document(markup, width, shown).size().height())


class PostDelegate(QStyledItemDelegate):
    """Rich-text rows whose height follows the column width; the tree view lays them out again on resize."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def _text_width(self, index: AnyIndex) -> int:
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        indent = self._view.indentation() * (depth + (1 if self._view.rootIsDecorated() else 0))
        return max(120, self._view.viewport().width() - indent - 2 * PADDING)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        post = index.data(PostRole)
        if post is None:
            return super().sizeHint(option, index)
        width = self._text_width(index)
        height = _height(post_html(post, index.data(QuotedRole)), width, self._view.font().toString())
        return QSize(width, height + 2 * PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        if index.data(PostRole) is None:
            super().paint(painter, option, index)
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = option.rect
        painter.save()
        if selected:
            painter.fillRect(rect, SELECTED_FILL)
            painter.setPen(option.palette.highlight().color())
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        elif index.data(FocusRole):
            painter.fillRect(rect, FOCUS_FILL)
        if index.data(FocusRole):
            painter.fillRect(rect.x(), rect.y(), 4, rect.height(), FOCUS_BAR)
        markup = post_html(index.data(PostRole), index.data(QuotedRole))
        document = _document(markup, rect.width() - 2 * PADDING, self._view.font())
        painter.translate(rect.x() + PADDING, rect.y() + PADDING)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, QColor("#202124"))
        context.clip = QRectF(0, 0, rect.width(), rect.height())
        document.documentLayout().draw(painter, context)
        painter.restore()
        painter.setPen(QColor("#dadce0"))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
