"""Settling the undisputed rest in bulk: the unanimous rule, and the majority rule.

Both run over posts that two or more coders completed (within a selection), never overwrite a gold value
already recorded (a decision by hand stays), and are one transaction each: gold rows, their audit-trail
entries and the index-queue rows of the posts they touch.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from archive.adjudication.gold import AdjudicationError, gold_row, write_gold
from archive.adjudication.values import UnitValues, post_values
from archive.agreement.selection import Selection, select
from archive.agreement.targets import Target, list_targets
from archive.coding.coders import active_coder
from archive.reliability.data import Label
from archive.store.backups import backup_before
from archive.store.index_queue import queue_posts

RULES = ("unanimous", "majority")


@dataclass
class SettleReport:
    """What a bulk rule decided and what it left to the adjudicator."""

    rule: str
    unanimous: int = 0  # decided because every coder agreed
    majority: int = 0  # decided by a majority (majority rule only)
    already_decided: int = 0  # had a gold value, left as it was
    left_open: int = 0  # no rule applies: for the adjudicator
    posts: int = 0  # posts that received at least one gold value


def settle(db: Database, rule: str, adjudicator_id: int, selection: Selection | None = None) -> SettleReport:
    """Record gold values wherever ``rule`` decides; one transaction."""
    if rule not in RULES:
        raise AdjudicationError(f"'{rule}' is not a rule: use {' or '.join(RULES)}")
    selection = selection or Selection()
    if selection.min_coders < 2:
        raise AdjudicationError("the rules need posts that at least two coders completed")
    report = SettleReport(rule)
    touched: list[str] = []
    backup_before(db, f"settle-{rule}")  # a bulk write by rule: one step back to before it, whatever it decides
    with db.atomic():
        conn = db.conn
        active_coder(conn, adjudicator_id)
        targets = list_targets(conn)
        with select(conn, selection) as cells:
            for post_id, units in post_values(cells, targets):
                decided = {row[0] for row in conn.execute("SELECT code_id FROM gold WHERE post_id = ?", (post_id,))}
                wrote = False
                for unit in units:
                    if unit.target.code.id in decided:
                        report.already_decided += 1
                        continue
                    verdict = _verdict(unit, rule)
                    if verdict is None:
                        report.left_open += 1
                        continue
                    _record(db, unit, verdict, adjudicator_id, report)
                    wrote = True
                if wrote:
                    touched.append(post_id)
        queue_posts(conn, touched)
    report.posts = len(touched)
    return report


def _verdict(unit: UnitValues, rule: str) -> tuple[Label, str] | None:
    if unit.unanimous:
        return unit.modal[0], "unanimous"
    majority = unit.majority
    if rule == "majority" and majority is not None:
        return majority, "majority"
    return None


def _record(db: Database, unit: UnitValues, verdict: tuple[Label, str], by: int, report: SettleReport) -> None:
    label, method = verdict
    present, value_id = _stored_value(unit.target, label)
    count = sum(1 for value in unit.values.values() if value == label)
    rationale = f"{method} rule: {count} of {len(unit.values)} coders gave '{label}'"
    row = gold_row(db.conn, unit.post_id, unit.target, present, value_id, method, by, rationale, unit.values)
    write_gold(db.conn, row, by, f"{method} rule")
    if method == "unanimous":
        report.unanimous += 1
    else:
        report.majority += 1


def _stored_value(target: Target, label: Label) -> tuple[int | None, int | None]:
    if not target.code.exclusive:
        return int(label == 1), None
    value = next((v for v in target.values if v.name == label), None)
    return None, None if value is None else value.id
