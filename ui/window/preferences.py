"""Preferences: the text size of the whole app, kept in the settings and applied at once."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

FONT_KEY = "fontSize"
SMALLEST, LARGEST = 8, 24


def font_size(settings: QSettings) -> int | None:
    """The chosen text size in points, or None for the system's."""
    value = settings.value(FONT_KEY)
    try:
        size = int(str(value)) if value is not None else None
    except ValueError:
        return None
    return size if size is not None and SMALLEST <= size <= LARGEST else None


def apply_font_size(size: int | None) -> None:
    """Set the text size of every widget (None: leave the system's)."""
    app = QApplication.instance()
    if size is None or not isinstance(app, QApplication):
        return
    font = QFont(app.font())
    font.setPointSize(size)
    app.setFont(font)


class PreferencesDialog(QDialog):
    """Edits the preferences; they take effect when the dialog is accepted."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._settings = settings
        self.size_box = QSpinBox(self)
        self.size_box.setRange(SMALLEST, LARGEST)
        self.size_box.setSuffix(" pt")
        self.size_box.setValue(font_size(settings) or QApplication.font().pointSize())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Text size:", self.size_box)
        form.addRow(buttons)

    def accept(self) -> None:
        self._settings.setValue(FONT_KEY, self.size_box.value())
        apply_font_size(self.size_box.value())
        super().accept()
