"""Coding › Edit Codebook…: the hierarchy (drag and drop), definitions, criteria, examples, colours, keys, variables.

Every change is one codebook action in the core: it raises the codebook's version, is logged with the
coder and time, and the coder can undo it (Edit › Undo). Codes are never deleted: retire, merge or split.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from archive.coding.codebook import Code, codebook_info, get_code, list_codes
from archive.coding.codebook_edit import (
    CodeDraft,
    add_code,
    merge_codes,
    move_code,
    rename_code,
    restore_code,
    retire_code,
    set_exclusive,
    split_code,
    update_code,
)
from archive.errors import ThreadcoderError
from ui.coding.code_tree import CodeTree, swatch


class CodebookEditor(QDialog):
    """Edits the project's codebook as one coder.

    Signals:
        changed(): the codebook changed (the coding panel and the Edit menu follow).
    """

    changed = Signal()

    def __init__(self, db: Database, coder_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.resize(980, 640)
        self.db, self.coder_id = db, coder_id
        self.tree = CodeTree(self)
        self.show_retired = QCheckBox("Show retired codes", self)
        self.name, self.colour = QLineEdit(self), ""
        self.description, self.inclusion = QPlainTextEdit(self), QPlainTextEdit(self)
        self.exclusion, self.examples = QPlainTextEdit(self), QPlainTextEdit(self)
        self.shortcut = QKeySequenceEdit(self)
        self.colour_button = QPushButton("Colour…", self)
        self.variable = QCheckBox("Its sub-codes are the values of one variable (a coder chooses one)", self)
        self.category = QCheckBox("A category only: it groups sub-codes and is not applied itself", self)
        self.retire_button = QPushButton(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self._build()
        self.reload()

    def code(self) -> Code | None:
        code_id = self.tree.current_code_id()
        return None if code_id is None else get_code(self.db.conn, code_id)

    def reload(self, select: int | None = None) -> None:
        info = codebook_info(self.db.conn)
        self.setWindowTitle(f"Codebook: {info.citation}")
        current = select if select is not None else self.tree.current_code_id()
        self.tree.show_codes(list_codes(self.db.conn, include_retired=self.show_retired.isChecked()), current)
        self._show_code()

    # Actions: each is one core call, then the tree is read again ----------------------------------------------

    def add(self, name: str, parent_id: int | None) -> bool:
        return self._do(lambda: add_code(self.db, self.coder_id, CodeDraft(name, parent_id)).id)

    def save(self) -> bool:
        """Write the form's changes: rename, definition and criteria, and the variable flag, as needed."""
        code = self.code()
        if code is None:
            return False
        keys = self.shortcut.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        examples = [line for line in self.examples.toPlainText().splitlines() if line.strip()]

        def changes() -> int:
            if self.name.text().strip() != code.name:
                rename_code(self.db, self.coder_id, code.id, self.name.text())
            if self.variable.isChecked() != code.exclusive:
                set_exclusive(self.db, self.coder_id, code.id, self.variable.isChecked())
            codable = None if self.variable.isChecked() else not self.category.isChecked()
            update_code(
                self.db,
                self.coder_id,
                code.id,
                description=self.description.toPlainText(),
                inclusion=self.inclusion.toPlainText(),
                exclusion=self.exclusion.toPlainText(),
                examples=examples,
                color=self.colour,
                shortcut=keys,
                codable=codable,
            )
            return code.id

        return self._do(changes)

    def move_to(self, code_id: int, parent_id: int | None, position: int | None) -> bool:
        return self._do(lambda: move_code(self.db, self.coder_id, code_id, parent_id, position).id)

    def retire_or_restore(self) -> bool:
        code = self.code()
        if code is None:
            return False
        change = restore_code if code.retired else retire_code
        return self._do(lambda: change(self.db, self.coder_id, code.id).id)

    def merge_into(self, target_name: str) -> bool:
        code, target = self.code(), next((c for c in list_codes(self.db.conn) if c.name == target_name), None)
        if code is None or target is None:
            return False
        return self._do(lambda: merge_codes(self.db, self.coder_id, code.id, target.id).id)

    def split_into(self, names: list[str]) -> bool:
        code = self.code()
        if code is None:
            return False
        return self._do(lambda: split_code(self.db, self.coder_id, code.id, names)[0].id)

    def _do(self, action: Callable[[], int]) -> bool:
        try:
            selected = action()
        except ThreadcoderError as error:
            self.message.setText(str(error))
            return False
        self.message.setText(f"Saved: the codebook is now version {codebook_info(self.db.conn).version}.")
        self.reload(select=selected)
        self.changed.emit()
        return True

    # Layout and the form ------------------------------------------------------------------------------------------

    def _build(self) -> None:
        add, add_sub, save = QPushButton("Add code…", self), QPushButton("Add sub-code…", self), QPushButton("Save")
        merge, split = QPushButton("Merge into…", self), QPushButton("Split into…", self)
        add.clicked.connect(lambda: self._ask_name(None))
        add_sub.clicked.connect(lambda: self._ask_name(self.tree.current_code_id()))
        save.clicked.connect(self.save)
        merge.clicked.connect(self._ask_merge)
        split.clicked.connect(self._ask_split)
        self.retire_button.clicked.connect(self.retire_or_restore)
        self.colour_button.clicked.connect(self._choose_colour)
        self.show_retired.toggled.connect(lambda _on: self.reload())
        self.tree.currentItemChanged.connect(lambda _c, _p: self._show_code())
        self.tree.move_requested.connect(self.move_to)
        for box in (self.description, self.inclusion, self.exclusion, self.examples):
            box.setMaximumHeight(80)
        self.examples.setPlaceholderText("One example post per line")
        form = QFormLayout()
        for label, field in (
            ("Name", self.name),
            ("Definition", self.description),
            ("Use when", self.inclusion),
            ("Not when", self.exclusion),
            ("Examples", self.examples),
            ("Key", self.shortcut),
            ("Colour", self.colour_button),
        ):
            form.addRow(label, field)
        form.addRow(self.variable)
        form.addRow(self.category)
        buttons = QHBoxLayout()
        for button in (save, merge, split, self.retire_button):
            buttons.addWidget(button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(buttons)
        right.addStretch(1)
        right.addWidget(self.message)
        left = QVBoxLayout()
        left.addWidget(QLabel("Drag a code onto another to make it a sub-code, or between codes to reorder.", self))
        left.addWidget(self.tree, 1)
        row = QHBoxLayout()
        for widget in (add, add_sub, self.show_retired):
            row.addWidget(widget)
        left.addLayout(row)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)

    def _show_code(self) -> None:
        code = self.code()
        for widget in (self.name, self.description, self.inclusion, self.exclusion, self.examples):
            widget.setEnabled(code is not None)
        if code is None:
            return
        self.name.setText(code.name)
        self.description.setPlainText(code.description)
        self.inclusion.setPlainText(code.inclusion)
        self.exclusion.setPlainText(code.exclusion)
        self.examples.setPlainText("\n".join(code.examples))
        self.shortcut.setKeySequence(QKeySequence(code.shortcut or ""))
        self._set_colour(code.color or "")
        self.variable.setChecked(code.exclusive)
        self.category.setChecked(not code.codable and not code.exclusive)
        self.retire_button.setText("Restore" if code.retired else "Retire")

    def _set_colour(self, colour: str) -> None:
        self.colour = colour
        self.colour_button.setIcon(swatch(colour or None))
        self.colour_button.setText(colour or "Colour…")

    def _choose_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour or "#1f77b4"), self, "Code colour")
        if chosen.isValid():
            self._set_colour(chosen.name())

    def _ask_name(self, parent_id: int | None) -> None:
        name, ok = QInputDialog.getText(self, "New code", "Name of the new code:")
        if ok and name.strip():
            self.add(name, parent_id)

    def _ask_merge(self) -> None:
        code = self.code()
        names = [c.name for c in list_codes(self.db.conn) if code is None or c.id != code.id]
        target, ok = QInputDialog.getItem(self, "Merge", "Merge into (its codings move there):", names, 0, False)
        if ok and target:
            self.merge_into(target)

    def _ask_split(self) -> None:
        text, ok = QInputDialog.getText(self, "Split", "Names of the new codes, separated by commas:")
        if ok:
            self.split_into([name.strip() for name in text.split(",") if name.strip()])
