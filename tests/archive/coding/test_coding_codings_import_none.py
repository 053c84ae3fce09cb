"""``codings import`` reads ``<none>`` (no value of a variable applies), so a ``long`` export re-imports losslessly."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from archive.coding.codings import apply_code, post_codings
from archive.coding.codings_import import import_long_csv
from archive.coding.status import PostStatus, complete_post, post_status
from archive.export import export
from tests.archive.agreement.projects import make_study


def write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codings.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_none_completes_the_post_without_a_value(project, team, tmp_path):
    path = write_csv(
        tmp_path, "unit_id,coder_id,variable,value\ntwitter:2,bo,Stance,<none>\ntwitter:3,bo,stance,<NONE>\n"
    )
    report = import_long_csv(project.db, path)
    assert report.clean and (report.codings_added, report.posts_completed) == (0, 2)
    assert post_status(project.db.conn, "twitter:2", team.bo.id) is PostStatus.NO_CODE_APPLIES
    assert post_status(project.db.conn, "twitter:3", team.bo.id) is PostStatus.NO_CODE_APPLIES
    assert post_codings(project.db.conn, "twitter:2", None) == []


def test_none_against_a_value_chosen_here_is_reported_and_the_value_kept(project, team, tmp_path):
    apply_code(project.db, "twitter:2", team.critical.id, team.bo.id)
    report = import_long_csv(
        project.db, write_csv(tmp_path, "unit_id,coder_id,variable,value\ntwitter:2,bo,Stance,<none>\n")
    )
    assert report.problems == ["line 2: the file says no value of 'Stance' applies, but bo chose 'Critical' here; kept"]
    assert [c.code for c in post_codings(project.db.conn, "twitter:2", None)] == ["Critical"]


def completed_work(conn: sqlite3.Connection) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    """(post, coder) pairs marked done, and the codes applied on them, by name, straight from the tables."""
    done = {
        (post, coder)
        for post, coder in conn.execute(
            "SELECT s.post_id, c.name FROM coder_status s JOIN coders c ON c.id = s.coder_id"
        )
    }
    applied = {
        (post, coder, code)
        for post, coder, code in conn.execute(
            "SELECT g.post_id, c.name, k.name FROM codings g JOIN coders c ON c.id = g.coder_id "
            "JOIN codes k ON k.id = g.code_id"
        )
        if (post, coder) in done
    }
    return done, applied


def long_cells(path: Path) -> list[tuple[str, str, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return sorted((r["unit_id"], r["coder_id"], r["variable"], r["value"]) for r in csv.DictReader(handle))


def test_a_long_export_reimports_into_a_fresh_project_as_it_was(tmp_path):
    source = make_study(tmp_path / "source.threadcoder")
    copy = make_study(tmp_path / "copy.threadcoder")  # the same codebook, coders and posts, no codings
    try:
        source.code_all(
            {
                "ana": {1: ["Male survivor", "Supportive"], 2: ["Irony"], 3: [], 4: ["Critical", "Disclosure"]},
                "bo": {1: ["Male survivor", "Critical"], 2: [], 3: ["Irony"], 4: ["Critical", "Irony"], 5: []},
                "cy": {1: ["Supportive"], 2: ["Irony", "Male survivor"], 6: ["Disclosure"]},
            }
        )
        source.start("cy", 4, "Irony")  # work in progress: not exported, not re-imported
        who = source.coders["ana"].id
        apply_code(source.db, "twitter:5", source.codes["Disclosure"].id, who, span=(0, 4))  # a span, then done
        complete_post(source.db, "twitter:5", who)
        export(source.db.conn, "long", tmp_path / "long.csv")
        cells = long_cells(tmp_path / "long.csv")
        assert ("twitter:3", "ana", "Stance", "<none>") in cells and ("twitter:5", "bo", "Stance", "<none>") in cells

        report = import_long_csv(copy.db, tmp_path / "long.csv")
        assert report.clean, report.problems
        assert completed_work(copy.db.conn) == completed_work(source.db.conn)
        assert post_status(copy.db.conn, "twitter:3", copy.coders["ana"].id) is PostStatus.NO_CODE_APPLIES
        assert post_status(copy.db.conn, "twitter:4", copy.coders["cy"].id) is PostStatus.NOT_CODED
        export(copy.db.conn, "long", tmp_path / "again.csv")
        assert long_cells(tmp_path / "again.csv") == cells
    finally:
        source.project.close()
        copy.project.close()
