"""The best page of scores: highest first, ties to the lower document number, pages that never overlap."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from index.engine.ranking import top

scores = st.dictionaries(st.integers(0, 400), st.sampled_from([0.5, 1.0, 1.25, 2.0]), max_size=300)


def by_hand(tables: list[tuple[int, set[int], dict[int, float]]], stop: int) -> list[tuple[int, float]]:
    everything = [(offset + doc, table[doc]) for offset, allowed, table in tables for doc in allowed]
    return sorted(everything, key=lambda item: (-item[1], item[0]))[:stop]


@given(first=scores, second=scores, stop=st.integers(1, 60))
def test_the_best_are_found_with_ties_to_the_lower_document_number(first, second, stop):
    tables = [(0, set(first), first), (1000, {doc for doc in second if doc % 3}, second)]
    assert top(tables, stop) == by_hand(tables, stop)


def test_thousands_of_tied_scores_page_without_overlap():
    table = {doc: 1.0 for doc in range(5000)} | {doc: 2.0 for doc in range(4000, 4010)}
    pages = [top([(0, set(table), table)], stop)[stop - 50 : stop] for stop in (50, 100, 150)]
    assert [doc for doc, _ in pages[0][:10]] == list(range(4000, 4010))
    assert [doc for doc, _ in pages[0][10:]] == list(range(40))
    seen = [doc for page in pages for doc, _ in page]
    assert len(seen) == len(set(seen)) == 150
