"""A coded project for the export tests: three coders, work in progress, a span, a sample, gold values, memos.

Read-back helpers use only the csv module and plain SQL on the store, never the export code itself.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.adjudication import adjudicate, settle
from archive.coding.codings import apply_code
from archive.coding.memos import MemoTarget, add_memo
from archive.coding.samples import SampleRule, draw_sample
from archive.coding.status import complete_post
from archive.export import ensure_pseudonym_salt
from tests.archive.agreement.projects import Study, make_study


@pytest.fixture
def study(tmp_path: Path) -> Iterator[Study]:
    made = make_study(tmp_path / "study.threadcoder")
    yield made
    made.project.close()


@pytest.fixture
def coded(study: Study) -> Study:
    """ana coded posts 1-4, bo 1-5, cy 1-3; ana has post 5 and cy post 4 in progress; ana a span on post 1."""
    study.code_all(
        {
            "ana": {1: ["Male survivor", "Supportive"], 2: ["Irony"], 3: [], 4: ["Critical"]},
            "bo": {1: ["Male survivor", "Supportive"], 2: [], 3: ["Irony"], 4: ["Critical", "Irony"], 5: []},
            "cy": {1: ["Male survivor"], 2: ["Irony"], 3: []},
        }
    )
    study.start("cy", 4, "Irony")
    apply_code(study.db, "twitter:1", study.codes["Disclosure"].id, study.coders["ana"].id, span=(9, 15))
    complete_post(study.db, "twitter:1", study.coders["ana"].id)
    study.start("ana", 5, "Irony")
    draw_sample(study.db, "pilot", SampleRule(size=2), seed=1, population=["twitter:1", "twitter:2"])
    settle(study.db, "unanimous", study.coders["ana"].id)
    adjudicate(study.db, "twitter:2", "Irony", "1", study.coders["cy"].id, "ironic, as two saw")
    ensure_pseudonym_salt(study.db)
    return study


FORMULA = '=HYPERLINK("http://evil", "the thread")'
NAMING = "Replies to @bo_real; author1 wrote it."  # a mention, and an author's handle written bare


@pytest.fixture
def memoed(coded: Study) -> Study:
    """The coded study with memos of every kind: two of ana's on twitter:1, one of bo's naming people, cy's
    thread memo written on a reply (kept on the root, twitter:1), a code memo, a project memo, and a memo on
    twitter:6, a post nobody coded."""
    db, who = coded.db, {name: coder.id for name, coder in coded.coders.items()}
    add_memo(db, who["ana"], MemoTarget.POST, "twitter:1", "A disclosure.")
    add_memo(db, who["ana"], MemoTarget.POST, "twitter:1", "On second reading, ironic?")
    add_memo(db, who["bo"], MemoTarget.POST, "twitter:1", NAMING)
    add_memo(db, who["cy"], MemoTarget.THREAD, "twitter:2", FORMULA)
    add_memo(db, who["ana"], MemoTarget.CODE, coded.codes["Irony"].guid, "+ sarcasm counts as irony")
    add_memo(db, who["bo"], MemoTarget.PROJECT, "", "Round one ends Friday.")
    add_memo(db, who["ana"], MemoTarget.POST, "twitter:6", "Not coded yet.")
    return coded


def read_rows(path: Path, *, header: bool = True) -> list[dict[str, str]] | list[list[str]]:
    """A CSV as the csv module reads it (a BOM, if any, is stripped)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle)) if header else list(csv.reader(handle))


def store_values(conn: sqlite3.Connection) -> dict[tuple[str, str, str], str]:
    """Every completed (post, coder) and code or variable with its value, straight from the tables."""
    done = conn.execute(
        "SELECT s.post_id, c.id, c.name FROM coder_status s JOIN coders c ON c.id = s.coder_id"
    ).fetchall()
    codes = conn.execute(
        "SELECT id, name, parent_id, exclusive, codable FROM codes WHERE retired_at IS NULL"
    ).fetchall()
    exclusive = {cid for cid, _, _, ex, _ in codes if ex}
    values: dict[tuple[str, str, str], str] = {}
    for post, coder_id, coder in done:
        applied = {
            r[0]
            for r in conn.execute("SELECT code_id FROM codings WHERE post_id = ? AND coder_id = ?", (post, coder_id))
        }
        for cid, name, parent, ex, codable in codes:
            if ex:
                chosen = [n for i, n, p, _, _ in codes if p == cid and i in applied]
                values[(post, coder, name)] = chosen[0] if chosen else "<none>"
            elif codable and parent not in exclusive:
                values[(post, coder, name)] = "1" if cid in applied else "0"
    return values
