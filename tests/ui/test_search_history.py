"""Recent and saved searches in the search bar's drop-down, on the demo project."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from archive.store.lock import ProjectLock
from index.saved import save_search, saved_searches
from tests.ui.conftest import run_search
from ui.search.search_history import RecentSearch, RecentSearches, remembered


def test_a_query_run_again_moves_to_the_top_and_the_list_is_cut():
    recent: list[RecentSearch] = []
    for query in ["a", "b", "c", "a  ", "d"]:
        recent = remembered(recent, query.strip(), "relevance", limit=3)
    assert [entry.query for entry in recent] == ["d", "a", "c"]
    assert remembered(recent, "x  y", "date")[0] == RecentSearch("x  y", "date")
    assert [e.query for e in remembered(remembered([], "x y", "date"), "x  y", "-date")] == ["x  y"]


def test_recent_searches_are_kept_per_project_and_survive_an_unreadable_setting(settings, tmp_path):
    first, second = RecentSearches(settings, tmp_path / "a"), RecentSearches(settings, tmp_path / "b")
    first.add('"believe survivors", men', "-date")
    first.add("#metoo", "relevance")
    second.add("lang:fr", "date")
    reread = QSettings(settings.fileName(), QSettings.Format.IniFormat)  # a restart reads the file again
    expected = [RecentSearch("#metoo"), RecentSearch('"believe survivors", men', "-date")]
    assert RecentSearches(reread, tmp_path / "a").entries() == expected
    assert RecentSearches(reread, tmp_path / "b").entries() == [RecentSearch("lang:fr", "date")]
    settings.setValue(first.key, "not json [")
    assert first.entries() == []
    first.clear()
    assert first.entries() == [] and second.entries()


# In the window ------------------------------------------------------------------------------------------------


def menu_entries(window) -> dict[str, object]:
    """The drop-down's entries by text, filled as when it opens."""
    menu = window.search_bar.menu
    menu.aboutToShow.emit()
    return {action.text(): action for action in menu.actions() if action.text()}


def section(window, title: str) -> list[str]:
    """The texts of the entries under a section title, up to the next section or separator."""
    texts, inside = [], False
    for action in window.search_bar.menu.actions():
        if action.isSeparator():
            if inside and action.text() != title:
                break
            inside = action.text() == title
        elif inside:
            texts.append(action.text())
    return texts


def test_searches_run_are_listed_newest_first_without_repeats(search_window, qtbot):
    window = search_window
    for query in ["is:reply", "#HowIWillChange", "is:reply"]:
        run_search(window, qtbot, query)
    menu_entries(window)
    assert section(window, "Recent searches")[:2] == ["is:reply", "#HowIWillChange"]
    assert section(window, "Recent searches")[2:] == ["Clear recent searches"]
    window.search_bar.edit.setText("lang:")
    window.search_bar.run()  # a query with a mistake is not run, so it is not remembered
    assert [entry.query for entry in window.search.recent.entries()] == ["is:reply", "#HowIWillChange"]


def test_picking_a_recent_search_runs_it_with_its_order(search_window, qtbot):
    window = search_window
    window.search_bar.sort.setCurrentIndex(window.search_bar.sort.findData("date"))
    run_search(window, qtbot, "#HowIWillChange")
    window.search_bar.sort.setCurrentIndex(window.search_bar.sort.findData("relevance"))
    window.search_bar.clear()
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        menu_entries(window)["#HowIWillChange"].trigger()
    assert window.search.last.query == "#HowIWillChange" and window.search.last.sort == "date"
    assert window.search_bar.edit.text() == "#HowIWillChange"
    assert window.search_bar.sort.currentData() == "date"


def test_recent_searches_survive_a_restart_and_can_be_cleared(search_window, qtbot, settings, tmp_path, demo_folder):
    from ui.window.main_window import MainWindow

    run_search(search_window, qtbot, "is:quote")
    run_search(search_window, qtbot, "lang:en")
    search_window.close_project()
    again = MainWindow(QSettings(settings.fileName(), QSettings.Format.IniFormat), log_file=tmp_path / "log")
    again.auto_index = again.background_lists = False
    qtbot.addWidget(again)
    try:
        again.open_project(demo_folder)
        entries = menu_entries(again)
        assert section(again, "Recent searches") == ["lang:en", "is:quote", "Clear recent searches"]
        entries["Clear recent searches"].trigger()
        menu_entries(again)
        assert section(again, "Recent searches")[0] == "No searches run in this project yet"
        assert not again.search.recent.entries()
    finally:
        again.close_project()


def test_a_search_saved_in_the_app_is_in_the_project_and_runs_from_the_menu(search_window, qtbot):
    window = search_window
    window.search_bar.sort.setCurrentIndex(window.search_bar.sort.findData("-date"))
    run_search(window, qtbot, "#HowIWillChange is:reply")
    window.search.ask_name = lambda _query: "Replies on change"
    menu_entries(window)["Save search…"].trigger()
    stored = saved_searches(window.project.db.conn)
    assert [(s.name, s.query, s.sort) for s in stored] == [("Replies on change", "#HowIWillChange is:reply", "-date")]
    save_search(window.project.db, "French posts", "lang:fr", "date")  # as `threadcoder search --save` does
    entries = menu_entries(window)
    assert section(window, "Saved searches") == ["French posts", "Replies on change"]
    assert entries["French posts"].toolTip().startswith("lang:fr")
    window.search_bar.clear()
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        entries["Replies on change"].trigger()
    assert (window.search.last.query, window.search.last.sort) == ("#HowIWillChange is:reply", "-date")


def test_saving_under_a_taken_name_asks_and_an_empty_bar_cannot_be_saved(search_window, qtbot):
    window = search_window
    save_search(window.project.db, "Mine", "lang:fr", "date")
    window.search_bar.edit.setText("lang:en")
    window.search.ask_name = lambda _query: "mine"
    window.answers = [False]
    menu_entries(window)["Save search…"].trigger()
    assert saved_searches(window.project.db.conn)[0].query == "lang:fr"  # not replaced
    window.answers = [True]
    menu_entries(window)["Save search…"].trigger()
    assert [(s.name, s.query) for s in saved_searches(window.project.db.conn)] == [("mine", "lang:en")]
    window.search_bar.edit.clear()
    assert not menu_entries(window)["Save search…"].isEnabled()


def test_a_saved_search_is_deleted_from_the_submenu(search_window):
    window = search_window
    save_search(window.project.db, "Gone soon", "lang:fr")
    menu_entries(window)
    delete = {a.text(): a for a in window.search_bar.menu.delete_menu.actions()}
    window.answers = [True]
    delete["Gone soon"].trigger()
    assert saved_searches(window.project.db.conn) == []
    menu_entries(window)
    assert not window.search_bar.menu.delete_menu.isEnabled()
    assert section(window, "Saved searches")[0].startswith("None saved yet")


def test_a_read_only_project_keeps_recent_searches_but_saves_none(window, qtbot, demo_folder):
    from app.search_run import index_job
    from archive.jobs import CancelToken, drain
    from archive.store.project import Project

    with Project(demo_folder):
        pass  # as the window would, before its jobs attach to the project
    drain(index_job(demo_folder)(CancelToken()))
    held = ProjectLock(demo_folder)
    held.acquire()
    try:
        window.answers = [True]
        window.open_project(demo_folder)
        assert window.read_only
        run_search(window, qtbot, "lang:en")
        window.search.ask_name = lambda _query: pytest.fail("a read-only project asked for a name")
        entries = menu_entries(window)
        assert section(window, "Recent searches")[0] == "lang:en"
        assert not entries["Save search…"].isEnabled()
        assert "read-only" in entries["Save search…"].toolTip()
        assert not window.search_bar.menu.delete_menu.isEnabled()
        window.search.save_current()  # even when called directly, nothing is written
        assert saved_searches(window.project.db.conn) == []
    finally:
        window.close_project()
        held.release()


def test_down_in_an_empty_field_opens_the_drop_down(search_window, qtbot):
    window = search_window
    window.show()
    qtbot.waitExposed(window)
    menu = window.search_bar.menu
    qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_Down)
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    menu.hide()
    window.search_bar.edit.setText("metoo")
    qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_Down)
    assert not menu.isVisible()  # Down in a typed query is left to the field
    qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    menu.hide()
