"""View › Charts: posts per day of the listed posts (stacked by hashtag or code on demand), and codes per coder."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCharts import (
    QAreaSeries,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.chart_data import OTHER, ChartData, CodeCounts, Timeline

# Colour-blind-safe categorical colours (Okabe & Ito), then grey for "other".
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_COLOUR = "#BBBBBB"
STACK_CHOICES = {"Posts": "none", "Stacked by hashtag": "hashtag", "Stacked by code": "code"}


def _ms(day: str) -> int:
    # The axis labels in local time, so a UTC day is placed at local midnight of the same date.
    return int(QDateTime.fromString(day, "yyyy-MM-dd").toMSecsSinceEpoch())


def timeline_chart(data: Timeline, title: str) -> QChart:
    """Stacked areas of posts per day; one plain area when there is one layer."""
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setVisible(len(data.layers) > 1)
    axis_x, axis_y = QDateTimeAxis(), QValueAxis()
    axis_x.setFormat("yyyy-MM-dd")
    axis_y.setLabelFormat("%d")
    axis_y.setTitleText("posts per day (UTC)")
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    below = [0] * len(data.days)
    for number, (name, counts) in enumerate(data.layers.items()):
        lower, upper = QLineSeries(), QLineSeries()
        above = [b + c for b, c in zip(below, counts, strict=True)]
        for day, low, high in zip(data.days, below, above, strict=True):
            lower.append(_ms(day), low)
            upper.append(_ms(day), high)
        area = QAreaSeries(upper, lower)
        area.setName(f"{name} ({sum(counts):,})")
        colour = QColor(OTHER_COLOUR if name == OTHER else PALETTE[number % len(PALETTE)])
        area.setColor(colour)
        area.setBorderColor(colour.darker(120))
        chart.addSeries(area)
        area.attachAxis(axis_x)
        area.attachAxis(axis_y)
        for line in (lower, upper):  # the areas own their lines; keep them alive with the chart
            line.setParent(area)
        below = above
    if data.days:
        axis_x.setRange(QDateTime.fromMSecsSinceEpoch(_ms(data.days[0])),
                        QDateTime.fromMSecsSinceEpoch(_ms(data.days[-1])))  # fmt: skip
        span = (_ms(data.days[-1]) - _ms(data.days[0])) // 86_400_000 + 1
        # A tick per day while they fit, so each label sits on its day; beyond that, eight evenly spaced.
        axis_x.setTickCount(span if 2 <= span <= 12 else 8)
    axis_y.setRange(0, max(below, default=0) or 1)
    axis_y.applyNiceNumbers()
    return chart


def codes_chart(data: CodeCounts, title: str) -> QChart:
    """Horizontal bars: for each code, how many posts each coder gave it."""
    chart = QChart()
    chart.setTitle(title)
    series = QHorizontalBarSeries()
    for number, coder in enumerate(data.coders):
        bars = QBarSet(coder)
        bars.append([float(n) for n in reversed(data.counts[coder])])  # bars grow upwards: first code on top
        bars.setColor(QColor(PALETTE[number % len(PALETTE)]))
        series.append(bars)
    chart.addSeries(series)
    axis_codes, axis_counts = QBarCategoryAxis(), QValueAxis()
    axis_codes.append(list(reversed(data.codes)))
    axis_counts.setLabelFormat("%d")
    axis_counts.setTitleText("posts")
    chart.addAxis(axis_codes, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis_counts, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_codes)
    series.attachAxis(axis_counts)
    top = max((max(c, default=0) for c in data.counts.values()), default=0)
    axis_counts.setRange(0, top or 1)
    axis_counts.applyNiceNumbers()
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


class ChartsDialog(QDialog):
    """Two charts of the posts listed now; changing the stacking asks for the numbers again.

    ``reload`` is called with the stacking ("none", "hashtag" or "code") and must call ``show_data`` later.
    """

    def __init__(self, scope: str, reload: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Charts")
        self.resize(1000, 640)
        self.scope = scope
        self._reload = reload
        self.stack = QComboBox(self)
        self.stack.addItems(list(STACK_CHOICES))
        self.stack.activated.connect(lambda _i: self.refresh())
        self.note = QLabel("Reading…", self)
        self.timeline_view = QChartView(self)
        self.codes_view = QChartView(self)
        for view in (self.timeline_view, self.codes_view):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.timeline_view, "Posts per day")
        self.tabs.addTab(self.codes_view, "Codes by coder")
        row = QHBoxLayout()
        row.addWidget(QLabel("Show:", self))
        row.addWidget(self.stack)
        row.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        self.note.setText("Reading…")
        self._reload(STACK_CHOICES[self.stack.currentText()])

    def show_data(self, data: ChartData) -> None:
        self.timeline_view.setChart(timeline_chart(data.timeline, f"Posts per day: {self.scope}"))
        if data.codes.codes:
            self.codes_view.setChart(codes_chart(data.codes, f"Codes by coder: {self.scope}"))
        else:
            self.codes_view.setChart(QChart())
        days = len(data.timeline.days)
        self.note.setText(f"{data.timeline.total:,} posts over {days:,} day" + ("" if days == 1 else "s")
                          + ("" if data.codes.codes else "; no codes yet"))  # fmt: skip
