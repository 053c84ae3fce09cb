"""Kept posting lists: the same documents back, in far less memory than sets, within a byte budget."""

from __future__ import annotations

from index.posting_cache import SET_BYTES, PostingCache


def reader(docs: set[int], calls: list[int]):
    def read() -> set[int]:
        calls.append(1)
        return set(docs)

    return read


def test_a_dense_posting_list_comes_back_whole_and_is_read_once():
    cache, calls = PostingCache(budget=10_000), []
    dense = set(range(0, 1000, 2))
    assert cache.docs("lang:en", 1000, reader(dense, calls)) == dense
    assert cache.docs("lang:en", 1000, reader(dense, calls)) == dense
    assert calls == [1]
    assert cache._bytes == 1000  # one byte per document of the segment, not 500 sets entries


def test_a_sparse_posting_list_is_kept_as_a_set():
    cache, calls = PostingCache(budget=10_000), []
    sparse = {3, 700}
    assert cache.docs("tag:rare", 1000, reader(sparse, calls)) == sparse
    assert cache._bytes == 2 * SET_BYTES


def test_within_answers_for_the_wanted_documents_only_when_kept():
    cache = PostingCache(budget=10_000)
    assert cache.within("is:repost", {1, 2, 3}) is None
    cache.docs("is:repost", 1000, reader(set(range(0, 1000, 3)), []))
    cache.docs("tag:rare", 1000, reader({2, 900}, []))
    assert cache.within("is:repost", {1, 2, 3, 999}) == {3, 999}
    assert cache.within("tag:rare", {1, 2, 3}) == {2}


def test_the_least_recently_used_go_first_when_the_budget_is_full():
    cache, calls = PostingCache(budget=2500), []
    for name in ("a", "b", "c"):
        cache.docs(name, 1000, reader(set(range(0, 1000, 2)), calls))
    assert cache.within("a", {0}) is None  # a was the oldest: 3,000 bytes do not fit in 2,500
    assert cache.within("b", {0}) == {0} and cache.within("c", {0}) == {0}
    cache.docs("huge", 5000, reader(set(range(5000)), calls))  # larger than the whole budget: not kept
    assert cache.within("huge", {0}) is None and cache.within("b", {0}) == {0}


def test_forgotten_keys_free_their_bytes():
    cache = PostingCache(budget=10_000)
    cache.docs(("seg1", "is:reply"), 100, reader(set(range(50)), []))
    cache.docs(("seg2", "is:reply"), 100, reader(set(range(50)), []))
    cache.forget(lambda key: key[0] == "seg1")
    assert cache.within(("seg1", "is:reply"), {1}) is None
    assert cache._bytes == 100
