"""The full coded dataset with chosen post columns, pseudonymised authors and mentions, dropped texts, gold rows;
and formula neutralisation, proven on cells that would run in a spreadsheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.export import ExportOptions, Pseudonyms, export, neutralise, pseudonym_salt
from archive.export.safety import MARK
from tests.archive.agreement.projects import Study, make_study
from tests.archive.export.conftest import read_rows, store_values


def test_the_dataset_has_post_columns_and_every_value(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "dataset", tmp_path / "data.csv", ExportOptions(neutralise=False))
    rows = read_rows(tmp_path / "data.csv")
    assert list(rows[0])[:10] == [
        "unit_id",
        "coder_id",
        "status",
        "text",
        "author",
        "date",
        "platform",
        "thread",
        "hashtags",
        "url",
    ]
    values = store_values(coded.db.conn)
    for row in rows:
        for name in ("Male survivor", "Irony", "Stance", "Disclosure"):
            assert row[name] == values[(row["unit_id"], row["coder_id"], name)]
    first = next(r for r in rows if (r["unit_id"], r["coder_id"]) == ("twitter:1", "ana"))
    post = coded.db.conn.execute("SELECT text, created_at, url FROM posts WHERE id = 'twitter:1'").fetchone()
    assert (first["text"], first["date"], first["url"]) == tuple(post)
    assert (first["author"], first["platform"], first["thread"], first["hashtags"]) == (
        "author1",
        "twitter",
        "twitter:1",
        "MeToo",
    )
    assert first["status"] == "coded"
    assert next(r for r in rows if r["unit_id"] == "twitter:2")["thread"] == "twitter:1"


def test_columns_can_be_chosen_and_texts_dropped(coded: Study, tmp_path: Path) -> None:
    options = ExportOptions(columns=("date", "text", "url"), drop_text=True)
    export(coded.db.conn, "dataset", tmp_path / "d.csv", options)
    assert list(read_rows(tmp_path / "d.csv")[0])[:5] == ["unit_id", "coder_id", "status", "date", "url"]


def test_pseudonyms_are_consistent_for_authors_and_mentions(coded: Study, tmp_path: Path) -> None:
    options = ExportOptions(pseudonymise=True, neutralise=False)
    export(coded.db.conn, "dataset", tmp_path / "one.csv", options)
    export(coded.db.conn, "dataset", tmp_path / "two.csv", options)
    rows = read_rows(tmp_path / "one.csv")
    assert rows == read_rows(tmp_path / "two.csv")  # the salt is stored: the same pseudonyms every time
    text = "\n".join(f"{r['text']} {r['author']} {r['url']}" for r in rows)
    assert "bo_real" not in text and "author1" not in text and "author2" not in text
    names = Pseudonyms(pseudonym_salt(coded.db.conn))
    post1 = next(r for r in rows if r["unit_id"] == "twitter:1")
    assert post1["author"] == names.handle("author1") == names.handle("Author1")
    assert post1["text"] == f"@{names.handle('bo_real')} me too, #MeToo"
    assert post1["url"] == f"https://twitter.com/{names.handle('author1')}/status/1"
    assert {r["author"] for r in rows if r["unit_id"] == "twitter:4"} == {names.handle("author1")}


def test_another_project_gives_other_pseudonyms(coded: Study, tmp_path: Path) -> None:
    from archive.export import ensure_pseudonym_salt

    other = make_study(tmp_path / "other.threadcoder")
    ensure_pseudonym_salt(other.db)
    assert Pseudonyms(pseudonym_salt(other.db.conn)).handle("author1") != Pseudonyms(
        pseudonym_salt(coded.db.conn)
    ).handle("author1")
    other.project.close()


def test_the_gold_dataset_has_one_row_per_decided_post(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "dataset", tmp_path / "gold.csv", ExportOptions(gold=True, columns=("date",), missing="NA"))
    rows = {r["unit_id"]: r for r in read_rows(tmp_path / "gold.csv")}
    assert list(next(iter(rows.values()))) == ["unit_id", "date", "Male survivor", "Irony", "Stance", "Disclosure"]
    assert rows["twitter:2"]["Irony"] == "1"  # decided by hand
    assert rows["twitter:4"]["Irony"] == "NA"  # still open
    assert rows["twitter:3"]["Male survivor"] == "0"  # unanimous


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 to this", "'+1 to this"),
        ("-2+3", "'-2+3"),
        ("@bo look", "'@bo look"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("-0.25", "-0.25"),
        ("-3", "-3"),
        ("-1e-05", "-1e-05"),
        ("a = b", "a = b"),
        ("", ""),
    ],
)
def test_the_neutralisation_rule(cell: str, written: str) -> None:
    assert neutralise(cell) == written


def test_cells_that_would_run_as_formulas_are_neutralised_in_every_file(study: Study, tmp_path: Path) -> None:
    from archive.coding.codebook_edit import CodeDraft, add_code

    formula = add_code(study.db, study.coders["ana"].id, CodeDraft("=1+1"))
    study.codes["=1+1"] = formula
    study.code_all({"ana": {2: ["=1+1"], 3: []}, "bo": {2: ["=1+1"], 3: ["Irony"]}})
    export(study.db.conn, "dataset", tmp_path / "data.csv")
    export(study.db.conn, "long", tmp_path / "long.csv")
    rows = read_rows(tmp_path / "data.csv")
    assert "'=1+1" in rows[0] and "=1+1" not in rows[0]  # the header is a cell too
    texts = {r["unit_id"]: r["text"] for r in rows}
    assert texts["twitter:2"] == MARK + '=HYPERLINK("http://evil")'
    assert texts["twitter:3"] == MARK + "+1 to this"
    cells = [cell for row in read_rows(tmp_path / "long.csv", header=False) for cell in row]
    assert "'=1+1" in cells and "=1+1" not in cells
    for path in (tmp_path / "data.csv", tmp_path / "long.csv"):
        for row in read_rows(path, header=False):
            assert not any(cell and cell[0] in "=+@\t\r" for cell in row)
    export(study.db.conn, "dataset", tmp_path / "raw.csv", ExportOptions(neutralise=False))
    assert {r["unit_id"]: r["text"] for r in read_rows(tmp_path / "raw.csv")}["twitter:2"].startswith("=HYPERLINK")
