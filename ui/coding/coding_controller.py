"""Coding in the window: who codes, undo and redo, codebooks and blind mode, wired to the coding panel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from app.coding_session import CodingSession
from archive.coding.blind import set_blind_mode
from archive.coding.codebook import list_codes
from archive.coding.codebook_import import import_codebook
from archive.coding.codebook_io import read_codebook
from archive.coding.coders import add_coder, find_coder, list_coders
from archive.coding.undo import ActionResult
from archive.errors import ThreadcoderError
from ui.common.host import WindowHost

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from ui.coding.coding_panel import CodingPanel
    from ui.reading.posts_model import PostsModel
    from ui.window.main_menus import MainMenus

CODEBOOK_FILTER = "Codebooks (*.json *.csv *.qdc);;All files (*)"


class CodingHost(WindowHost, Protocol):
    """What coding needs of the window: the coding panel, the post list, the menus and moving between posts."""

    model: PostsModel | None
    settings: QSettings
    coding_panel: CodingPanel
    menus: MainMenus

    def go_to_uncoded(self, forward: bool = True) -> None: ...

    def go_to_post(self, post_id: str) -> None: ...

    def ask_text(self, title: str, label: str) -> str | None: ...


class CoderSeat(Protocol):
    """What other rooms may ask of coding: who codes now (None: nobody chose yet), and the code names."""

    @property
    def session(self) -> CodingSession | None: ...

    def code_names(self) -> list[str]: ...


class CodingController(QObject):
    """Keeps the coding panel, the posts table's Coded column and the Edit menu in step with the coder."""

    def __init__(self, window: CodingHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = window
        self._parent = parent
        self.session: CodingSession | None = None
        panel = window.coding_panel
        panel.changed.connect(self._on_changed)
        panel.coder_chosen.connect(self.set_coder)
        panel.add_coder_requested.connect(self.ask_new_coder)
        panel.failed.connect(self._on_failed)
        panel.advance_requested.connect(window.go_to_uncoded)

    # The coder ----------------------------------------------------------------------------------------------

    def start(self) -> None:
        """A project was opened: code as the coder last used on it here, if any.

        A project ready to code but with nobody to code as (the demo, a colleague's codebook) asks once for
        the researcher's name, so the first key press codes.
        """
        project = self.window.project
        remembered = self.window.settings.value(self._settings_key()) if project is not None else None
        coder = find_coder(project.db.conn, str(remembered)) if project is not None and remembered else None
        self._use(coder.id if coder is not None and not coder.retired else None)
        if self.session is None and self._first_use():
            self.ask_new_coder("Who is coding? Every code you apply is kept under this name.\n\n")

    def _first_use(self) -> bool:
        project = self.window.project
        if project is None or not project.writable:
            return False
        return not list_coders(project.db.conn) and bool(list_codes(project.db.conn))

    def stop(self) -> None:
        self._use(None)

    def set_coder(self, coder_id: int) -> None:
        self._use(coder_id)
        if self.session is not None:
            self.window.settings.setValue(self._settings_key(), self.session.coder.name)

    def new_coder(self, name: str, full_name: str = "") -> bool:
        """Add a coder profile and code as them; False (with a message) when the name is refused."""
        project = self.window.project
        if project is None or not project.writable:
            return False
        try:
            coder = add_coder(project.db, name, full_name)
        except ThreadcoderError as error:
            self.window.warn(str(error))
            return False
        self.set_coder(coder.id)
        return True

    def ask_new_coder(self, why: str = "") -> None:
        name = self.window.ask_text("Add a coder", f"{why}Short name (one word, e.g. ana or j.smith):")
        if name and name.strip():
            self.new_coder(name)

    def _use(self, coder_id: int | None) -> None:
        project = self.window.project
        writable = project is not None and project.writable
        self.session = None
        if project is not None and writable and coder_id is not None:
            self.session = CodingSession(project.db, coder_id)
        coders = list_coders(project.db.conn) if project is not None else []
        self.window.coding_panel.read_only = project is not None and not project.writable
        self.window.coding_panel.set_session(self.session, coders)
        if self.window.model is not None:
            self.window.model.set_coder(coder_id if self.session is not None else None)
        self.update_actions()

    def _settings_key(self) -> str:
        project = self.window.project
        return f"coder/{project.folder.resolve()}" if project is not None else "coder/"

    # Undo and redo --------------------------------------------------------------------------------------------

    def undo(self) -> None:
        self._step(backwards=True)

    def redo(self) -> None:
        self._step(backwards=False)

    def _step(self, *, backwards: bool) -> None:
        if self.session is None:
            return
        try:
            result = self.session.undo() if backwards else self.session.redo()
        except ThreadcoderError as error:
            self.window.warn(str(error))
            return
        if result.changed:
            self.window.coding_panel.reload_codebook()  # an undone codebook edit changes the tree too
            self._show(result)

    def code_names(self) -> list[str]:
        """The names of the codes in the coding panel's tree (empty before a coder is chosen)."""
        return [code.name for code in self.window.coding_panel.model.codes()]

    def update_actions(self) -> None:
        """The Edit menu says what Undo and Redo would do."""
        menus = self.window.menus
        undo_label, redo_label = self.session.undo_labels() if self.session is not None else (None, None)
        menus.undo.setEnabled(undo_label is not None)
        menus.undo.setText(f"&Undo {undo_label}" if undo_label else "&Undo")
        menus.redo.setEnabled(redo_label is not None)
        menus.redo.setText(f"&Redo {redo_label}" if redo_label else "&Redo")
        writable = self.window.project is not None and self.window.project.writable
        for action in (menus.add_coder, menus.import_codebook, menus.starters):
            action.setEnabled(writable)
        menus.blind.setEnabled(self.session is not None)
        menus.blind.setChecked(self.session is not None and self.session.blind())

    def _show(self, result: ActionResult) -> None:
        """After an undo or redo: go to the post it changed, so the researcher sees what happened."""
        if len(result.posts) == 1 and result.posts[0] != self.window.coding_panel.post_id:
            self.window.go_to_post(result.posts[0])
        self._on_changed(result.posts)

    def _on_changed(self, _posts: object) -> None:
        if self.window.model is not None:
            self.window.model.refresh_rows()
        self.window.coding_panel.set_post(self.window.coding_panel.post_id)
        self.update_actions()

    def _on_failed(self, message: str) -> None:
        QApplication.beep()
        self.window.notify(message, 10_000)

    # Codebooks and blind mode -------------------------------------------------------------------------------------

    def load_codebook(self, path: Path) -> bool:
        """Merge a codebook file (JSON, CSV or .qdc) into the project's codebook, as one undoable action."""
        project = self.window.project
        if self.session is None or project is None:
            self.window.warn("Choose who you are (Coder, or Coding › Add coder…) before changing the codebook.")
            return False
        try:
            report = import_codebook(project.db, self.session.coder_id, read_codebook(path), path.name)
        except (ThreadcoderError, OSError) as error:
            self.window.warn(f"Cannot import the codebook.\n\n{error}")
            return False
        self.window.coding_panel.reload_codebook()
        self.update_actions()
        notes = "\n".join(report.notes)
        self.window.notify(
            f"Codebook version {report.version}: {len(report.added)} codes added, {len(report.updated)} updated."
            + (f" {notes}" if notes else ""),
            15_000,
        )
        return True

    def choose_codebook_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self._parent, "Import a codebook", "", CODEBOOK_FILTER)
        if name:
            self.load_codebook(Path(name))

    def set_blind(self, on: bool) -> None:
        project = self.window.project
        if self.session is None or project is None:
            return
        if not on and not self.window.confirm(
            "Lift blind coding for the whole project? Every coder will see everyone's codes, status and memos. "
            "Do this for adjudication, after independent coding.",
            yes="Lift blind coding",
        ):
            self.update_actions()
            return
        set_blind_mode(project.db, on, self.session.coder_id)
        self._use(self.session.coder_id)
