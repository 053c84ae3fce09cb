"""The reliability report, the pairwise matrix and the rounds as CSV, read back and compared with the
project's own report; adjudication files (disagreements, gold, audit trail) compared with the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.adjudication import disagreements, gold_log, gold_values
from archive.agreement import project_agreement
from archive.export import ExportOptions, export
from archive.export.reports import REPORT_COLUMNS
from tests.archive.agreement.projects import Study
from tests.archive.export.conftest import read_rows


def test_the_report_has_a_row_per_statistic_with_its_context(coded: Study, tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    export(coded.db.conn, "report", path, ExportOptions(bootstrap=200, seed=11, missing="NA"))
    rows = read_rows(path)
    assert tuple(rows[0]) == REPORT_COLUMNS
    expected = project_agreement(coded.db.conn, bootstrap=200, seed=11, rounds=False).report["variables"]
    by_key = {(r["variable"], r["statistic"]): r for r in rows}
    assert {name for name, _ in by_key} == set(expected)
    alpha = by_key[("Irony", "krippendorff_alpha")]
    boot = expected["Irony"]["krippendorff_alpha"]
    assert float(alpha["value"]) == boot["value"]
    assert (float(alpha["ci_low"]), float(alpha["ci_high"])) == (boot["ci_low"], boot["ci_high"])
    assert (alpha["B"], alpha["seed"]) == ("200", "11")
    assert float(alpha["q_below_.800"]) == boot["q_below_0.800"]
    assert alpha["n_units"] == "4" and alpha["n_coders"] == "3"
    assert float(alpha["prevalence"]) == expected["Irony"]["prevalence"]
    cohen = by_key[("Irony", "cohen_kappa")]
    assert cohen["value"] == "NA"  # three coders: not applicable, with the reason, never 0 or 1
    assert cohen["undefined_reason"].startswith("not applicable")
    assert alpha["codebook"] == "Codebook" and alpha["software"].startswith("Threadcoder")


def test_a_negative_alpha_stays_a_number(study: Study, tmp_path: Path) -> None:
    study.code_all({"ana": {1: ["Irony"], 2: []}, "bo": {1: [], 2: ["Irony"]}})
    export(study.db.conn, "report", tmp_path / "r.csv")
    row = next(
        r for r in read_rows(tmp_path / "r.csv") if r["statistic"] == "krippendorff_alpha" and r["variable"] == "Irony"
    )
    assert float(row["value"]) < 0  # written as "-0.5", not neutralised into text
    assert row["value"].startswith("-")


def test_the_pairwise_file_has_every_pair_and_its_counts(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "pairwise", tmp_path / "pairs.csv")
    rows = read_rows(tmp_path / "pairs.csv")
    pairs = {(r["coder_a"], r["coder_b"]) for r in rows}
    assert pairs == {("ana", "bo"), ("ana", "cy"), ("bo", "cy")}
    irony = next(r for r in rows if (r["variable"], r["coder_a"], r["coder_b"]) == ("Irony", "ana", "bo"))
    # ana: posts 1-4 = 0,1,0,0; bo: 0,0,1,1.
    assert (irony["n_both"], irony["n_neither"], irony["n_only_A"], irony["n_only_B"]) == ("0", "1", "1", "2")
    assert irony["n_units"] == "4"


def test_rounds_summarise_each_sample_and_version(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "rounds", tmp_path / "rounds.csv")
    rows = read_rows(tmp_path / "rounds.csv")
    assert [(r["sample"], r["n_posts"]) for r in rows] == [("", "4"), ("pilot", "2")]
    assert rows[0]["coders"] == "ana bo cy"


def test_the_disagreement_list_matches_the_store(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "disagreements", tmp_path / "d.csv")
    rows = read_rows(tmp_path / "d.csv")
    expected = list(disagreements(coded.db.conn))
    assert [(r["unit_id"], r["variable"]) for r in rows] == [(d.post_id, d.unit.target.name) for d in expected]
    irony = next(r for r in rows if (r["unit_id"], r["variable"]) == ("twitter:2", "Irony"))
    assert (irony["value_ana"], irony["value_bo"], irony["value_cy"]) == ("1", "0", "1")
    assert (irony["majority_value"], irony["status"], irony["adjudicated_value"]) == ("1", "resolved", "1")
    assert irony["adjudicator"] == "cy" and irony["note"] == "ironic, as two saw"
    assert irony["thread_id"] == "twitter:1"
    stance = next(r for r in rows if (r["unit_id"], r["variable"]) == ("twitter:4", "Irony"))
    assert (stance["value_cy"], stance["majority_value"], stance["status"]) == ("", "", "open")
    assert float(stance["agreement_share"]) == 0.5
    assert "text_excerpt" in rows[0]
    export(coded.db.conn, "disagreements", tmp_path / "no_text.csv", ExportOptions(drop_text=True))
    assert "text_excerpt" not in read_rows(tmp_path / "no_text.csv")[0]


def test_the_gold_file_and_its_audit_trail_match_the_store(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "gold", tmp_path / "gold.csv")
    export(coded.db.conn, "gold_audit", tmp_path / "audit.csv")
    gold = read_rows(tmp_path / "gold.csv")
    stored = list(gold_values(coded.db.conn))
    assert [(r["unit_id"], r["variable"], r["final_value"], r["method"]) for r in gold] == [
        (g.post_id, g.target, str(g.value), g.method) for g in stored
    ]
    adjudicated = next(r for r in gold if r["method"] == "adjudicated")
    assert json.loads(adjudicated["coder_values"]) == {"ana": 1, "bo": 0, "cy": 1}
    audit = read_rows(tmp_path / "audit.csv")
    assert len(audit) == len(list(gold_log(coded.db.conn)))
    assert audit[-1]["value_after"] == "1" and audit[-1]["by"] == "cy"


@pytest.mark.parametrize("shape", ["report", "pairwise", "disagreements"])
def test_reliability_shapes_read_the_independent_codings_only(coded: Study, tmp_path: Path, shape: str) -> None:
    before = (tmp_path / "before.csv", tmp_path / "after.csv")
    export(coded.db.conn, shape, before[0])
    from archive.adjudication import adjudicate

    adjudicate(coded.db, "twitter:4", "Irony", "0", coded.coders["ana"].id, "literal")
    export(coded.db.conn, shape, before[1])
    drop = {"generated_at", "status", "adjudicated_value", "method", "adjudicator", "note", "resolved_at"}
    strip = [[{k: v for k, v in r.items() if k not in drop} for r in read_rows(p)] for p in before]
    assert strip[0] == strip[1]  # a gold decision changes no statistic and no coder's value
