"""The posts of one page of a search, picked a segment at a time.

A search holds one segment's matches as Python sets at a time, then lets them go: every segment's sets held
at once were most of a big search's memory (a 700,000-post search traced 120 MB for its sets alone). Each
segment hands over its candidates for the page: the best scores (ties to the lower document number), and
the posts without a scoring word, or all posts when sorted by date, by time. The picker keeps only as many
of each as the page's last post needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from index.engine.ranking import top
from index.engine.segments import Segment
from index.schema import TIME_FIELD

Ranked = list[tuple[int, float | None, int]]  # global document number, score (None: unscored), time


class PagePicker:
    """Candidates for positions ``0:stop`` of a search's order: by score, then the unscored posts newest
    first (``scoring``); or every post by time, newest first unless ``newest_first`` is False."""

    def __init__(self, stop: int, *, scoring: bool, newest_first: bool = True) -> None:
        self.stop = stop
        self.scoring = scoring
        self.newest_first = newest_first or scoring  # unscored posts follow the scored ones newest first
        self.scored_total = 0
        self._scored: list[tuple[int, float, int]] = []  # global document number, score, time
        self._dated: list[tuple[int, int]] = []  # time, global document number
        # Once ``stop`` candidates are in, what a later segment's post must beat (it loses ties: its document
        # number is higher): most segments then hand over few or none.
        self._lowest_score: float | None = None
        self._time_bound: int | None = None

    def add_scored(self, segment: Segment, docs: set[int], table: dict[int, float]) -> None:
        """Posts of ``segment`` with a scoring word, and their scores (``table`` may hold others too)."""
        self.scored_total += len(docs)
        times = segment.column(TIME_FIELD)
        best = top([(segment.offset, docs, table)], self.stop, self._lowest_score)
        self._scored += [(docnum, score, times[docnum - segment.offset]) for docnum, score in best]
        if len(self._scored) >= self.stop:  # nearly sorted already: cheap to sort again
            self._scored = self._best_scored()
            self._lowest_score = self._scored[-1][1]

    def add_dated(self, segment: Segment, docs: set[int]) -> None:
        """Posts of ``segment`` to order by time."""
        times = segment.column(TIME_FIELD)
        dated: Iterable[tuple[int, int]]
        if self.stop * 4 < len(docs):
            dated = _best_by_time(times, docs, self.stop, self.newest_first)
        else:
            dated = zip(map(times.__getitem__, docs), docs, strict=True)  # ties of times go by number
        bound = self._time_bound
        if bound is not None:  # newest first, a later post wins a tie of times; oldest first, it loses one
            dated = [(when, doc) for when, doc in dated if (when >= bound if self.newest_first else when < bound)]
        self._dated += [(when, segment.offset + doc) for when, doc in dated]
        if len(self._dated) >= self.stop:
            self._dated = self._best_dated()
            self._time_bound = self._dated[-1][0]

    def page(self, start: int) -> Ranked:
        """Positions ``start:stop`` of the order."""
        if not self.scoring:
            return [(docnum, None, when) for when, docnum in self._best_dated()[start:]]
        ranked: Ranked = [(docnum, score, when) for docnum, score, when in self._best_scored()[start:]]
        dated = self._best_dated()[max(0, start - self.scored_total) : max(0, self.stop - self.scored_total)]
        return ranked + [(docnum, None, when) for when, docnum in dated]

    def _best_scored(self) -> list[tuple[int, float, int]]:
        return sorted(self._scored, key=lambda item: (-item[1], item[0]))[: self.stop]

    def _best_dated(self) -> list[tuple[int, int]]:
        return sorted(self._dated, reverse=self.newest_first)[: self.stop]


def _best_by_time(times: Sequence[int], docs: set[int], stop: int, newest_first: bool) -> list[tuple[int, int]]:
    """The first ``stop`` (time, document) of ``docs`` in time order, ties by document number, sorted at C
    speed (heapq's pick of a few among thousands walks them in Python)."""
    found = np.fromiter(docs, np.int64, len(docs))
    when = np.asarray(times, dtype=np.int64)[found]
    order = np.lexsort((found, when))
    chosen = order[::-1][:stop] if newest_first else order[:stop]
    return list(zip(when[chosen].tolist(), found[chosen].tolist(), strict=True))
