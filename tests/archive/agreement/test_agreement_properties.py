"""Properties of agreement on real projects: the order of coders and posts changes nothing, perfect
agreement with variation is 1, no variation is undefined (never 1)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.agreement import Selection, build_tables, list_targets, project_agreement, select
from archive.coding.samples import SampleRule, draw_sample
from archive.reliability.alpha import krippendorff_alpha
from archive.reliability.data import from_matrix
from tests.archive.agreement.projects import Study, matrix_study

CODERS = ("ana", "bo", "cy")
cell = st.sampled_from([0, 1, None])


@st.composite
def codings(draw: st.DrawFn) -> tuple[list[list[int | None]], list[int], list[int]]:
    """A coders x posts matrix of 0/1/None, a permutation of the posts and one of the coders."""
    n = draw(st.integers(min_value=2, max_value=7))
    matrix = [draw(st.lists(cell, min_size=n, max_size=n)) for _ in CODERS]
    return matrix, draw(st.permutations(range(n))), draw(st.permutations(range(len(CODERS))))


def _alpha(study: Study, sample: str):
    with select(study.db.conn, Selection(sample=sample)) as cells:
        data = build_tables(cells, list_targets(study.db.conn)).tables["C"]
    return krippendorff_alpha(data).value


@settings(max_examples=25, deadline=None)
@given(codings())
def test_permuting_coders_or_posts_changes_nothing(case) -> None:
    matrix, post_order, coder_order = case
    n = len(matrix[0])
    # Three copies of the data on three sets of posts: as drawn, posts shuffled, coders' work swapped.
    blocks = {
        "as drawn": [row[:] for row in matrix],
        "posts shuffled": [[row[p] for p in post_order] for row in matrix],
        "coders swapped": [matrix[c][:] for c in coder_order],
    }
    wide = {coder: [cell for block in blocks.values() for cell in block[i]] for i, coder in enumerate(CODERS)}
    with tempfile.TemporaryDirectory() as folder:
        study = matrix_study(Path(folder) / "p", wide)
        try:
            for b, name in enumerate(blocks):
                posts = [f"twitter:{b * n + i}" for i in range(1, n + 1)]
                draw_sample(study.db, name, SampleRule(size=n), seed=1, population=posts)
            alphas = {name: _alpha(study, name) for name in blocks}
        finally:
            study.project.close()
    oracle = krippendorff_alpha(from_matrix(matrix, CODERS, variable="C")).value
    assert alphas == dict.fromkeys(blocks, oracle)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from([0, 1]), min_size=2, max_size=8).filter(lambda xs: len(set(xs)) == 2))
def test_perfect_agreement_with_variation_is_one(values: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        study = matrix_study(Path(folder) / "p", {coder: values for coder in CODERS})
        try:
            entry = project_agreement(study.db.conn, rounds=False).report["variables"]["C"]
        finally:
            study.project.close()
    assert entry["krippendorff_alpha"] == 1.0
    assert entry["fleiss_kappa"] == 1.0


@settings(max_examples=15, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0, None]), min_size=4, max_size=4), min_size=2, max_size=3))
def test_no_variation_is_undefined_never_one(rows: list[list[int | None]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        study = matrix_study(Path(folder) / "p", dict(zip(CODERS, rows, strict=False)))
        try:
            entry = project_agreement(study.db.conn, rounds=False).report["variables"]["C"]
        finally:
            study.project.close()
    assert entry["krippendorff_alpha"] is None
    assert entry["undefined"]["krippendorff_alpha"].startswith(("no variation", "nothing pairable"))
