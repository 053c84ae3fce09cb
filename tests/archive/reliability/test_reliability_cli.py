"""``threadcoder agreement`` on a long CSV: the table, --json, the bootstrap and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from desktop.cli_agreement import agreement_command

HEADER = "unit_id,coder_id,variable,value\n"
K2011_A = {"A": [0, 1, 0, 0, 0, 0, 0, 0, 1, 0], "B": [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]}


def _csv(tmp_path: Path) -> Path:
    lines = [
        f"post{u + 1},{coder},irony,{value}" for coder, values in K2011_A.items() for u, value in enumerate(values)
    ]
    lines += [f"post{u},{coder},spam,0" for coder in "AB" for u in range(1, 5)]
    path = tmp_path / "codings.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(agreement_command, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_table_shows_every_variable_and_explains_undefined(tmp_path: Path) -> None:
    code, out, _ = _run("--from-csv", str(_csv(tmp_path)), "--level", "nominal")
    assert code == 0
    irony = next(line for line in out.splitlines() if line.startswith("irony"))
    assert irony.split()[:5] == ["irony", "10", "10", "2", "0.095"]
    spam = next(line for line in out.splitlines() if line.startswith("spam"))
    assert spam.split()[4] == "undef."
    assert "spam: krippendorff_alpha: no variation: all 8 pairable values are '0'" in out
    assert "percent agreement, pairwise within unit" in out


def test_json_output_is_the_report(tmp_path: Path) -> None:
    code, out, _ = _run("--from-csv", str(_csv(tmp_path)), "--level", "nominal", "--json")
    assert code == 0
    report = json.loads(out)
    assert (report["level"], report["source"]) == ("nominal", str(tmp_path / "codings.csv"))
    assert report["variables"]["irony"]["krippendorff_alpha"] == 2 / 21
    assert report["variables"]["spam"]["krippendorff_alpha"] is None


def test_bootstrap_with_a_seed_is_reproducible(tmp_path: Path) -> None:
    args = ("--from-csv", str(_csv(tmp_path)), "--level", "nominal", "--bootstrap", "300", "--seed", "5")
    code, out, _ = _run(*args, "--json")
    assert code == 0
    alpha = json.loads(out)["variables"]["irony"]["krippendorff_alpha"]
    assert alpha["value"] == 2 / 21
    assert (alpha["resamples"], alpha["seed"]) == (300, 5)
    assert _run(*args, "--json")[1] == out
    code, table, _ = _run(*args)
    assert code == 0
    assert f"[{alpha['ci_low']:.3f}, {alpha['ci_high']:.3f}]" in table
    assert "B = 300, seed = 5" in table


def test_errors_are_one_line_with_a_non_zero_exit(tmp_path: Path) -> None:
    conflict = tmp_path / "conflict.csv"
    conflict.write_text(HEADER + "p1,A,irony,1\np1,A,irony,0\n", encoding="utf-8")
    for args, message in [
        (["--from-csv", str(tmp_path / "absent.csv")], "cannot read the file"),
        (["--from-csv", str(conflict)], "line 3: unit 'p1', coder 'A', variable 'irony' has value '0' but line 2"),
        (["--from-csv", str(_csv(tmp_path)), "--seed", "3"], "--seed only applies together with --bootstrap"),
        ([], "give the codings with --from-csv FILE"),
    ]:
        code, out, err = _run(*args, "--level", "nominal")
        assert code == 1
        assert err.startswith("threadcoder: ")
        assert message in err
        assert err.count("\n") == 1
        assert out == ""


def test_level_is_required_and_checked(tmp_path: Path) -> None:
    code, _, err = _run("--from-csv", str(_csv(tmp_path)), "--level", "cardinal")
    assert code != 0
    assert "cardinal" in err
