"""The status bar's message area: the last thing that happened, and a button to the file it wrote.

QStatusBar.showMessage draws in the space its permanent widgets leave, and the window's counts took all
of it, so no confirmation (an export written, a search saved) was ever seen. This area has the space on
the left; the counts sit on the right at their own width.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class Notice(QWidget):
    """One message at a time, shown for a while; with a path, a button opens the folder that holds it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setTextFormat(self.label.textFormat().PlainText)  # messages quote file and post text
        self.label.setMinimumWidth(80)
        self.show_folder = QPushButton("Show in Folder", self)
        self.show_folder.setToolTip("Open the folder that holds the file in the file manager")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.show_folder)
        self._folder: Path | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)
        self.show_folder.clicked.connect(self._open_folder)
        self.clear()

    def show_message(self, text: str, timeout_ms: int = 10_000, *, path: Path | None = None) -> None:
        """Say ``text`` for ``timeout_ms`` (0: until the next message); ``path``: offer to show its folder."""
        self.label.setText(text)
        self.label.setToolTip(text)
        self._folder = None if path is None else (path if path.is_dir() else path.parent)
        self.show_folder.setVisible(self._folder is not None)
        self._timer.stop()
        if timeout_ms > 0:
            self._timer.start(timeout_ms)

    def clear(self) -> None:
        """Say nothing (a closed project's last message would mislead about the next one)."""
        self._timer.stop()
        self.label.clear()
        self.label.setToolTip("")
        self._folder = None
        self.show_folder.hide()

    @property
    def text(self) -> str:
        return self.label.text()

    def _open_folder(self) -> None:
        if self._folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._folder)))
