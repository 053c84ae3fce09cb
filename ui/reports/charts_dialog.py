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

from app.chart_data import OTHER, ChartData, CodeCounts, Timeline, bin_end, bins

# Colour-blind-safe categorical colours (Okabe & Ito), then grey for "other".
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_COLOUR = "#BBBBBB"
STACK_CHOICES = {"Posts": "none", "Stacked by hashtag": "hashtag", "Stacked by code": "code"}


def _ms(day: str) -> int:
    # The axis labels in local time, so a UTC day is placed at local midnight of the same date.
    return int(QDateTime.fromString(day, "yyyy-MM-dd").toMSecsSinceEpoch())


def integer_ticks(axis: QValueAxis, top: int) -> None:
    """A count axis from 0 whose ticks are whole numbers: 0 1 2 3, never 0 0 0 0 0 1."""
    step = 1
    for nice in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000):
        step = nice
        if top / nice <= 8:
            break
    else:
        step = max(1, 10 ** (len(str(top)) - 1))
    end = max(step, -(-top // step) * step)
    axis.setRange(0, end)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setLabelFormat("%d")


UNIT_WORDS = {
    "day": "posts per day (UTC)",
    "week": "posts per week (UTC, weeks from Monday)",
    "month": "posts per month (UTC)",
}
DATE_FORMATS = {"day": "yyyy-MM-dd", "week": "yyyy-MM-dd", "month": "yyyy-MM"}


def timeline_chart(data: Timeline, title: str) -> QChart:
    """Stacked areas of posts per day, week or month; one plain area when there is one layer.

    Every bin of the range is drawn, flat across its width, so a silent spell shows as zero, not as a slope
    from the last busy day to the next.
    """
    binned = bins(data)
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setVisible(len(binned.layers) > 1)
    axis_x, axis_y = QDateTimeAxis(), QValueAxis()
    axis_x.setFormat(DATE_FORMATS[binned.unit])
    axis_y.setTitleText(UNIT_WORDS[binned.unit])
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    edges = [(_ms(start), _ms(bin_end(start, binned.unit))) for start in binned.starts]
    below = [0] * len(binned.starts)
    for number, (name, counts) in enumerate(binned.layers.items()):
        lower, upper = QLineSeries(), QLineSeries()
        above = [b + c for b, c in zip(below, counts, strict=True)]
        for (begin, end), low, high in zip(edges, below, above, strict=True):
            for at in (begin, end):  # a step: the bin's count holds across its width
                lower.append(at, low)
                upper.append(at, high)
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
    if edges:
        # The axis spaces its ticks evenly: a range of a whole number of intervals puts each label on the
        # start of its bin. Up to 8 bins get a tick each; more are padded with empty bins to a multiple.
        intervals, padding = _tick_intervals(len(edges))
        last = binned.starts[-1]
        for _ in range(padding + 1):
            last = bin_end(last, binned.unit)
        axis_x.setRange(QDateTime.fromMSecsSinceEpoch(edges[0][0]), QDateTime.fromMSecsSinceEpoch(_ms(last)))
        axis_x.setTickCount(intervals + 1)
    integer_ticks(axis_y, max(below, default=0))
    return chart


def _tick_intervals(count: int) -> tuple[int, int]:
    """How many tick intervals for ``count`` bins, and how many empty bins to add so each tick is a bin start."""
    if count <= 8:
        return count, 0
    best = min(range(4, 9), key=lambda k: ((-count) % k, -k))
    return best, (-count) % best


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
    axis_counts.setTitleText("posts")
    chart.addAxis(axis_codes, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis_counts, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_codes)
    series.attachAxis(axis_counts)
    integer_ticks(axis_counts, max((max(c, default=0) for c in data.counts.values()), default=0))
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
        days = data.timeline.days
        span = f" from {days[0]} to {days[-1]}, posted on {len(days):,} of its days" if days else ""
        self.note.setText(f"{data.timeline.total:,} posts{span}" + ("" if data.codes.codes else "; no codes yet"))
