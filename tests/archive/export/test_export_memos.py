"""Memos leave the project: one row per memo in the ``memos`` file, each coder's memos in their dataset rows
(and per coder in the gold dataset), with handles pseudonymised and formulas neutralised like every text cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.coding.blind import blind_mode
from archive.export import ExportError, ExportOptions, export
from archive.export.privacy import project_pseudonyms
from archive.export.safety import MARK
from tests.archive.agreement.projects import Study
from tests.archive.export.conftest import FORMULA, NAMING, read_rows


def _store(study: Study) -> list[tuple[str, str, str, str, str, str]]:
    """Every memo straight from the tables, the code memo by its code's name."""
    rows = study.db.conn.execute(
        "SELECT m.target_kind, CASE m.target_kind WHEN 'code' THEN c.name ELSE m.target_id END, k.name, "
        "m.created_at, m.updated_at, m.text FROM memos m JOIN coders k ON k.id = m.coder_id "
        "LEFT JOIN codes c ON c.guid = m.target_id"
    ).fetchall()
    return sorted(rows)


def test_the_memos_file_has_one_row_per_memo_with_its_target_coder_and_times(memoed: Study, tmp_path: Path) -> None:
    result = export(memoed.db.conn, "memos", tmp_path / "memos.csv", ExportOptions(neutralise=False))
    rows = read_rows(tmp_path / "memos.csv")
    assert result.rows == 7 and list(rows[0]) == ["target_kind", "target", "coder", "created_at", "updated_at", "text"]
    assert sorted(tuple(row.values()) for row in rows) == _store(memoed)
    # The project's memos first, then the codes', the threads' and the posts'.
    assert [(r["target_kind"], r["target"]) for r in rows][:3] == [
        ("project", ""),
        ("code", "Irony"),
        ("thread", "twitter:1"),
    ]


def test_exports_hold_every_coders_memos_even_in_blind_mode(memoed: Study, tmp_path: Path) -> None:
    assert blind_mode(memoed.db.conn)  # on in a new project, and it hides bo's memos from ana's screen only
    export(memoed.db.conn, "memos", tmp_path / "memos.csv")
    assert {row["coder"] for row in read_rows(tmp_path / "memos.csv")} == {"ana", "bo", "cy"}


def test_a_memo_that_looks_like_a_formula_is_neutralised_unless_asked(memoed: Study, tmp_path: Path) -> None:
    export(memoed.db.conn, "memos", tmp_path / "safe.csv")
    export(memoed.db.conn, "dataset", tmp_path / "safe_data.csv")
    export(memoed.db.conn, "memos", tmp_path / "raw.csv", ExportOptions(neutralise=False))
    texts = {row["text"] for row in read_rows(tmp_path / "safe.csv")}
    assert MARK + FORMULA in texts and FORMULA not in texts
    assert MARK + "+ sarcasm counts as irony" in texts
    cy = [row for row in read_rows(tmp_path / "safe_data.csv") if row["coder_id"] == "cy"]
    assert {row["thread_memo"] for row in cy if row["thread"] == "twitter:1"} == {MARK + FORMULA}
    assert FORMULA in {row["text"] for row in read_rows(tmp_path / "raw.csv")}


def test_a_handle_in_a_memo_is_pseudonymised_in_every_file(memoed: Study, tmp_path: Path) -> None:
    options = ExportOptions(pseudonymise=True, neutralise=False)
    files = [tmp_path / name for name in ("memos.csv", "dataset.csv", "gold.csv")]
    export(memoed.db.conn, "memos", files[0], options)
    export(memoed.db.conn, "dataset", files[1], options)
    export(memoed.db.conn, "dataset", files[2], ExportOptions(pseudonymise=True, neutralise=False, gold=True))
    for path in files:
        written = path.read_text(encoding="utf-8").lower()
        assert "bo_real" not in written and "author1" not in written, path.name
    names = project_pseudonyms(memoed.db.conn)
    expected = f"Replies to @{names.handle('bo_real')}; {names.handle('author1')} wrote it."
    assert expected in {row["text"] for row in read_rows(files[0])}
    bo = next(r for r in read_rows(files[1]) if (r["unit_id"], r["coder_id"]) == ("twitter:1", "bo"))
    assert bo["post_memo"] == expected
    assert next(r for r in read_rows(files[2]) if r["unit_id"] == "twitter:1")["post_memo_bo"] == expected


def test_each_dataset_row_carries_its_coders_memos_on_the_post_and_on_its_thread(memoed: Study, tmp_path: Path) -> None:
    export(memoed.db.conn, "dataset", tmp_path / "data.csv", ExportOptions(neutralise=False))
    rows = read_rows(tmp_path / "data.csv")
    assert list(rows[0])[3:12] == [
        "text",
        "author",
        "date",
        "platform",
        "thread",
        "hashtags",
        "url",
        "post_memo",
        "thread_memo",
    ]
    row = {(r["unit_id"], r["coder_id"]): r for r in rows}
    # Two memos of one coder on one post: one cell, a paragraph each, oldest first.
    assert row[("twitter:1", "ana")]["post_memo"] == "A disclosure.\n\nOn second reading, ironic?"
    assert row[("twitter:1", "bo")]["post_memo"] == NAMING
    assert row[("twitter:1", "cy")]["post_memo"] == ""  # none: the missing token
    # cy's thread memo is on every post of the thread cy completed, and only in cy's rows.
    assert {r["unit_id"]: r["thread_memo"] for r in rows if r["thread_memo"]} == {
        "twitter:1": FORMULA,
        "twitter:2": FORMULA,
        "twitter:3": FORMULA,
    }
    assert {r["coder_id"] for r in rows if r["thread_memo"]} == {"cy"}
    assert "twitter:6" not in {r["unit_id"] for r in rows}  # a memo is no completed work: in the memos file only


def test_the_gold_dataset_has_a_memo_column_per_coder_who_wrote_one(memoed: Study, tmp_path: Path) -> None:
    export(memoed.db.conn, "dataset", tmp_path / "gold.csv", ExportOptions(gold=True, neutralise=False))
    rows = {r["unit_id"]: r for r in read_rows(tmp_path / "gold.csv")}
    header = list(next(iter(rows.values())))
    assert header[8:14] == [
        "post_memo_ana",
        "post_memo_bo",
        "post_memo_cy",
        "thread_memo_ana",
        "thread_memo_bo",
        "thread_memo_cy",
    ]
    assert rows["twitter:1"]["post_memo_ana"] == "A disclosure.\n\nOn second reading, ironic?"
    assert rows["twitter:2"]["thread_memo_cy"] == FORMULA


def test_memo_columns_can_be_chosen_and_leave_with_the_texts(memoed: Study, tmp_path: Path) -> None:
    export(memoed.db.conn, "dataset", tmp_path / "some.csv", ExportOptions(columns=("thread_memo", "date")))
    assert list(read_rows(tmp_path / "some.csv")[0])[:5] == ["unit_id", "coder_id", "status", "thread_memo", "date"]
    export(memoed.db.conn, "dataset", tmp_path / "none.csv", ExportOptions(drop_text=True))
    header = list(read_rows(tmp_path / "none.csv")[0])
    assert "text" not in header and "post_memo" not in header and "thread_memo" not in header
    with pytest.raises(ExportError, match="memos' texts"):
        export(memoed.db.conn, "memos", tmp_path / "memos.csv", ExportOptions(drop_text=True))
    assert not (tmp_path / "memos.csv").exists()


def test_with_a_sample_only_its_posts_and_threads_memos_are_written(memoed: Study, tmp_path: Path) -> None:
    result = export(memoed.db.conn, "memos", tmp_path / "pilot.csv", ExportOptions(sample="pilot"))
    targets = {(r["target_kind"], r["target"]) for r in read_rows(tmp_path / "pilot.csv")}
    assert ("post", "twitter:6") not in targets  # pilot holds twitter:1 and twitter:2
    assert {("project", ""), ("code", "Irony"), ("thread", "twitter:1"), ("post", "twitter:1")} == targets
    assert result.notes == ("1 post or thread memo(s) outside the sample were left out",)
