"""Every search of random corpora and queries answers as the brute-force evaluator over the store does."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .corpora import plan
from .draw import HypothesisDraw
from .session import Difference, session

# Cases on the index as the corpus's history left it (segments, merges, deleted versions of re-indexed
# posts), after a change made with the searchers open, and after a rebuild, with the searchers open too.
CASES_PER_STATE = 6


@settings(
    max_examples=45,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI must not fail at random
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(st.data())
def test_the_engine_answers_as_the_oracle(data: st.DataObject) -> None:
    draw = HypothesisDraw(data)
    corpus = plan(draw, posts=30)
    found: list[Difference] = []
    with session(corpus) as opened:
        for state in ("as built", "changed", "rebuilt"):
            if state == "changed":
                opened.change(draw)
            if state == "rebuilt":
                opened.rebuild()
            opened.set_blind(draw.chance(0.4))
            for _ in range(CASES_PER_STATE):
                difference = opened.check(*opened.case(draw))
                if difference is not None:
                    found.append(difference)
    assert not found, "\n".join(f"{d.query!r} {d.viewer=} {d.blind=} {d.options}: {d.problems}" for d in found)
