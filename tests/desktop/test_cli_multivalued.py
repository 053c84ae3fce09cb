"""``threadcoder agreement --multi-valued``: the whole-codebook mvα row of a project, and the set form of a CSV."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from desktop.commands import cli
from tests.archive.agreement.projects import Study, make_study

# Krippendorff & Craggs (2016), Table 3 (as in the R package mvalpha): rows of one unit, coder and variable form
# a set; <none> is the empty set; F's unit 4 is the only value of its unit (unpairable).
TABLE_3 = """unit_id,coder_id,variable,value
u1,F,topics,b
u1,F,topics,d
u1,G,topics,d
u2,F,topics,a
u2,F,topics,b
u2,F,topics,d
u2,G,topics,b
u2,H,topics,b
u2,H,topics,d
u3,F,topics,<none>
u3,G,topics,a
u3,H,topics,a
u4,F,topics,a
u4,G,topics,
u1,H,flat,<none>
u1,G,flat,<none>
"""


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["agreement", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    study: Study = make_study(tmp_path / "study.threadcoder")
    study.code_all(
        {
            "ana": {1: ["Irony", "Supportive"], 2: ["Irony"], 3: [], 4: ["Critical"]},
            "bo": {1: ["Irony", "Supportive"], 2: [], 3: [], 4: ["Critical"]},
        }
    )
    yield study.project.folder
    study.project.close()


@pytest.fixture
def sets_csv(tmp_path: Path) -> Path:
    path = tmp_path / "sets.csv"
    path.write_text(TABLE_3, encoding="utf-8")
    return path


def test_project_json_has_the_whole_codebook_value_marked_experimental(project: Path) -> None:
    code, out, _ = _run(str(project), "--multi-valued", "--json")
    assert code == 0
    whole = json.loads(out)["multi_valued_alpha"]
    # Worked by hand in tests/archive/test_multivalued_alpha.py: D_o = 1/4, D_e = 12479/17360.
    assert whole["value"] == 8139 / 12479 and whole["experimental"] is True
    assert (whole["variable"], whole["n_units"], whole["n_coders"], whole["n_labels"]) == ("(whole codebook)", 4, 2, 3)
    assert whole["n_empty_sets"] == 3 and whole["reason"] is None
    code, out, _ = _run(str(project), "--json")
    assert "multi_valued_alpha" not in json.loads(out)  # only when asked for


def test_project_table_has_one_whole_codebook_row(project: Path) -> None:
    code, out, _ = _run(str(project), "--multi-valued", "--bootstrap", "50", "--seed", "1")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("(whole codebook)"))
    assert row.split()[2:6] == ["mv-alpha", "4", "2", "0.652"]
    assert set(row.split()[6:]) == {"-"}  # no interval, no per-code statistics
    assert "mv-alpha (experimental, no interval)" in out
    assert "alpha min 0.533" in out  # the summary stays over the codes and variables


def test_csv_sets_give_mv_alpha_per_variable(sets_csv: Path) -> None:
    code, out, _ = _run("--from-csv", str(sets_csv), "--multi-valued", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["level"] == "nominal" and set(report["multi_valued_alpha"]) == {"topics", "flat"}
    topics = report["multi_valued_alpha"]["topics"]
    assert round(topics["value"], 7) == 0.2865907 and topics["experimental"] is True
    assert (topics["n_units"], topics["n_units_pairable"], topics["n_pairable_values"]) == (4, 3, 8)
    assert report["multi_valued_alpha"]["flat"]["value"] is None
    code, table, _ = _run("--from-csv", str(sets_csv), "--multi-valued", "--level", "nominal")
    assert code == 0
    assert next(line for line in table.splitlines() if line.startswith("topics")).split() == [
        "topics",
        "4",
        "3",
        "3",
        "3",
        "3",
        "0.287",
    ]
    assert "flat: no variation: all 2 pairable values are {}" in table


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--level", "interval"], "--multi-valued compares sets of labels, which are nominal"),
        (["--bootstrap", "10"], "--bootstrap and --categories do not apply to --multi-valued on a CSV"),
        (["--categories", "topics=3"], "--bootstrap and --categories do not apply to --multi-valued on a CSV"),
    ],
)
def test_csv_sets_refuse_what_does_not_apply(sets_csv: Path, extra: list[str], message: str) -> None:
    code, _, err = _run("--from-csv", str(sets_csv), "--multi-valued", *extra)
    assert code == 1 and err.startswith(f"threadcoder: {message}")


def test_csv_sets_report_a_cell_with_none_and_a_label_in_one_line(sets_csv: Path) -> None:
    sets_csv.write_text(TABLE_3 + "u3,F,topics,a\n", encoding="utf-8")
    code, _, err = _run("--from-csv", str(sets_csv), "--multi-valued")
    assert code == 1
    assert err.count("\n") == 1 and "line 18: unit 'u3', coder 'F', variable 'topics' has '<none>' (line 11)" in err
