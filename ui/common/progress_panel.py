"""The status-bar strip that shows the running job: what it is doing, a progress bar and Cancel."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ui.common.job_runner import JobRunner

BAR_STEPS = 1000


def progress_text(progress: Any) -> tuple[str, float | None]:
    """What a progress report says, and how far along it is (None: unknown, the bar just moves)."""
    text = str(getattr(progress, "text", "") or "Working…")
    fraction = getattr(progress, "fraction", None)
    return text, None if fraction is None else max(0.0, min(1.0, float(fraction)))


class ProgressPanel(QWidget):
    """Follows one ``JobRunner``: visible while a job runs, hidden when the runner is idle."""

    def __init__(self, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, BAR_STEPS)
        self.bar.setFixedWidth(220)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop after the current batch; what was done so far is kept")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._runner = runner
        self.cancel_button.clicked.connect(self._cancel)
        runner.started.connect(self._on_started)
        runner.progressed.connect(self._on_progressed)
        runner.idle.connect(self.hide)
        self.hide()

    def _on_started(self, title: str) -> None:
        self.label.setText(f"{title}…")
        self.bar.setRange(0, 0)  # busy until the first report says how far along it is
        self.cancel_button.setEnabled(True)
        self.show()

    def _on_progressed(self, progress: Any) -> None:
        text, fraction = progress_text(progress)
        self.label.setText(text)
        if fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, BAR_STEPS)
            self.bar.setValue(round(fraction * BAR_STEPS))

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Stopping after the current batch…")
        self._runner.cancel()
