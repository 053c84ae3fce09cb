"""One project, two paths: ``threadcoder agreement PROJECT`` and its long export read back with ``--from-csv``
give the same statistics, although only the export carries the posts that one coder completed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from archive.export import export
from desktop.commands import cli
from tests.archive.agreement.projects import Study

STATISTICS = (
    "cohen_kappa",
    "scott_pi",
    "fleiss_kappa",
    "gwet_ac1",
    "brennan_prediger",
    "percent_agreement",
    "percent_agreement_all_agree",
    "percent_agreement_coder_pairs",
)
CODEBOOK_Q = (
    "--categories",
    "Irony=2",
    "--categories",
    "Male survivor=2",
    "--categories",
    "Disclosure=2",
    "--categories",
    "Stance=3",
)


def _json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["agreement", *args, "--json"])
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def _code(study: Study) -> None:
    # Post 5 is completed by ana alone: the project's report leaves it out, its long export keeps it. It is
    # also the only post where anyone chose "Critical" or applied "Male survivor".
    ana = {1: ["Irony", "Supportive"], 2: ["Irony"], 3: [], 4: ["Supportive"], 5: ["Critical", "Male survivor"]}
    study.code_all({"ana": ana, "bo": {1: ["Irony", "Supportive"], 2: [], 3: ["Irony"], 4: []}})


def test_the_project_and_its_long_export_give_the_same_statistics(study: Study, tmp_path: Path) -> None:
    _code(study)
    export(study.db.conn, "long", tmp_path / "long.csv")
    project = _json(str(study.project.folder))["variables"]
    from_csv = _json("--from-csv", str(tmp_path / "long.csv"), "--level", "nominal", *CODEBOOK_Q)["variables"]
    assert from_csv["Stance"]["n_units"] == project["Stance"]["n_units"] + 1  # the post ana alone completed
    for name, entry in project.items():
        assert entry["n_units_pairable"] == from_csv[name]["n_units_pairable"]
        assert entry["krippendorff_alpha"] == from_csv[name]["krippendorff_alpha"]
        for statistic in STATISTICS:
            assert entry[statistic] == from_csv[name][statistic], (name, statistic)
        assert entry["units"] == from_csv[name]["units"]


def test_the_bootstrap_resamples_the_same_units_on_both_paths(study: Study, tmp_path: Path) -> None:
    _code(study)
    export(study.db.conn, "long", tmp_path / "long.csv")
    boot = ("--bootstrap", "300", "--seed", "4")
    project = _json(str(study.project.folder), *boot)["variables"]["Irony"]["krippendorff_alpha"]
    from_csv = _json("--from-csv", str(tmp_path / "long.csv"), "--level", "nominal", *boot)["variables"]
    assert from_csv["Irony"]["krippendorff_alpha"] == project


def test_each_statistic_states_its_units_in_the_json_and_the_table(study: Study) -> None:
    _code(study)
    irony = _json(str(study.project.folder))["variables"]["Irony"]
    assert irony["units"]["fleiss_kappa"] == {"rule": "units coded by 2+ coders, for p_a and pi_k", "n_units": 4}
    assert irony["units"]["cohen_kappa"]["rule"] == "units coded by both coders"
    assert set(irony["units"]) == set(irony["definitions"])
    table = CliRunner().invoke(cli, ["agreement", str(study.project.folder)]).stdout
    units = table[table.index("Units each statistic uses:") :].splitlines()
    assert [line.split()[0] for line in units[1:5]] == ["alpha", "%agree", "AC1", "Fleiss"]
    assert "Fleiss  units coded by 2+ coders, for p_a and pi_k" in table


def test_a_code_no_pair_of_coders_varied_on_is_flagged_in_the_project_report(study: Study) -> None:
    _code(study)  # "Male survivor" was applied only on post 5, which ana alone completed
    report = _json(str(study.project.folder))
    survivor = report["variables"]["Male survivor"]
    assert survivor["krippendorff_alpha"] is None
    assert survivor["gwet_ac1"] == survivor["percent_agreement"] == 1.0  # q = 2 from the codebook
    assert "gwet_ac1" in survivor["flags"] and "percent_agreement" in survivor["flags"]
    pair = report["pairwise"][0]["variables"]["Male survivor"]
    assert pair["percent_agreement"] == 1.0
    assert pair["flags"] == {"percent_agreement": survivor["flags"]["percent_agreement"]}
    assert report["pairwise"][0]["variables"]["Irony"]["flags"] == {}
    table = CliRunner().invoke(cli, ["agreement", str(study.project.folder)]).stdout
    row = next(line for line in table.splitlines() if line.startswith("Male survivor"))
    assert row.split()[-2:] == ["1.000*", "undef."]  # AC1 flagged, Fleiss undefined
    assert "Male survivor: AC1, %agree: every value in units coded by 2+ coders is 0" in table
