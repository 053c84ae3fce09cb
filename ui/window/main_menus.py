"""The main window's menus and their shortcuts, following each platform's conventions (QKeySequence)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow

Keys = QKeySequence.StandardKey | str | list[str] | None


class MainMenus:
    """Builds the menu bar; ``update`` enables what makes sense for the open project."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        bar = window.menuBar()
        self._file(bar.addMenu("&File"))
        self._edit(bar.addMenu("&Edit"))
        self._go(bar.addMenu("&Go"))
        self._coding(bar.addMenu("&Coding"))
        view = bar.addMenu("&View")
        view.addAction(window.facets_dock.toggleViewAction())
        self.charts = self.add(view, "&Charts…", window.dialogs.show_charts, "Ctrl+Shift+C")
        help_menu = bar.addMenu("&Help")
        self.add(help_menu, "&Search Language", window.dialogs.show_search_help, QKeySequence.StandardKey.HelpContents)
        self.add(help_menu, "&Keyboard Shortcuts", window.dialogs.show_shortcuts, None)
        help_menu.addSeparator()
        self.check_project = self.add(help_menu, "&Check Project…", window.dialogs.show_doctor, None)

    def _file(self, menu: QMenu) -> None:
        window = self._window
        self.new = self.add(menu, "&New Project…", window.choose_new_project, QKeySequence.StandardKey.New)
        self.open = self.add(menu, "&Open Project…", window.choose_project, QKeySequence.StandardKey.Open)
        self.recent = menu.addMenu("Open &Recent")
        self.recent.aboutToShow.connect(self._fill_recent)
        menu.addSeparator()
        self.import_ = self.add(menu, "&Import…", lambda: window.show_import_dialog(), "Ctrl+I")  # noqa: PLW0108
        self.export = self.add(menu, "&Export…", lambda: window.dialogs.show_export(), "Ctrl+E")  # noqa: PLW0108
        menu.addSeparator()
        self.close = self.add(menu, "&Close Project", window.close_project, QKeySequence.StandardKey.Close)
        self.quit = self.add(menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)

    def _edit(self, menu: QMenu) -> None:
        coding = self._window.coding
        self.undo = self.add(menu, "&Undo", coding.undo, QKeySequence.StandardKey.Undo)
        self.redo = self.add(menu, "&Redo", coding.redo, QKeySequence.StandardKey.Redo)
        menu.addSeparator()
        dialogs = self._window.dialogs
        self.preferences = self.add(menu, "&Preferences…", dialogs.show_preferences, "Ctrl+,")
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

    def _go(self, menu: QMenu) -> None:
        window = self._window
        self.next_post = self.add(menu, "&Next Post", lambda: window.step_post(1), "Ctrl+Down")
        self.previous_post = self.add(menu, "&Previous Post", lambda: window.step_post(-1), "Ctrl+Up")
        self.next_uncoded = self.add(menu, "Next &Uncoded Post", lambda: window.go_to_uncoded(True), "Ctrl+Shift+Down")
        self.previous_uncoded = self.add(
            menu, "Previous Unc&oded Post", lambda: window.go_to_uncoded(False), "Ctrl+Shift+Up"
        )
        menu.addSeparator()
        self.add(menu, "&Search", window.focus_search, QKeySequence.StandardKey.Find)
        self.add(menu, "Post &List", window.table.setFocus, "Ctrl+1")
        self.add(menu, "&Thread", window.thread_view.tree.setFocus, "Ctrl+2")
        self.add(menu, "&Codes", window.coding_panel.tree.setFocus, "Ctrl+3")
        self.add(menu, "&Memo", window.coding_panel.memo.setFocus, "Ctrl+M")

    def _coding(self, menu: QMenu) -> None:
        window, panel = self._window, self._window.coding_panel
        self.mark_done = self.add(menu, "Mark as Coded, Next", lambda: panel.mark_done(), ["Ctrl+Return", "Ctrl+Enter"])  # noqa: PLW0108
        self.no_code = self.add(
            menu,
            "No Code Applies, Next",
            lambda: panel.no_code_applies(),  # noqa: PLW0108
            ["Ctrl+Shift+Return", "Ctrl+Shift+Enter"],
        )
        menu.addSeparator()
        self.add_coder = self.add(menu, "Add &Coder…", window.coding.ask_new_coder, None)
        self.coders = self.add(menu, "Coders and &Blind Mode…", window.dialogs.show_coders, None)
        self.edit_codebook = self.add(menu, "&Edit Codebook…", window.dialogs.show_codebook_editor, None)
        self.import_codebook = self.add(menu, "&Import Codebook…", window.coding.choose_codebook_file, None)
        starters = menu.addMenu("Load &Starter Codebook")
        for label, path in window.starter_codebooks.items():
            self.add(starters, label, _loader(window, path), None)
        self.starters = starters.menuAction()
        self.samples = self.add(menu, "&Samples and Assignments…", window.dialogs.show_samples, None)
        self.assigned = self.add(menu, "My &Assigned Posts", window.dialogs.show_assigned, None)
        self.adjudicate = self.add(menu, "A&djudicate Disagreements…", window.dialogs.show_adjudication, None)
        packages = menu.addMenu("Coder &Packages")
        self.package_export = self.add(
            packages, "&Export a Package for a Coder…", window.packages.export_for_coder, None
        )
        self.package_merge = self.add(packages, "&Merge a Returned Package…", window.packages.choose_merge, None)
        packages.addSeparator()
        self.package_open = self.add(packages, "&Open a Package…", window.packages.choose_open, None)
        self.package_pack = self.add(packages, "&Pack This Project to Send Back…", window.packages.choose_pack, None)
        menu.addSeparator()
        self.blind: QAction = self.add(
            menu, "&Blind Coding", lambda: window.coding.set_blind(self.blind.isChecked()), None
        )
        self.blind.setCheckable(True)

    def add(self, menu: QMenu, text: str, slot: Callable[[], object], keys: Keys) -> QAction:
        action = QAction(text, self._window)
        if isinstance(keys, list):
            action.setShortcuts([QKeySequence(k) for k in keys])
        elif keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def update(self, *, project_open: bool, writable: bool) -> None:
        self.import_.setEnabled(writable)
        self.close.setEnabled(project_open)
        self.check_project.setEnabled(project_open)
        self.charts.setEnabled(project_open)
        self.export.setEnabled(project_open)
        self.samples.setEnabled(writable)
        self.coders.setEnabled(writable)
        self.edit_codebook.setEnabled(writable)
        for action in (self.package_export, self.package_merge, self.package_pack):
            action.setEnabled(writable)
        self.assigned.setEnabled(writable)
        self.adjudicate.setEnabled(writable)
        for action in (self.next_post, self.previous_post, self.next_uncoded, self.previous_uncoded):
            action.setEnabled(project_open)
        self.mark_done.setEnabled(writable)
        self.no_code.setEnabled(writable)

    def _fill_recent(self) -> None:
        self.recent.clear()
        folders = self._window.recent.paths()
        for number, folder in enumerate(folders, start=1):
            action = self.recent.addAction(f"&{number} {folder.name}  ({folder.parent})")
            action.triggered.connect(lambda _checked=False, f=folder: self._window.open_project(Path(f)))
        if not folders:
            self.recent.addAction("No recent projects").setEnabled(False)
            return
        self.recent.addSeparator()
        self.recent.addAction("Clear the list", self._window.recent.clear)


def _loader(window: MainWindow, path: Path) -> Callable[[], object]:
    return lambda: window.coding.load_codebook(path)
