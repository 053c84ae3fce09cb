"""A page picked a segment at a time is the page of the whole order: scores, then the unscored by date."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from index.engine.paging import PagePicker


@dataclass
class FakeSegment:
    """What the picker reads of a segment: its offset and its time column."""

    offset: int
    times: list[int]

    def column(self, name: str) -> list[int]:
        assert name == "time"
        return self.times


# Each segment: a time for each post (few distinct times: ties), and scores for some of them.
segment_data = st.lists(st.sampled_from([0, 100, 200, 300]), min_size=1, max_size=90).flatmap(
    lambda times: st.tuples(
        st.just(times),
        st.dictionaries(st.integers(0, len(times) - 1), st.sampled_from([0.5, 1.0, 1.5]), max_size=len(times)),
    )
)


def segments_of(data: list[tuple[list[int], dict[int, float]]]) -> list[tuple[FakeSegment, dict[int, float]]]:
    made, offset = [], 0
    for times, table in data:
        made.append((FakeSegment(offset, times), table))
        offset += len(times)
    return made


@given(data=st.lists(segment_data, min_size=1, max_size=6), start=st.integers(0, 30), size=st.integers(1, 30))
def test_by_score_then_the_unscored_newest_first(data, start, size):
    picker = PagePicker(start + size, scoring=True)
    expected_scored, expected_rest = [], []
    for segment, table in segments_of(data):
        words = set(table)
        rest = set(range(len(segment.times))) - words
        if words:
            picker.add_scored(segment, words, table)
        if rest:
            picker.add_dated(segment, rest)
        expected_scored += [(segment.offset + doc, score, segment.times[doc]) for doc, score in table.items()]
        expected_rest += [(segment.times[doc], segment.offset + doc) for doc in rest]
    expected_scored.sort(key=lambda item: (-item[1], item[0]))
    expected_rest.sort(reverse=True)
    order = expected_scored + [(docnum, None, when) for when, docnum in expected_rest]
    assert picker.page(start) == order[start : start + size]


@given(
    data=st.lists(segment_data, min_size=1, max_size=6),
    start=st.integers(0, 30),
    size=st.integers(1, 30),
    newest_first=st.booleans(),
)
def test_by_date_either_way_ties_by_document_number(data, start, size, newest_first):
    picker = PagePicker(start + size, scoring=False, newest_first=newest_first)
    expected = []
    for segment, _ in segments_of(data):
        docs = set(range(len(segment.times)))
        picker.add_dated(segment, docs)
        expected += [(segment.times[doc], segment.offset + doc) for doc in docs]
    expected.sort(reverse=newest_first)
    assert picker.page(start) == [(docnum, None, when) for when, docnum in expected[start : start + size]]


def test_a_few_of_many_posts_are_picked_by_time_then_number():
    times = [(doc * 37) % 5 * 100 for doc in range(60)]  # five times, a dozen posts each
    for newest_first in (True, False):
        picker = PagePicker(5, scoring=False, newest_first=newest_first)
        picker.add_dated(FakeSegment(1000, times), set(range(60)))  # 5 of 60: picked, not all sorted
        expected = sorted(((when, 1000 + doc) for doc, when in enumerate(times)), reverse=newest_first)[:5]
        assert picker.page(0) == [(docnum, None, when) for when, docnum in expected]
