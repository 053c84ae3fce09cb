"""Adjudication: the disagreement list, decisions by hand and by rule, and a gold standard with its audit
trail that never touches the coders' own codings."""

from __future__ import annotations

import pytest

from archive.adjudication import (
    AdjudicationError,
    adjudicate,
    clear_gold,
    disagreements,
    get_gold,
    gold_log,
    gold_values,
    settle,
)
from archive.agreement import Selection, project_agreement
from archive.coding.errors import CodingError
from tests.archive.agreement.projects import Study


def _three_coders(study: Study) -> None:
    study.code_all(
        {
            "ana": {1: ["Irony", "Supportive"], 2: ["Irony"], 3: [], 4: ["Critical"]},
            "bo": {1: ["Irony", "Supportive"], 2: [], 3: ["Male survivor"], 4: ["Irony"]},
            "cy": {1: ["Irony"], 2: ["Irony"], 5: []},
        }
    )


def _independent_work(study: Study) -> list[tuple[object, ...]]:
    conn = study.db.conn
    codings = conn.execute("SELECT * FROM codings ORDER BY id").fetchall()
    done = conn.execute("SELECT * FROM coder_status ORDER BY post_id, coder_id").fetchall()
    return [*codings, *done]


def test_the_list_names_post_thread_values_and_majority(study: Study) -> None:
    _three_coders(study)
    found = {(d.post_id, d.unit.target.name): d for d in disagreements(study.db.conn)}
    assert set(found) == {
        ("twitter:1", "Stance"),
        ("twitter:2", "Irony"),
        ("twitter:3", "Male survivor"),
        ("twitter:4", "Irony"),
        ("twitter:4", "Stance"),
    }
    stance = found[("twitter:1", "Stance")]
    assert stance.unit.values == {"ana": "Supportive", "bo": "Supportive", "cy": "<none>"}
    assert stance.unit.majority == "Supportive"
    assert float(stance.unit.agreement_share) == pytest.approx(2 / 3)
    assert (stance.thread_id, stance.status, stance.gold) == ("twitter:1", "open", None)
    assert found[("twitter:2", "Irony")].thread_id == "twitter:1"  # a reply opens in its thread
    assert found[("twitter:4", "Irony")].unit.majority is None  # two coders who differ have no majority
    assert found[("twitter:4", "Irony")].unit.values == {"ana": 0, "bo": 1}  # cy never completed post 4


def test_a_decision_is_recorded_with_its_reason_and_leaves_the_codings_alone(study: Study) -> None:
    _three_coders(study)
    before = _independent_work(study)
    report = project_agreement(study.db.conn, rounds=False).report["variables"]
    study.db.conn.execute("DELETE FROM index_queue")
    gold = adjudicate(study.db, "twitter:4", "Irony", "yes", study.coders["cy"].id, "ironic quote of the OP")
    assert (gold.value, gold.method, gold.adjudicator, gold.rationale) == (
        1,
        "adjudicated",
        "cy",
        "ironic quote of the OP",
    )
    assert gold.coder_values == {"ana": 0, "bo": 1}
    assert _independent_work(study) == before
    assert project_agreement(study.db.conn, rounds=False).report["variables"] == report
    assert [r[0] for r in study.db.conn.execute("SELECT post_id FROM index_queue")] == ["twitter:4"]
    resolved = [d for d in disagreements(study.db.conn) if d.post_id == "twitter:4" and d.unit.target.name == "Irony"]
    assert resolved[0].status == "resolved" and resolved[0].gold == gold
    assert [d.post_id for d in disagreements(study.db.conn, include_resolved=False)].count("twitter:4") == 1


def test_a_variable_takes_a_value_or_none(study: Study) -> None:
    _three_coders(study)
    lead = study.coders["ana"].id
    assert adjudicate(study.db, "twitter:4", "stance", "critical", lead, "explicit").value == "Critical"
    assert adjudicate(study.db, "twitter:1", "Stance", "none", lead, "no stance taken").value == "<none>"
    assert get_gold(study.db.conn, "twitter:1", "Stance").method == "adjudicated"


@pytest.mark.parametrize(
    ("target", "value", "reason", "message"),
    [
        ("Irony", "maybe", "r", "'maybe' is not present or absent"),
        ("Stance", "Hostile", "r", "'Hostile' is not a value of 'Stance'"),
        ("Supportive", "1", "r", "'Supportive' is a value; name its variable 'Stance'"),
        ("Themes", "1", "r", "'Themes' is a category"),
        ("Irony", "1", "  ", "give the reason"),
    ],
)
def test_a_decision_that_cannot_stand_changes_nothing(study: Study, target, value, reason, message) -> None:
    _three_coders(study)
    with pytest.raises(CodingError, match=message):
        adjudicate(study.db, "twitter:2", target, value, study.coders["ana"].id, reason)
    assert list(gold_values(study.db.conn)) == []
    assert list(gold_log(study.db.conn)) == []


def test_replacing_and_withdrawing_are_in_the_audit_trail(study: Study) -> None:
    _three_coders(study)
    ana, bo = study.coders["ana"].id, study.coders["bo"].id
    adjudicate(study.db, "twitter:2", "Irony", "1", ana, "first look")
    adjudicate(study.db, "twitter:2", "Irony", "0", bo, "discussed: literal", method="consensus_meeting")
    withdrawn = clear_gold(study.db, "twitter:2", "Irony", ana, "recode after codebook change")
    assert withdrawn.value == 0 and withdrawn.method == "consensus_meeting"
    assert get_gold(study.db.conn, "twitter:2", "Irony") is None
    trail = list(gold_log(study.db.conn, "twitter:2"))
    assert [(e.action, e.by, e.reason) for e in trail] == [
        ("set", "ana", "first look"),
        ("replace", "bo", "discussed: literal"),
        ("clear", "ana", "recode after codebook change"),
    ]
    assert trail[1].before["present"] == 1 and trail[1].after["present"] == 0
    assert trail[2].after is None
    with pytest.raises(AdjudicationError, match="no gold value"):
        clear_gold(study.db, "twitter:2", "Irony", ana, "again")


def test_the_unanimous_rule_settles_only_agreement(study: Study) -> None:
    _three_coders(study)
    report = settle(study.db, "unanimous", study.coders["ana"].id)
    # 4 posts completed by 2+ coders x 4 targets = 16; 5 disagreements stay open.
    assert (report.unanimous, report.majority, report.left_open, report.already_decided) == (11, 0, 5, 0)
    methods = {(g.post_id, g.target): g.method for g in gold_values(study.db.conn)}
    assert methods[("twitter:1", "Irony")] == "unanimous"
    assert ("twitter:1", "Stance") not in methods
    assert "twitter:5" not in {post for post, _ in methods}  # one coder only: nothing to agree on


def test_the_majority_rule_keeps_decisions_made_by_hand(study: Study) -> None:
    _three_coders(study)
    ana = study.coders["ana"].id
    adjudicate(study.db, "twitter:1", "Stance", "none", ana, "cy is right: no stance")
    before = _independent_work(study)
    study.db.conn.execute("DELETE FROM index_queue")
    report = settle(study.db, "majority", ana)
    assert (report.unanimous, report.majority, report.already_decided) == (11, 1, 1)
    assert report.left_open == 3  # post 3 and post 4 (twice): two coders who differ
    assert get_gold(study.db.conn, "twitter:1", "Stance").value == "<none>"
    majority = get_gold(study.db.conn, "twitter:2", "Irony")
    assert (majority.value, majority.method) == (1, "majority")
    assert majority.rationale == "majority rule: 2 of 3 coders gave '1'"
    assert _independent_work(study) == before
    assert {r[0] for r in study.db.conn.execute("SELECT post_id FROM index_queue")} == {
        "twitter:1",
        "twitter:2",
        "twitter:3",
        "twitter:4",
    }
    again = settle(study.db, "majority", ana)
    assert (again.unanimous, again.majority, again.posts) == (0, 0, 0)
    assert sum(1 for e in gold_log(study.db.conn) if e.action == "set") == 13


def test_rules_follow_a_selection(study: Study) -> None:
    from archive.coding.samples import SampleRule, draw_sample

    _three_coders(study)
    draw_sample(study.db, "pilot", SampleRule(size=1), seed=1, population=["twitter:1"])
    report = settle(study.db, "unanimous", study.coders["ana"].id, Selection(sample="pilot"))
    assert report.posts == 1
    assert {g.post_id for g in gold_values(study.db.conn)} == {"twitter:1"}
    with pytest.raises(AdjudicationError, match="not a rule"):
        settle(study.db, "plurality", study.coders["ana"].id)


def test_a_rule_that_fails_halfway_leaves_nothing_behind(study: Study, monkeypatch) -> None:
    from archive.adjudication import gold, rules

    _three_coders(study)
    calls = []

    def failing(conn, row, by, reason):
        calls.append(row)
        if len(calls) == 5:
            raise RuntimeError("disk full")
        write(conn, row, by, reason)

    write = gold.write_gold
    monkeypatch.setattr(rules, "write_gold", failing)
    with pytest.raises(RuntimeError):
        settle(study.db, "majority", study.coders["ana"].id)
    assert study.db.conn.execute("SELECT count(*) FROM gold").fetchone()[0] == 0
    assert study.db.conn.execute("SELECT count(*) FROM gold_log").fetchone()[0] == 0
