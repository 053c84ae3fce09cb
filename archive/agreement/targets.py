"""What reliability is measured on: each independent code (present/absent) and each variable.

An independent code gives 1 when the coder applied it to the post (to the whole post or to a span) and 0
when the coder completed the post without it. A variable gives the name of the value the coder chose, or
``NONE`` when the coder completed the post without choosing one: "no value applies" is a judgement like any
other value, not missing data. Categories (codes that only group others) and retired codes are not
targets; a retired *value* of a variable still counts, as codings may sit on it until they are recoded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archive.coding.codebook import Code, get_code, list_codes, require_code, sub_codes, variable_of
from archive.coding.errors import CodingError
from archive.reliability.data import Label

NONE = "<none>"
"""A variable's value when the coder completed the post without choosing any of its values."""

PRESENT_WORDS = frozenset({"1", "yes", "true", "present"})
ABSENT_WORDS = frozenset({"0", "no", "false", "absent"})


@dataclass(frozen=True)
class Target:
    """One independent code or one variable, with the labels a coder's codes give it."""

    code: Code
    values: tuple[Code, ...] = ()  # a variable's values (retired ones too); () for an independent code

    @property
    def name(self) -> str:
        return self.code.name

    @property
    def kind(self) -> str:
        """Either "variable" (a mutually exclusive group) or "code" (a present/absent code)."""
        return "variable" if self.code.exclusive else "code"

    @property
    def categories(self) -> int:
        """The codebook's category count (for AC1 and Brennan-Prediger): values in use plus "none", or 2."""
        if not self.code.exclusive:
            return 2
        return sum(1 for value in self.values if not value.retired) + 1

    def label(self, code_ids: frozenset[int]) -> Label:
        """The value of this target for a coder who completed a post with these codes."""
        if not self.code.exclusive:
            return int(self.code.id in code_ids)
        # The variable rule keeps one value per coder and post; should two slip in, the first listed wins.
        return next((value.name for value in self.values if value.id in code_ids), NONE)

    def labels(self) -> list[Label]:
        """Every label this target can take, in codebook order (NONE last for a variable)."""
        if not self.code.exclusive:
            return [0, 1]
        return [*(value.name for value in self.values), NONE]

    def parse(self, text: str) -> tuple[int | None, int | None]:
        """A value as typed (1/0, yes/no; a value's name or "none") as (present, value code id)."""
        word = text.strip().lower()
        if not self.code.exclusive:
            if word in PRESENT_WORDS:
                return 1, None
            if word in ABSENT_WORDS:
                return 0, None
            raise CodingError(f"'{text}' is not present or absent (1/0) for the code '{self.name}'")
        if word in ("none", NONE):
            return None, None
        for value in self.values:
            if value.name.lower() == word and not value.retired:
                return None, value.id
        choices = ", ".join([v.name for v in self.values if not v.retired] + ["none"])
        raise CodingError(f"'{text}' is not a value of '{self.name}' (choose {choices})")


class LabelPlan:
    """Every target's label for one coder's codes at once, as an index into that target's ``labels()``.

    ``Target.label`` asks one target; tables and exports ask every target for every coder and post, so the
    plan walks the coder's few codes once instead (a code: 1 when applied; a variable: its first value in
    codebook order, as ``Target.label`` chooses).
    """

    def __init__(self, targets: Sequence[Target]) -> None:
        self.labels = [target.labels() for target in targets]
        # 0 is "absent" for a code; the last label, NONE, is "no value" for a variable.
        self._defaults = [len(target.values) if target.code.exclusive else 0 for target in targets]
        self._hits: dict[int, tuple[int, int, bool]] = {}
        for t, target in enumerate(targets):
            if target.code.exclusive:
                for position, value in enumerate(target.values):
                    self._hits[value.id] = (t, position, False)
            else:
                self._hits[target.code.id] = (t, 1, True)

    def indices(self, code_ids: Iterable[int]) -> list[int]:
        """The label index of every target, in target order."""
        found = self._defaults.copy()
        for code_id in code_ids:
            hit = self._hits.get(code_id)
            if hit is not None and (hit[2] or hit[1] < found[hit[0]]):
                found[hit[0]] = hit[1]
        return found


def list_targets(conn: sqlite3.Connection) -> list[Target]:
    """Every independent code and variable in use, in codebook order."""
    targets: list[Target] = []
    for code in list_codes(conn):
        target = _target(conn, code)
        if target is not None:
            targets.append(target)
    return targets


def _target(conn: sqlite3.Connection, code: Code) -> Target | None:
    if code.exclusive:
        return Target(code, tuple(sub_codes(conn, code.id, include_retired=True)))
    if not code.codable or variable_of(conn, code) is not None:
        return None
    return Target(code)


def find_target(conn: sqlite3.Connection, name: str) -> Target:
    """The independent code or variable with this name, or a CodingError saying what the name is instead."""
    code = require_code(conn, name)
    if code.parent_id is not None and get_code(conn, code.parent_id).exclusive:
        parent = get_code(conn, code.parent_id)
        raise CodingError(f"'{code.name}' is a value; name its variable '{parent.name}' instead")
    target = _target(conn, code)
    if target is None:
        raise CodingError(f"'{code.name}' is a category that is not applied itself")
    return target
