"""``threadcoder agreement PROJECT``: the table, --json ({"variables": ...}), --sample, the bootstrap, errors;
and --from-csv still works, also on the long file the project exports."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archive.coding.samples import SampleRule, draw_sample
from archive.export import export
from desktop.commands import cli
from tests.archive.agreement.projects import Study


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["agreement", *args])
    return result.exit_code, result.stdout, result.stderr


def _coded(study: Study) -> Path:
    study.code_all(
        {
            "ana": {1: ["Irony", "Supportive"], 2: ["Irony"], 3: [], 4: ["Critical"]},
            "bo": {1: ["Irony", "Supportive"], 2: [], 3: [], 4: ["Critical"]},
        }
    )
    return study.project.folder


def test_the_table_lists_codes_and_variables_with_counts_and_the_summary(study: Study) -> None:
    code, out, _ = _run(str(_coded(study)))
    assert code == 0
    irony = next(line for line in out.splitlines() if line.startswith("Irony"))
    cells = irony.split()
    assert cells[:4] == ["Irony", "code", "4", "2"]
    assert cells[4] == "0.533"  # binary shortcut: 1 - (n - 1) o_01 / (n_0 n_1) = 1 - 7 * 1 / (5 * 3)
    assert cells[7:11] == ["1", "2", "1", "0"]  # both, neither, only A, only B
    survivor = next(line for line in out.splitlines() if line.startswith("Male survivor"))
    assert survivor.split()[5] == "undef."
    assert "Male survivor: krippendorff_alpha: no variation" in out
    assert "Counts: A = ana, B = bo." in out
    assert "ana / bo:" in out
    assert "all posts, version" in out


def test_json_has_the_issue_shape(study: Study) -> None:
    code, out, _ = _run(str(_coded(study)), "--json")
    assert code == 0
    report = json.loads(out)
    variables = report["variables"]
    assert set(variables) == {"Male survivor", "Irony", "Stance", "Disclosure"}
    irony = variables["Irony"]
    assert irony["krippendorff_alpha"] == 1 - 7 * 1 / 15
    for key in ("cohen_kappa", "scott_pi", "fleiss_kappa", "gwet_ac1", "brennan_prediger", "percent_agreement"):
        assert key in irony
    assert variables["Male survivor"]["krippendorff_alpha"] is None
    assert variables["Stance"]["kind"] == "variable"
    assert report["n_posts"] == 4 and report["coders"] == ["ana", "bo"]


def test_a_sample_and_the_bootstrap(study: Study) -> None:
    folder = _coded(study)
    draw_sample(study.db, "pilot", SampleRule(size=2), seed=1, population=["twitter:1", "twitter:2"])
    code, out, _ = _run(str(folder), "--sample", "pilot", "--json", "--bootstrap", "200", "--seed", "9")
    assert code == 0
    report = json.loads(out)
    assert report["n_posts"] == 2 and report["filter"]["sample"] == "pilot"
    assert report["variables"]["Irony"]["krippendorff_alpha"]["seed"] == 9
    code, table, _ = _run(str(folder), "--sample", "pilot", "--bootstrap", "200", "--seed", "9")
    assert "B = 200, seed = 9" in table


def test_project_mode_refuses_what_only_fits_a_csv(study: Study, tmp_path: Path) -> None:
    folder = str(_coded(study))
    for args, message in [
        ([folder, "--level", "interval"], "a project's codes and variables are nominal"),
        ([folder, "--from-csv", str(tmp_path / "x.csv")], "give either PROJECT or --from-csv FILE, not both"),
        ([folder, "--seed", "3"], "--seed only applies together with --bootstrap"),
        ([str(tmp_path / "nowhere")], "not a Threadcoder project"),
        ([folder, "--sample", "absent"], "no sample named 'absent'"),
    ]:
        code, out, err = _run(*args)
        assert code == 1, args
        assert message in err
        assert out == ""


def test_from_csv_on_the_exported_long_file_gives_the_projects_alpha(study: Study, tmp_path: Path) -> None:
    folder = _coded(study)
    export(study.db.conn, "long", tmp_path / "long.csv")
    code, out, _ = _run("--from-csv", str(tmp_path / "long.csv"), "--level", "nominal", "--json")
    assert code == 0
    from_csv = json.loads(out)["variables"]
    from_project = json.loads(_run(str(folder), "--json")[1])["variables"]
    for name, entry in from_project.items():
        assert from_csv[name]["krippendorff_alpha"] == entry["krippendorff_alpha"]
        assert from_csv[name]["percent_agreement"] == entry["percent_agreement"]
    code, _, err = _run("--from-csv", str(tmp_path / "long.csv"))
    assert code == 1 and "--from-csv needs --level" in err
