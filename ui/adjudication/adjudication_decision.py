"""The decision on one disagreement: the final value, the reason, and Record or Clear."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.adjudication_jobs import choices, value_text
from archive.adjudication import Disagreement


class DecisionPanel(QGroupBox):
    """Shows the selected disagreement's decision and asks for a new one; the dialog records it.

    Signals:
        record_requested(str, str, str): the value (as ``adjudicate`` takes it), the reason and the method.
        clear_requested(str): withdraw the gold value, for this reason.
    """

    record_requested = Signal(str, str, str)
    clear_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Decision", parent)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.value = QComboBox(self)
        self.value.setPlaceholderText("Choose the final value")
        self.value.setMinimumContentsLength(18)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Why (required; kept in the audit trail)")
        self.consensus = QCheckBox("Decided in a consensus meeting", self)
        self.consensus.setToolTip("Recorded as a consensus meeting's decision rather than yours alone")
        self.record = QPushButton("Record decision", self)
        self.clear = QPushButton("Clear decision", self)
        self.clear.setToolTip("Withdraw the gold value (the disagreement is open again); give the reason above")
        self.who = QLabel(self)
        self.who.setWordWrap(True)
        self._found: Disagreement | None = None
        self._adjudicator: str | None = None
        self._busy = False
        self._build()
        self.show_disagreement(None)

    def show_disagreement(self, found: Disagreement | None) -> None:
        """Offer the values of this disagreement's code or variable; a decided one shows its gold value."""
        self._found = found
        self.value.clear()
        if found is None:
            self.heading.setText("Select a disagreement to decide it.")
        else:
            target = found.unit.target
            self.heading.setText(f"<b>{escape(found.post_id)}</b> · {target.kind} <b>{escape(target.name)}</b>")
            for text, value in choices(target):
                self.value.addItem(text, value)
            decided = "" if found.gold is None else value_text(found.gold.value, found.gold.kind)
            self.value.setCurrentIndex(self.value.findText(decided) if decided else -1)
        self._update()

    def set_adjudicator(self, name: str | None) -> None:
        """Who records decisions (the window's coder); None switches recording off and says why."""
        self._adjudicator = name
        self.who.setText(
            f"Deciding as <b>{escape(name)}</b>."
            if name
            else "Choose who you are (<i>Coder</i>, in the main window) to record decisions."
        )
        self._update()

    def set_busy(self, busy: bool) -> None:
        """No decisions while the list is being read or a rule is running."""
        self._busy = busy
        self._update()

    def decided(self) -> None:
        """A decision went through: the next one needs its own reason."""
        self.reason.clear()

    def _update(self) -> None:
        ready = self._found is not None and self._adjudicator is not None and not self._busy
        for widget in (self.value, self.reason, self.consensus, self.record):
            widget.setEnabled(ready)
        self.clear.setEnabled(ready and self._found is not None and self._found.gold is not None)

    def _record(self) -> None:
        if self.record.isEnabled():
            method = "consensus_meeting" if self.consensus.isChecked() else "adjudicated"
            self.record_requested.emit(str(self.value.currentData() or ""), self.reason.text(), method)

    def _build(self) -> None:
        for button in (self.record, self.clear):
            button.setAutoDefault(False)  # Enter in the list shows the post; it must never record
        self.record.clicked.connect(self._record)
        self.reason.returnPressed.connect(self._record)
        self.clear.clicked.connect(lambda: self.clear_requested.emit(self.reason.text()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.record)
        buttons.addWidget(self.clear)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.heading)
        form.addRow("Final value", self.value)
        form.addRow("Reason", self.reason)
        form.addRow(self.consensus)
        form.addRow(buttons)
        form.addRow(self.who)
