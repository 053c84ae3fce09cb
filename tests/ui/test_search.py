"""Search in the app: the query language in a search bar, results in the post list, facets as filters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from app.posts_query import Column
from app.search_run import SearchOutcome, close_searches, facets_job, index_job, search_job
from archive.coding.codebook import find_code
from archive.jobs import CancelToken, drain
from archive.store.project import Project
from index.query import compile_query
from tests.ui.conftest import run_search
from ui.reading.highlight_delegate import HighlightDelegate
from ui.reading.posts_model import PostIdRole
from ui.search.facets_panel import TermRole, filter_term
from ui.search.search_bar import last_word


@pytest.fixture
def indexed_demo(demo_folder):
    with Project(demo_folder):
        pass  # the window's lock is what the jobs rely on; here nothing else has the project open
    drain(index_job(demo_folder)(CancelToken()))
    return demo_folder


def test_the_index_job_catches_up_and_then_has_nothing_to_do(demo_folder):
    first = drain(index_job(demo_folder)(CancelToken()))
    assert first.status == "complete" and first.indexed > 300
    assert drain(index_job(demo_folder)(CancelToken())).status == "up-to-date"


def test_a_search_job_returns_the_rowids_in_the_searchs_order_and_facets(indexed_demo):
    outcome: SearchOutcome = drain(search_job(indexed_demo, "#HowIWillChange", "date", None)(CancelToken()))
    assert outcome.total == outcome.listed > 0
    counted = drain(facets_job(indexed_demo, "#HowIWillChange", None)(CancelToken()))
    close_searches()
    assert counted.facets.hashtags[0][0].lower() == "howiwillchange"
    with Project(indexed_demo, writable=False) as project:
        marks = ", ".join("?" * outcome.listed)
        dates = dict(
            project.db.conn.execute(
                f"SELECT rowid, created_at FROM posts WHERE rowid IN ({marks})", list(outcome.rowids)
            ).fetchall()
        )
    listed = [dates[r] for r in outcome.rowids]
    assert listed == sorted(listed)  # "date": oldest first
    assert outcome.summary().startswith(f"{outcome.total:,} posts found")


def test_a_big_result_lists_the_first_posts_and_counts_them_all(indexed_demo):
    outcome = drain(search_job(indexed_demo, "is:reply", "-date", None, limit=10)(CancelToken()))
    close_searches()
    assert outcome.listed == 10 and outcome.total > 100
    assert "10 listed so far, the rest are being listed" in outcome.summary()
    assert "the rest" not in outcome.summary(listed=outcome.total)


def test_the_word_being_typed_is_what_completion_replaces():
    assert last_word("men #Me", 7) == (4, "#Me")
    assert last_word('code:"Not all', 13) == (0, 'code:"Not all')


def test_facet_values_become_query_conditions():
    assert filter_term("hashtags", "MeToo") == "#MeToo"
    assert filter_term("codes", "Not all men") == 'code:"Not all men"'
    assert filter_term("authors", "kofi_nightpages") == "author:kofi_nightpages"
    assert filter_term("days", "2017-10-16") == "date:2017-10-16"


def test_matched_words_are_drawn_marked_in_the_text_column(qtbot):
    delegate = HighlightDelegate()
    delegate.highlight = compile_query("stockroom").highlight
    shown = delegate.snippet("My first boss used to corner me in the stockroom and comment on my body.")
    assert shown.render("[", "]").count("[stockroom]") == 1
    assert delegate.snippet("no match here") is None
    image = QImage(400, 24, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    option = QStyleOptionViewItem()
    option.rect = image.rect()
    delegate._draw_runs(painter, image.rect(), shown, option.font, QColor("black"))
    painter.end()
    colours = {image.pixelColor(x, 12).name() for x in range(400)}
    assert "#ffe08a" in colours  # the yellow mark behind the matched word


# In the window ------------------------------------------------------------------------------------------------


def test_a_search_lists_what_it_found_and_counts_the_facets(search_window, qtbot):
    window = search_window
    everything = window.model.rowCount()
    run_search(window, qtbot, "#HowIWillChange")
    found = window.search.last
    assert window.model.rowCount() == found.total < everything
    assert window.search_bar.result.text().startswith(f"{found.total:,} posts found")
    assert not window.facets_dock.isHidden()
    groups = [window.facets.tree.topLevelItem(i).text(0) for i in range(window.facets.tree.topLevelItemCount())]
    assert "Hashtags" in groups and "Authors" in groups
    assert window.current_post_id() is not None  # the first hit is selected, its thread shown
    assert window.thread_view.model.root_id is not None
    assert window.highlight.highlight is not None
    window.search_bar.clear()
    assert window.model.rowCount() == everything
    assert window.highlight.highlight is None


def test_a_query_with_a_mistake_says_where_it_is(search_window):
    window = search_window
    window.search_bar.edit.setText("lang:")
    window.search_bar.run()
    assert window.search_bar.result.text() == "expected a value after 'lang:' (at character 6)"
    assert not window.runner.busy  # nothing was run


def test_a_facet_narrows_the_search(search_window, qtbot):
    window = search_window
    run_search(window, qtbot, "is:reply")
    replies = window.search.last.total
    languages = next(
        window.facets.tree.topLevelItem(i)
        for i in range(window.facets.tree.topLevelItemCount())
        if window.facets.tree.topLevelItem(i).text(0) == "Languages"
    )
    term = languages.child(1).data(0, TermRole)  # the second most common language
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        window.facets.tree.itemActivated.emit(languages.child(1), 0)
    assert window.search_bar.edit.text() == f"is:reply {term}"
    assert 0 < window.search.last.total < replies


def test_searching_by_code_finds_what_was_just_coded(search_window, qtbot):
    window = search_window
    window.coding.new_coder("ana")
    from desktop.gui import starter_codebooks

    window.coding.load_codebook(starter_codebooks()["Men in #MeToo: participation and reactions"])
    post = window.current_post_id()
    window.coding_panel.choose(find_code(window.project.db.conn, "Not all men"))
    run_search(window, qtbot, 'code:"Not all men"')  # the coding is indexed first, then searched
    assert window.search.last.total == 1
    assert window.current_post_id() == post


def test_search_results_can_be_sorted_by_a_column(search_window, qtbot):
    window = search_window
    run_search(window, qtbot, "is:reply")
    window.table.sortByColumn(Column.AUTHOR, Qt.SortOrder.AscendingOrder)
    authors = [window.model.index(r, Column.AUTHOR).data().lower() for r in range(window.model.rowCount())]
    assert authors == sorted(authors)
    assert window.model.rowCount() == window.search.last.total  # still only the hits


def test_the_filters_panel_opens_narrow_once_and_then_keeps_the_width_the_user_gives_it(search_window, qtbot):
    from ui.search.search_controller import FILTERS_WIDTH

    window = search_window
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    run_search(window, qtbot, "#metoo")
    qtbot.waitUntil(lambda: abs(window.facets_dock.width() - FILTERS_WIDTH) <= 8)
    text_width = window.table.columnWidth(Column.TEXT)
    assert text_width >= 180  # the post list's text stays readable beside the panel at 1280 pixels
    window.resizeDocks([window.facets_dock], [320], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: window.facets_dock.width() > 300)
    run_search(window, qtbot, "#howiwillchange")
    assert window.facets_dock.width() > 300  # the user's width, not the first one


def test_a_query_with_a_mistake_lists_nothing_rather_than_the_last_results(search_window, qtbot):
    window = search_window
    run_search(window, qtbot, "#metoo")
    assert window.model.rowCount() > 0
    window.search_bar.edit.setText("women AND (men")
    window.search_bar.search_requested.emit("women AND (men", "relevance")
    assert window.search_bar.result.property("error") or "never closed" in window.search_bar.result.text()
    assert window.model.rowCount() == 0
    assert window.search.last is None


def test_an_empty_project_says_what_to_do_not_that_a_post_is_missing(window, tmp_path):
    from archive.store.project import Project

    folder = tmp_path / "empty.threadcoder"
    Project.create_or_open(folder).close()
    window.open_project(folder)
    assert "Import an archive" in window.thread_view.header.text()
    assert "not in the project" not in window.coding_panel.status_label.text()


def test_a_big_result_is_listed_whole_in_the_searchs_order(search_window, qtbot):
    # 698,442 #metoo posts once listed only their first 10,000 ("narrow the search to see the rest").
    window = search_window
    run_search(window, qtbot, "is:reply")
    every = [window.model.index(row, 0).data(PostIdRole) for row in range(window.model.rowCount())]
    window.search.first_page, window.search.more_page = 10, 25  # the real sizes, made small
    window.search_bar.sort.setCurrentIndex(window.search_bar.sort.currentIndex())
    run_search(window, qtbot, "is:reply ")
    qtbot.waitUntil(lambda: window.model.rowCount() == len(every), timeout=30_000)
    listed = [window.model.index(row, 0).data(PostIdRole) for row in range(window.model.rowCount())]
    assert listed == every
    assert "listed so far" not in window.search_bar.result.text()


def test_the_rest_of_a_result_stops_when_another_search_is_shown(search_window, qtbot):
    window = search_window
    window.search.first_page, window.search.more_page = 10, 25
    window.search_bar.edit.setText("is:reply")
    window.search_bar.run()
    run_search(window, qtbot, "#HowIWillChange")  # queued behind the first search's pages
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30_000)
    assert window.search.last.query == "#HowIWillChange"
    assert window.model.rowCount() == window.search.last.total == 59
