"""Kept posting lists: the same documents back, recent ones ready as sets, older ones packed small."""

from __future__ import annotations

from index.engine.posting_cache import SET_BYTES, PostingCache


def reader(docs: set[int], calls: list[str], name: str = "read"):
    def read() -> set[int]:
        calls.append(name)
        return set(docs)

    return read


def test_a_posting_list_is_read_once_and_then_kept():
    cache, calls = PostingCache(), []
    docs = set(range(0, 1000, 2))
    assert cache.docs("lang:en", 1000, reader(docs, calls)) == docs
    assert cache.docs("lang:en", 1000, reader(docs, calls)) is cache.docs("lang:en", 1000, reader(docs, calls))
    assert calls == ["read"]


def test_older_posting_lists_are_packed_a_byte_per_document_when_dense_and_come_back_whole():
    cache, calls = PostingCache(budget=10_000, hot_docs=600), []
    dense, sparse = set(range(0, 1000, 2)), {3, 700}
    cache.docs("dense", 1000, reader(dense, calls))
    cache.docs("sparse", 1000, reader(sparse, calls))
    cache.begin_search()
    cache.docs("newer", 1000, reader(set(range(300)), calls))  # 802 hot documents: the oldest are packed
    assert cache.packed_bytes == 1000  # dense as bytes, not 500 set entries
    cache.begin_search()
    cache.docs("sparser", 1000, reader(set(range(299)), calls))
    assert cache.packed_bytes == 1000 + 2 * SET_BYTES  # sparse stays a set: smaller than 1,000 bytes
    assert cache.docs("dense", 1000, reader(set(), calls)) == dense
    assert cache.docs("sparse", 1000, reader(set(), calls)) == sparse
    assert calls == ["read"] * 4


def test_filter_kept_answers_for_the_wanted_documents_only_when_kept():
    cache = PostingCache(budget=10_000, hot_docs=100)
    assert cache.filter_kept("is:repost", {1, 2, 3}) is None
    cache.docs("is:repost", 1000, reader(set(range(0, 1000, 3)), []))  # larger than the hot limit: packed
    cache.docs("tag:rare", 1000, reader({2, 900}, []))
    assert cache.filter_kept("is:repost", {1, 2, 3, 999}) == {3, 999}
    assert cache.filter_kept("tag:rare", {1, 2, 3}) == {2}


def test_the_least_recently_used_go_first_when_the_budget_is_full():
    cache, calls = PostingCache(budget=2500, hot_docs=0), []
    for name in ("a", "b", "c"):
        cache.begin_search()
        cache.docs(name, 1000, reader(set(range(0, 1000, 2)), calls))
    assert cache.filter_kept("a", {0}) is None  # a was the oldest: 3,000 bytes do not fit in 2,500
    assert cache.filter_kept("b", {0}) == {0} and cache.filter_kept("c", {0}) == {0}
    cache.docs("huge", 5000, reader(set(range(5000)), calls))  # larger than the whole budget: not kept
    assert cache.filter_kept("huge", {0}) is None and cache.filter_kept("b", {0}) == {0}


def test_forgotten_keys_free_their_memory():
    cache = PostingCache(budget=10_000, hot_docs=60)
    cache.docs(("seg1", "is:reply"), 100, reader(set(range(50)), []))
    cache.begin_search()
    cache.docs(("seg2", "is:reply"), 100, reader(set(range(50)), []))  # seg1's list is packed
    cache.forget(lambda key: key[0] == "seg1")
    assert cache.filter_kept(("seg1", "is:reply"), {1}) is None
    assert cache.packed_bytes == 0 and cache.filter_kept(("seg2", "is:reply"), {1}) == {1}


def test_a_search_whose_sets_do_not_all_fit_keeps_the_rest_packed_instead_of_churning(monkeypatch):
    from index.engine import posting_cache

    cache, calls, packings = PostingCache(budget=10_000, hot_docs=100), [], []
    marks = posting_cache._marks
    monkeypatch.setattr(posting_cache, "_marks", lambda docs, size: packings.append(1) or marks(docs, size))
    first, second = set(range(0, 120, 2)), set(range(1, 120, 2))  # 60 documents each: one fits
    for _ in range(5):  # the same search again and again: each segment's fact in turn
        cache.begin_search()
        assert cache.docs(("seg1", "lang:en"), 120, reader(first, calls)) == first
        assert cache.docs(("seg2", "lang:en"), 120, reader(second, calls)) == second
    assert calls == ["read", "read"] and len(packings) == 1  # packed once, then served packed
    assert cache.filter_kept(("seg1", "lang:en"), {0, 1}) == {0}
    assert cache.filter_kept(("seg2", "lang:en"), {0, 1}) == {1}


def test_a_newcomer_that_does_not_fit_beside_this_search_s_sets_leaves_them_ready():
    cache, calls = PostingCache(budget=10_000, hot_docs=100), []
    cache.docs("a", 100, reader(set(range(50)), calls))
    cache.begin_search()
    cache.docs("a", 100, reader(set(), calls))  # used again by this search
    cache.docs("b", 100, reader(set(range(60)), calls))  # no room beside a: kept packed, a stays ready
    assert cache.packed_bytes == 100  # only b, a byte per document
    cache.begin_search()
    cache.docs("c", 100, reader(set(range(90)), calls))  # a is from an earlier search now: it makes room
    assert cache.packed_bytes == 200 and calls == ["read", "read", "read"]
