"""Resamples in which alpha is undefined are left out of the interval: their share is shown and warned about."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archive.reliability import agreement_report, bootstrap_alpha, from_matrix
from desktop.cli_agreement import agreement_command

# A rare code: 40 posts, present once and agreed on. A resample without that post has no variation.
RARE = [[1] + [0] * 39, [1] + [0] * 39]


def _rows(matrix: list[list[int]]) -> list[tuple[str, str, str, str]]:
    pairs = zip("ab", matrix, strict=True)
    return [(f"u{u}", coder, "rare", str(v)) for coder, line in pairs for u, v in enumerate(line)]


def test_the_share_of_undefined_resamples_is_in_the_result_and_the_json() -> None:
    boot = bootstrap_alpha(from_matrix(RARE), "nominal", 2000, seed=1)
    assert 0.3 < boot.share_undefined < 0.45  # (39/40)^40, about 36%, of the resamples miss the post
    assert boot.share_undefined == boot.n_undefined / 2000
    alpha = agreement_report(_rows(RARE), "nominal", bootstrap=2000, seed=1)["rare"]["krippendorff_alpha"]
    assert alpha["share_undefined_resamples"] == boot.share_undefined
    assert alpha["n_undefined_resamples"] == boot.n_undefined


def test_more_than_five_percent_undefined_is_a_warning() -> None:
    entry = agreement_report(_rows(RARE), "nominal", bootstrap=500, seed=2)["rare"]
    (warning,) = entry["warnings"]
    assert warning.startswith("alpha was undefined in ")
    assert "of 500 bootstrap resamples" in warning and "the interval and q" in warning
    common = [[u % 2 for u in range(40)], [u % 2 if u % 7 else 1 - u % 2 for u in range(40)]]
    assert agreement_report(_rows(common), "nominal", bootstrap=500, seed=2)["rare"]["warnings"] == []


def test_the_table_shows_the_share_beside_the_interval(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    lines = ["unit_id,coder_id,variable,value", *(",".join(row) for row in _rows(RARE))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["--from-csv", str(path), "--level", "nominal", "--bootstrap", "2000", "--seed", "1"]
    table = CliRunner().invoke(agreement_command, args).stdout
    heading = next(line for line in table.splitlines() if line.startswith("variable"))
    assert heading.split()[5:9] == ["95%", "CI", "undef.B", "q<.800"]
    alpha = json.loads(CliRunner().invoke(agreement_command, [*args, "--json"]).stdout)["variables"]["rare"]
    share = alpha["krippendorff_alpha"]["share_undefined_resamples"]
    row = next(line for line in table.splitlines() if line.startswith("rare"))
    assert row.split()[5:8] == ["[1.000,", "1.000]", f"{share:.1%}"]
    assert "Warnings:" in table and "rare: alpha was undefined in" in table
