"""Agreement on a project's own codings: what a unit, a coder and a value are, and the published examples
reproduced through real projects coded with archive.coding's API."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from archive.agreement import Selection, agreement_job, build_tables, list_targets, project_agreement, select
from archive.jobs import CancelToken
from archive.reliability.alpha import krippendorff_alpha
from tests.archive.agreement.projects import Study, matrix_study

# Krippendorff (2011) A: binary, 2 coders; B: nominal, 2 coders; C: 4 coders with missing data (None).
K2011_A = {"A": [0, 1, 0, 0, 0, 0, 0, 0, 1, 0], "B": [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]}
K2011_B = {
    "Ben": list("aabbdcccedda"),
    "Gerry": list("babbbcccedd" + "d"),
}
K2011_C = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def _tables(study: Study, selection: Selection | None = None):
    with select(study.db.conn, selection or Selection()) as cells:
        return build_tables(cells, list_targets(study.db.conn))


def test_k2011_a_through_a_project_gives_two_twenty_firsts_and_the_counts(tmp_path: Path) -> None:
    study = matrix_study(tmp_path / "a", K2011_A)
    report = project_agreement(study.db.conn).report
    assert krippendorff_alpha(_tables(study).tables["C"]).value == Fraction(2, 21)
    entry = report["variables"]["C"]
    assert (entry["kind"], entry["n_units"], entry["n_coders"]) == ("code", 10, 2)
    assert round(entry["krippendorff_alpha"], 3) == 0.095
    assert entry["percent_agreement"] == 0.6
    assert entry["prevalence"] == 0.3
    assert entry["counts"] == {"coder_a": "A", "coder_b": "B", "both": 1, "neither": 5, "only_a": 1, "only_b": 3}
    assert entry["cohen_kappa"] == pytest.approx(1 / 11)
    study.project.close()


def test_k2011_b_as_a_variable_gives_155_224(tmp_path: Path) -> None:
    study = matrix_study(tmp_path / "b", K2011_B, values=list("abcde"))
    assert krippendorff_alpha(_tables(study).tables["V"]).value == Fraction(155, 224)
    assert round(project_agreement(study.db.conn).report["variables"]["V"]["krippendorff_alpha"], 3) == 0.692
    study.project.close()


def test_k2011_c_missing_data_is_posts_a_coder_never_completed(tmp_path: Path) -> None:
    study = matrix_study(tmp_path / "c", K2011_C, values=["1", "2", "3", "4", "5"])
    data = _tables(study).tables["V"]
    assert krippendorff_alpha(data).value == Fraction(113, 152)
    assert data.n_units == 11  # post 12 was completed by one coder only: not a unit
    study.project.close()


def test_work_in_progress_is_missing_never_absent(study: Study) -> None:
    study.code("ana", 1, "Irony")
    study.code("bo", 1)  # no code applies: Irony absent
    study.code("ana", 2, "Irony")
    study.start("bo", 2, "Irony")  # applied but not marked done: not coded
    study.code("cy", 2)
    data = _tables(study).tables["Irony"]
    rows = dict(zip(data.units, ([data.label(c) for c in row] for row in data.rows), strict=True))
    assert data.coders == ("ana", "bo", "cy")
    assert rows == {"twitter:1": [1, 0, None], "twitter:2": [1, None, 0]}


def test_a_variable_without_a_chosen_value_is_none_applies(study: Study) -> None:
    study.code("ana", 1, "Supportive")
    study.code("bo", 1, "Irony")
    data = _tables(study).tables["Stance"]
    assert [data.label(c) for c in data.rows[0]] == ["Supportive", "<none>"]


def test_spans_count_as_present_and_categories_are_not_measured(study: Study) -> None:
    from archive.coding.codings import apply_code
    from archive.coding.status import complete_post

    apply_code(study.db, "twitter:1", study.codes["Disclosure"].id, study.coders["ana"].id, span=(0, 4))
    complete_post(study.db, "twitter:1", study.coders["ana"].id)
    study.code("bo", 1)
    tables = _tables(study)
    assert list(tables.tables) == ["Male survivor", "Irony", "Stance", "Disclosure"]
    assert [tables.tables["Disclosure"].label(c) for c in tables.tables["Disclosure"].rows[0]] == [1, 0]


def test_a_code_nobody_applied_is_undefined_not_one(study: Study) -> None:
    study.code_all({"ana": {1: [], 2: ["Irony"]}, "bo": {1: [], 2: ["Irony"]}})
    variables = project_agreement(study.db.conn).report["variables"]
    assert variables["Male survivor"]["krippendorff_alpha"] is None
    assert variables["Male survivor"]["undefined"]["krippendorff_alpha"].startswith("no variation")
    assert variables["Irony"]["krippendorff_alpha"] == 1.0
    assert variables["Male survivor"]["percent_agreement"] == 1.0


def test_a_sample_and_a_codebook_version_filter_the_work(study: Study) -> None:
    from archive.coding.codebook_edit import CodeDraft, add_code
    from archive.coding.samples import SampleRule, draw_sample

    study.code_all({"ana": {1: ["Irony"], 2: []}, "bo": {1: ["Irony"], 2: ["Irony"]}})
    before = _version(study)
    add_code(study.db, study.coders["ana"].id, CodeDraft("Later code"))
    study.code_all({"ana": {3: ["Irony"]}, "bo": {3: []}})
    draw_sample(study.db, "round 2", SampleRule(size=1), seed=1, population=["twitter:3"])
    assert _tables(study).units == ("twitter:1", "twitter:2", "twitter:3")
    assert _tables(study, Selection(sample="round 2")).units == ("twitter:3",)
    assert _tables(study, Selection(codebook_version=before)).units == ("twitter:1", "twitter:2")
    assert _tables(study, Selection(codebook_version=before + 1)).units == ("twitter:3",)
    rounds = project_agreement(study.db.conn).report["rounds"]
    assert [(r["sample"], r["codebook_version"], r["n_posts"]) for r in rounds] == [
        (None, before, 2),
        (None, before + 1, 1),
        ("round 2", before + 1, 1),
    ]


def _version(study: Study) -> int:
    from archive.coding.history import codebook_version

    return codebook_version(study.db.conn)


def test_the_pairwise_matrix_has_each_pairs_counts(study: Study) -> None:
    study.code_all(
        {
            "ana": {1: ["Irony"], 2: ["Irony"], 3: []},
            "bo": {1: ["Irony"], 2: [], 3: []},
            "cy": {1: [], 3: []},
        }
    )
    pairs = {(p["coder_a"], p["coder_b"]): p for p in project_agreement(study.db.conn).report["pairwise"]}
    assert set(pairs) == {("ana", "bo"), ("ana", "cy"), ("bo", "cy")}
    assert pairs[("ana", "bo")]["n_posts"] == 3
    assert pairs[("ana", "cy")]["n_posts"] == 2
    irony = pairs[("ana", "bo")]["variables"]["Irony"]
    assert irony["counts"] == {"both": 1, "neither": 1, "only_a": 1, "only_b": 0}
    assert irony["percent_agreement"] == pytest.approx(2 / 3)


def test_the_bootstrap_records_its_seed_and_repeats(study: Study) -> None:
    study.code_all(
        {coder: {p: (["Irony"] if (p + i) % 3 else []) for p in range(1, 11)} for i, coder in enumerate(["ana", "bo"])}
    )
    first = project_agreement(study.db.conn, bootstrap=300, seed=7, rounds=False).report
    again = project_agreement(study.db.conn, bootstrap=300, seed=7, rounds=False).report
    alpha = first["variables"]["Irony"]["krippendorff_alpha"]
    assert (alpha["resamples"], alpha["seed"]) == (300, 7)
    assert {"ci_low", "ci_high", "q_below_0.800", "q_below_0.667"} <= alpha.keys()
    assert again["variables"]["Irony"]["krippendorff_alpha"] == alpha
    assert first["bootstrap"]["seed"] == 7


def test_a_cancelled_job_stops_and_says_so(study: Study) -> None:
    study.code_all({"ana": {1: ["Irony"], 2: []}, "bo": {1: ["Irony"], 2: ["Irony"]}})
    cancel = CancelToken()
    job = agreement_job(study.db.conn, bootstrap=2000, seed=1, cancel=cancel)
    next(job)
    cancel.cancel()
    with pytest.raises(StopIteration) as stop:
        while True:
            next(job)
    assert stop.value.value.cancelled
    assert not study.db.conn.execute("SELECT name FROM temp.sqlite_master").fetchall()  # temp tables dropped


def test_a_read_only_project_is_enough(study: Study) -> None:
    from archive.store.project import Project

    study.code_all({"ana": {1: ["Irony"]}, "bo": {1: ["Irony"]}})
    with Project(study.project.folder, writable=False) as reader:
        assert project_agreement(reader.db.conn).report["n_posts"] == 1


def test_renaming_the_values_of_a_variable_changes_no_statistic(tmp_path: Path) -> None:
    from archive.coding.codebook_edit import rename_code

    study = matrix_study(tmp_path / "b", K2011_B, values=list("abcde"))
    before = project_agreement(study.db.conn, rounds=False).report["variables"]["V"]
    lead = study.coders["Ben"].id
    for old, new in zip("abcde", ["zeta", "Alpha", "mu", "Beta", "nu"], strict=True):
        rename_code(study.db, lead, study.codes[old].id, new)
    after = project_agreement(study.db.conn, rounds=False).report["variables"]["V"]
    assert after == before
    study.project.close()
