"""Charts of the listed posts, the help pages and the preferences."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from PySide6.QtCharts import QAreaSeries, QHorizontalBarSeries
from PySide6.QtWidgets import QApplication

from app.chart_data import OTHER, ChartData, chart_job, code_counts_by_coder, timeline
from app.posts_query import rowids_of
from archive.coding.codebook import find_code
from archive.coding.codebook_import import import_codebook
from archive.coding.codebook_io import read_codebook
from archive.coding.coders import add_coder
from archive.coding.codings import apply_code
from archive.jobs import CancelToken, drain
from archive.store.project import Project
from ui.reports.charts_dialog import codes_chart, timeline_chart
from ui.window.help_dialog import search_help_html
from ui.window.preferences import FONT_KEY, PreferencesDialog, font_size

STARTER = Path(str(resources.files("resources") / "codebooks" / "metoo-men.json"))


@pytest.fixture
def project(demo_folder):
    with Project(demo_folder) as opened:
        ana, bo = add_coder(opened.db, "ana"), add_coder(opened.db, "bo")
        import_codebook(opened.db, ana.id, read_codebook(STARTER), STARTER.name)
        posts = [r[0] for r in opened.db.conn.execute("SELECT id FROM posts WHERE kind = 'collected' LIMIT 5")]
        support = find_code(opened.db.conn, "Support").id
        for post in posts[:3]:
            apply_code(opened.db, post, support, ana.id)
        apply_code(opened.db, posts[0], support, bo.id)
        yield opened


def test_the_timeline_counts_every_collected_post_per_day(project):
    shown = timeline(project.db.conn, None)
    assert shown.total == 318
    assert shown.days == sorted(shown.days) and shown.days[0].startswith("2017-10")


def test_stacked_layers_add_up_to_the_days_posts(project):
    plain = timeline(project.db.conn, None)
    stacked = timeline(project.db.conn, None, "hashtag")
    assert OTHER in stacked.layers and len(stacked.layers) <= 7
    for day_index in range(len(plain.days)):
        assert sum(counts[day_index] for counts in stacked.layers.values()) == plain.layers["posts"][day_index]


def test_a_search_scope_limits_the_charts(project):
    posts = [r[0] for r in project.db.conn.execute("SELECT id FROM posts WHERE kind = 'collected' LIMIT 2")]
    scoped = timeline(project.db.conn, rowids_of(project.db.conn, posts))
    assert scoped.total == 2


def test_codes_per_coder_respect_blind_mode(project):
    conn = project.db.conn
    as_ana = code_counts_by_coder(conn, None, 1)
    assert as_ana.coders == ["ana"] and as_ana.counts["ana"] == [3]
    everyone = code_counts_by_coder(conn, None, None)  # the project's own view
    assert everyone.coders == ["ana", "bo"] and everyone.counts["bo"] == [1]
    stacked = timeline(conn, None, "code", 1)
    assert sum(stacked.layers["Support"]) == 3


def test_the_chart_job_reads_both_charts_off_the_ui_thread(project):
    data: ChartData = drain(chart_job(project.folder, None, "none", 1)(CancelToken()))
    assert data.timeline.total == 318 and data.codes.codes == ["Support"]


def test_charts_are_drawn_with_one_series_per_layer(project, qtbot):
    chart = timeline_chart(timeline(project.db.conn, None, "hashtag"), "Posts per day")
    areas = [s for s in chart.series() if isinstance(s, QAreaSeries)]
    assert len(areas) == len(timeline(project.db.conn, None, "hashtag").layers)
    assert areas[-1].name().startswith("other (")
    codes = codes_chart(code_counts_by_coder(project.db.conn, None, None), "Codes")  # the chart owns its series
    bars = codes.series()
    assert isinstance(bars[0], QHorizontalBarSeries) and bars[0].count() == 2  # one bar set per coder


def test_the_charts_dialog_opens_on_the_listed_posts(window, qtbot, demo_folder):
    window.open_project(demo_folder)
    with qtbot.waitSignal(window.lists.reader.idle, timeout=20_000):
        window.menus.charts.trigger()  # the numbers are read by the reader runner
    charts = window.dialogs.charts
    assert charts.note.text().startswith("318 posts from 2017-10-15 to ")
    assert charts.timeline_view.chart().series()
    assert charts.scope == "every collected post"
    charts.close()


def test_the_search_help_lists_the_fields_of_the_language():
    page = search_help_html()
    for example in ("#MeToo", "lang:en", "date:2017-10-15..2017-10-20", "is:reply", 'code:"Not all men"'):
        assert example.replace('"', "&quot;") in page


def test_the_shortcut_help_is_made_from_the_menus(window):
    window.dialogs.show_shortcuts()
    text = window.dialogs.help.browser.toPlainText()
    assert "Mark as Coded, Next" in text and "Next Uncoded Post" in text
    window.dialogs.help.close()


def test_the_text_size_is_kept_and_applied(qtbot, settings):
    before = QApplication.font()
    try:
        dialog = PreferencesDialog(settings)
        qtbot.addWidget(dialog)
        dialog.size_box.setValue(15)
        dialog.accept()
        assert font_size(settings) == 15 and settings.value(FONT_KEY) == 15
        assert QApplication.font().pointSize() == 15
    finally:
        QApplication.setFont(before)


def test_count_axes_tick_whole_numbers():
    from PySide6.QtCharts import QValueAxis

    from app.chart_data import CodeCounts
    from ui.reports.charts_dialog import codes_chart, integer_ticks

    chart = codes_chart(CodeCounts(["Support"], ["ana"], {"ana": [1]}), "Codes")
    (axis,) = [a for a in chart.axes() if isinstance(a, QValueAxis)]
    assert (axis.min(), axis.max(), axis.tickInterval()) == (0, 1, 1)  # once labelled 0 0 0 0 0 1
    big = QValueAxis()
    integer_ticks(big, 698_442)
    assert big.tickInterval() >= 1 and float(big.tickInterval()).is_integer() and big.max() >= 698_442


def test_the_timeline_drops_to_zero_in_a_silence(qtbot):
    from PySide6.QtCharts import QAreaSeries

    from app.chart_data import Timeline
    from ui.reports.charts_dialog import timeline_chart

    chart = timeline_chart(Timeline(["2019-05-02", "2020-11-19"], {"posts": [104, 1]}), "Posts")
    (area,) = chart.series()
    assert isinstance(area, QAreaSeries)
    heights = [point.y() for point in area.upperSeries().points()]
    assert heights[:2] == [104, 104] and heights[2:4] == [0, 0]  # the month after is empty, not a slope
