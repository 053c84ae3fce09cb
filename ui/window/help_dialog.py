"""Help › Search Language and Help › Keyboard Shortcuts: short references, built from what the app really has."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

SEARCH_HELP = (
    ("believe survivors", "posts with both words, in any form (believe, believed, believing)"),
    ('"believe survivors"', "the exact phrase"),
    ("men OR boys", "either word"),
    ("-joke  or  NOT joke", "without the word"),
    ("(men OR boys) #MeToo", "brackets group conditions"),
    ("surviv*", "words starting with surviv"),
    ("#MeToo", "with the hashtag"),
    ("@handle", "by the account or mentioning it"),
    ("author:handle  mention:handle", "by the account; mentioning it"),
    ('name:"Kofi"', "by the display name"),
    ("lang:en  platform:twitter", "in a language; from a platform"),
    ("date:2017-10-15  date:2017-10", "on a day; in a month"),
    ("date:2017-10-15..2017-10-20", "in a range (either end may be left open)"),
    ("is:reply  is:quote  is:repost", "replies, quotes, reposts"),
    ("is:deleted  is:truncated", "posts deleted later; texts the archive holds cut off"),
    ("is:context", "posts the archive holds only as context (left out otherwise)"),
    ("has:media  has:link", "with photos or videos; with links"),
    ("thread:ID", "posts in the thread of a post"),
    ('code:"Not all men"', "coded with a code (in blind mode: by you)"),
    ("coder:ana  coded-by:ana  not-coded-by:ana", "coded by a coder; coded or finished by; not by"),
    ("is:coded  is:uncoded", "coded by anyone (in blind mode: by you); not yet"),
)


def _table(rows: Iterable[tuple[str, str]], left: str, right: str) -> str:
    cells = "".join(f"<tr><td><code>{html.escape(a)}</code></td><td>{html.escape(b)}</td></tr>" for a, b in rows)
    return (
        f"<table cellpadding='4' cellspacing='0' border='1' style='border-collapse: collapse'>"
        f"<tr><th align='left'>{left}</th><th align='left'>{right}</th></tr>{cells}</table>"
    )


def search_help_html() -> str:
    return (
        "<h2>The search language</h2><p>Conditions side by side must all hold. Upper-case <code>OR</code> and "
        "<code>NOT</code> are operators; anything else is searched for. Case and accents do not matter.</p>"
        + _table(SEARCH_HELP, "You type", "Finds")
        + "<p>A mistake is shown under the search bar with its place. Double-click a value in the Filters "
        "panel to add it to the search.</p>"
    )


def shortcuts_html(actions: Iterable[QAction]) -> str:
    """Every menu action that has a shortcut, with the keys as this platform writes them."""
    rows = [(a.shortcut().toString(), a.text().replace("&", "")) for a in actions if not a.shortcut().isEmpty()]
    more = [
        ("Arrow keys", "move in the post list, the thread and the codes"),
        ("Left / Right (thread)", "fold / unfold replies"),
        ("Backspace (thread)", "back to the post the thread was opened on"),
        ("Space (codes)", "tick or untick the selected code"),
        ("A code's key", "tick or untick that code on the current post (shown beside each code)"),
    ]
    return "<h2>Keyboard shortcuts</h2>" + _table([*rows, *more], "Keys", "Does")


class HelpDialog(QDialog):
    """A read-only page of help; links are not followed (the app makes no network calls)."""

    def __init__(self, title: str, body: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 620)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setHtml(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
