"""``threadcoder adjudicate PROJECT ...``: list, decide, withdraw, settle, gold and log as a researcher types them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from desktop.commands import cli
from tests.archive.agreement.projects import Study


def _run(study: Study, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["adjudicate", str(study.project.folder), *args])
    return result.exit_code, result.stdout, result.stderr


def _coded(study: Study) -> None:
    study.code_all(
        {
            "ana": {1: ["Irony"], 2: ["Irony"], 3: []},
            "bo": {1: ["Irony"], 2: [], 3: ["Supportive"]},
            "cy": {1: [], 2: ["Irony"]},
        }
    )
    study.project.close()  # the command opens the project itself (one writer at a time)


def test_list_decide_settle_and_show_the_gold(study: Study) -> None:
    _coded(study)
    code, out, _ = _run(study, "list")
    assert code == 0
    assert "twitter:2\tIrony\tana=1, bo=0, cy=1; majority 1\topen" in out
    assert "twitter:3\tStance\tana=<none>, bo=Supportive\topen" in out
    assert out.splitlines()[-1] == "3 disagreement(s); 3 open."
    code, out, _ = _run(
        study, "decide", "twitter:3", "Stance", "Supportive", "--reason", "explicit praise", "--coder", "cy"
    )
    assert (code, out) == (0, "twitter:3: Stance = Supportive (adjudicated by cy).\n")
    code, out, _ = _run(study, "settle", "majority", "--coder", "ana")
    assert code == 0
    assert (
        out == "9 unanimous and 2 majority values recorded on 3 posts; 1 already decided, 0 left for the adjudicator.\n"
    )
    assert json.loads(_run(study, "list", "--open", "--json")[1]) == []
    rows = json.loads(_run(study, "list", "--json")[1])
    assert {(r["post"], r["variable"], r["gold"]) for r in rows} == {
        ("twitter:1", "Irony", 1),
        ("twitter:2", "Irony", 1),
        ("twitter:3", "Stance", "Supportive"),
    }
    gold = json.loads(_run(study, "gold", "--json")[1])
    assert len(gold) == 12
    assert {"post_id": "twitter:3", "target": "Stance", "value": "Supportive", "method": "adjudicated"}.items() <= next(
        g for g in gold if (g["post_id"], g["target"]) == ("twitter:3", "Stance")
    ).items()
    code, out, _ = _run(study, "withdraw", "twitter:3", "Stance", "--reason", "recode", "--coder", "ana")
    assert out == "twitter:3: Stance is open again (was Supportive).\n"
    log = _run(study, "log", "twitter:3")[1].splitlines()
    assert [line.split("\t")[3] for line in log if "\tStance\t" in line] == ["set", "clear"]


def test_errors_are_one_line(study: Study) -> None:
    _coded(study)
    result = CliRunner().invoke(
        cli,
        [
            "adjudicate",
            str(study.project.folder),
            "decide",
            "twitter:1",
            "Irony",
            "perhaps",
            "--reason",
            "x",
            "--coder",
            "ana",
        ],
    )
    assert result.exit_code == 1
    assert result.stderr == "threadcoder: 'perhaps' is not present or absent (1/0) for the code 'Irony'\n"
