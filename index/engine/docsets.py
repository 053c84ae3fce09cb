"""Which documents match a query, as plain sets per index segment, computed at C speed where possible.

Whoosh finds matches one document at a time in Python (about a microsecond each), which is fine for the
top 50 hits but slow for what a research tool also needs on every search: the exact total, facet counts
and date order over results of hundreds of thousands of posts. This module evaluates the boolean
structure of a query with Python set operations instead, on posting lists read a block at a time
(``index.engine.segments``). Within an AND, the smallest part is evaluated first and the larger text parts are
then read only in the posting blocks that can hold one of the posts still in the running, so a rare
filter beside a common word never pays for the common word's whole posting list. Scoring stays apart
(``index.engine.ranking``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import compress

from index.analysis import in_sequences, packed, term_hash
from index.engine.segments import Segment
from index.engine.word_sequences import Occurrences, PlannedPass
from index.terms import DateRange, Stemmed
from index.whoosh_format import wq
from index.words_field import WordsText

# A part of an AND is read only where the posts still in the running are when it is at least this many
# times larger than they are; otherwise reading it whole (and caching it for the search) is as cheap.
NARROW = 8
# Reading a posting costs about 0.4 times what checking one post's word order costs (measured on 200k posts).
READ_VERSUS_CHECK = 0.4
# A few posts spread over a common word's posting blocks: looking the word up in each post's word sequence
# costs less than decoding the blocks when the word is in this many times more posts than are left.
LOOK_VERSUS_READ = 16
LOOK_UP_FORMS = 64  # a stemmed word or prefix with more forms than this reads its postings instead
# A word in more than this share of a segment's posts, per form looked for, is found by a pass over the
# word column: decoding its postings costs more there (1M posts: "not", in 30%, 35 ms by a pass against
# 47 ms by postings; "metoo", 70%, 61 against 122 ms; "men", 14%, 26 against 22 ms; "survivor" and
# "survivors", 14% together, 48 against 25 ms). Its counts then score it without its postings either.
WORD_PASS_ABOVE = 0.2
PASSES_AT_ONCE = 2  # passes over word sequences run side by side (on 1M posts: 29 ms alone, 18 ms two at a time)


def matching(query: wq.Query, segment: Segment) -> set[int]:
    """The local numbers of the live documents of ``segment`` that match ``query``."""
    docs = _evaluate(query, segment)
    return docs - segment.deleted if segment.deleted else docs


def filter_matching(query: wq.Query, segment: Segment, docs: set[int]) -> set[int]:
    """Exactly the documents of ``docs`` that match ``query``, reading only what can concern them."""
    return docs & _evaluate_narrowed(query, segment, docs) if docs else set()


def _evaluate(query: wq.Query, segment: Segment) -> set[int]:
    """Documents matching ``query``; the sets returned are shared and must not be changed in place."""
    if isinstance(query, (wq.Term, Stemmed, DateRange, wq.Prefix, wq.Wildcard, wq.Phrase)):
        cached = segment.cached(query)
        return cached if cached is not None else segment.remember(query, _expand(query, segment))
    if isinstance(query, wq.And):
        return _intersection(query.subqueries, segment)
    if isinstance(query, wq.Or):
        return _union(_evaluate(child, segment) for child in query.subqueries)
    if isinstance(query, wq.Not):
        return segment.everything() - _evaluate(query.query, segment)
    if isinstance(query, wq.Every):
        return segment.everything()
    if isinstance(query, wq.ConstantScoreQuery):
        return _evaluate(query.child, segment)
    if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
        return set()
    return set(query.matcher(segment.searcher).all_ids())  # anything else: Whoosh's own matching


def _expand(query: wq.Query, segment: Segment) -> set[int]:
    common = _common_word(query, segment)
    if common is not None:
        return _union(found.as_set() for found in segment.words().word_occurrences(common))
    if isinstance(query, wq.Term):
        return segment.term_docs(query.fieldname, _btext(segment, query.fieldname, query.text))
    if isinstance(query, wq.Phrase):
        return _phrase_docs(query, segment)
    field = query.field()
    return _union(segment.term_docs(field, btext) for btext in segment.expand(query))


def _intersection(children: Iterable[wq.Query], segment: Segment) -> set[int]:
    """Smallest part first; then each larger part only where the posts still in the running are."""
    positive = sorted((c for c in children if not isinstance(c, wq.Not)), key=lambda c: _estimate(c, segment))
    negative = [child.query for child in children if isinstance(child, wq.Not)]
    docs = segment.everything() if not positive else None
    for child in positive:
        found = _evaluate(child, segment) if docs is None else _evaluate_narrowed(child, segment, docs)
        docs = found if docs is None else docs & found
        if not docs:
            return set()
    assert docs is not None
    for child in negative:
        docs = docs - _evaluate_narrowed(child, segment, docs)
    return docs


def _evaluate_narrowed(query: wq.Query, segment: Segment, docs: set[int]) -> set[int]:
    """Evaluates ``query`` reading only the postings that can concern ``docs``: the result holds every
    document of ``docs`` that matches, and may hold others that match too (callers intersect)."""
    shortcut = _shortcut(query, segment, docs)
    if shortcut is not None:
        return shortcut
    if isinstance(query, wq.Term):
        return segment.filter_by_term(query.fieldname, _btext(segment, query.fieldname, query.text), docs)
    if isinstance(query, (Stemmed, wq.Prefix, wq.Wildcard)):
        field = query.field()
        return _union(segment.filter_by_term(field, btext, docs) for btext in segment.expand(query))
    if isinstance(query, wq.Phrase):
        return _phrase_docs(query, segment, docs)
    if isinstance(query, wq.Or):
        return _union(_evaluate_narrowed(child, segment, docs) for child in query.subqueries)
    if isinstance(query, wq.And):
        found = docs
        for child in query.subqueries:
            found = found & _evaluate_narrowed(child, segment, found) if found else found
        return found
    if isinstance(query, wq.Not):
        return docs - _evaluate_narrowed(query.query, segment, docs)
    if isinstance(query, wq.ConstantScoreQuery):
        return _evaluate_narrowed(query.child, segment, docs)
    return _evaluate(query, segment)


def _shortcut(query: wq.Query, segment: Segment, docs: set[int]) -> set[int] | None:
    """What answers ``_evaluate_narrowed`` without reading the query's postings where the documents are: a
    part already evaluated in this search, a kept filter, the part read whole when it is no larger than
    what is left, or a few posts' word sequences."""
    cached = segment.cached(query)
    if cached is not None:
        return cached
    if isinstance(query, wq.Term):  # a kept filter answers for the posts in the running without a set of its own
        kept = segment.filter_by_kept_fact(query.fieldname, _btext(segment, query.fieldname, query.text), docs)
        if kept is not None:
            return kept
    estimate = _estimate(query, segment)
    if len(docs) * NARROW >= estimate:
        return _evaluate(query, segment)
    if len(docs) * LOOK_VERSUS_READ < estimate:
        return _look_up_words(query, segment, docs)
    return None


def _look_up_words(query: wq.Query, segment: Segment, docs: set[int]) -> set[int] | None:
    """The few posts of ``docs`` with a word (or one of its forms), found in their word sequences instead
    of the word's posting blocks, which they would be spread over; None where that does not apply."""
    word = _word(query, segment)
    forms = None if word is None else _sequence_forms(segment, *word)
    return None if forms is None else segment.words().with_any(docs, [packed([form]) for form in forms])


def _word(query: wq.Query, segment: Segment) -> tuple[str, list[bytes]] | None:
    """The field and index terms of a word query (its forms, for a stemmed word, prefix or wildcard)."""
    if isinstance(query, wq.Term):
        return query.fieldname, [_btext(segment, query.fieldname, query.text)]
    if isinstance(query, (Stemmed, wq.Prefix, wq.Wildcard)):
        return query.field(), segment.expand(query)
    return None


def _sequence_forms(segment: Segment, field: str, words: list[bytes]) -> list[str] | None:
    """The forms of a word as its posts' word sequences hold them; None where they do not hold them all
    (another field, too many forms, a single character of a paired script)."""
    if not isinstance(segment.reader.schema[field], WordsText) or not words or len(words) > LOOK_UP_FORMS:
        return None
    forms = [word.decode("utf-8") for word in words]
    return forms if all(map(in_sequences, forms)) else None


def _common_word(query: wq.Query, segment: Segment) -> list[int] | None:
    """The hashes of a word's forms when the word is in so many of the segment's posts that one pass over
    the word column finds them for less than reading its postings; None otherwise."""
    word = _word(query, segment)
    forms = None if word is None else _sequence_forms(segment, *word)
    if word is None or forms is None:
        return None
    field, terms = word
    if sum(segment.frequency(field, term) for term in terms) <= WORD_PASS_ABOVE * len(forms) * segment.size:
        return None
    return [term_hash(form) for form in forms]


def _estimate(query: wq.Query, segment: Segment) -> int:
    """Roughly how many documents match: the order in which an AND is evaluated."""
    if isinstance(query, wq.Term):
        return segment.frequency(query.fieldname, _btext(segment, query.fieldname, query.text))
    if isinstance(query, (Stemmed, wq.Prefix, wq.Wildcard, DateRange)):
        field = query.field()
        return sum(segment.frequency(field, btext) for btext in segment.expand(query))
    if isinstance(query, wq.Phrase):
        return min(segment.frequency(query.fieldname, _btext(segment, query.fieldname, w)) for w in query.words)
    if isinstance(query, wq.And):
        return min((_estimate(child, segment) for child in query.subqueries), default=segment.size)
    if isinstance(query, wq.Or):
        return min(segment.size, sum(_estimate(child, segment) for child in query.subqueries))
    if isinstance(query, wq.ConstantScoreQuery):
        return _estimate(query.child, segment)
    return segment.size


def _union(sets: Iterable[set[int]]) -> set[int]:
    return set().union(*sets)


def _phrase_docs(query: wq.Phrase, segment: Segment, among: set[int] | None = None) -> set[int]:
    """Posts with the words in order (with ``among``: every one of ``among``, and maybe others; callers
    intersect): in one pass over the segment's word sequences when the phrase's words are in many posts;
    otherwise sets find candidates, then each candidate's word order is checked, in the text's column of
    words or in the word positions of fields that keep them (the name)."""
    terms = [wq.Term(query.fieldname, word) for word in query.words]
    if segment.reader.schema[query.fieldname].format.supports("positions"):
        candidates = (
            _intersection(terms, segment) if among is None else _evaluate_narrowed(wq.And(terms), segment, among)
        )
        return _phrase_by_positions(query, segment, candidates) if candidates else set()
    passed = phrase_in_one_pass(query, segment, None if among is None else len(among))
    if passed is not None:
        return passed.as_set() if among is None else passed.among(among).as_set()
    candidates = _phrase_candidates(terms, segment, among)
    if not candidates:
        return set()
    return segment.words().with_any(candidates, [packed(query.words)])


def phrase_in_one_pass(query: wq.Phrase, segment: Segment, candidates: int | None) -> Occurrences | None:
    """The phrase's occurrences in every post of the segment, found in one pass over its word sequences,
    when that costs less than checking the posts with its rarest word (or ``candidates`` posts) one by
    one, or when a pass found them already; None otherwise (or when the field has no word sequences)."""
    if not isinstance(segment.reader.schema[query.fieldname], WordsText) or not query.words:
        return None
    kept = segment.words().kept([term_hash(word) for word in query.words])
    if kept is not None:  # found by this search already (scoring comes after matching), or by the last
        return kept
    planned = _planned_pass(query, segment, candidates)
    return None if planned is None else segment.words().keep(planned, planned.run())[0]


def pass_ahead(query: wq.Query, segments: list[Segment]) -> None:
    """Run the passes over word sequences that matching ``query`` will need, two segments at a time (numpy
    lets go of the interpreter while it compares), and keep what they find for the matching."""
    planned: dict[tuple[int, bool, tuple[int, ...]], tuple[Segment, PlannedPass]] = {}  # twice: one pass
    for at, segment in enumerate(segments):
        for part in _whole_parts(query, segment):
            found = _planned_pass(part, segment, None)
            if found is not None:
                planned[(at, found.each_word, found.hashes)] = (segment, found)
    if len(planned) < 2:
        return
    with ThreadPoolExecutor(max_workers=PASSES_AT_ONCE) as pool:
        occurrences = list(pool.map(PlannedPass.run, [found for _, found in planned.values()]))
    for (segment, found), occurring in zip(planned.values(), occurrences, strict=True):
        segment.words().keep(found, occurring)


def _whole_parts(query: wq.Query, segment: Segment) -> Iterator[wq.Query]:
    """The text phrases and common words of ``query`` that matching evaluates over the whole segment, not
    within the posts left by a rarer part of an AND (as ``_intersection`` orders them)."""
    if isinstance(query, wq.Phrase) or _common_word(query, segment) is not None:
        yield query
    elif isinstance(query, wq.Or):
        for child in query.subqueries:
            yield from _whole_parts(child, segment)
    elif isinstance(query, wq.And):
        positive = [child for child in query.subqueries if not isinstance(child, wq.Not)]
        if positive:
            yield from _whole_parts(min(positive, key=lambda child: _estimate(child, segment)), segment)
    elif isinstance(query, wq.Not):
        yield from _whole_parts(query.query, segment)
    elif isinstance(query, wq.ConstantScoreQuery):
        yield from _whole_parts(query.child, segment)


def _planned_pass(query: wq.Query, segment: Segment, candidates: int | None) -> PlannedPass | None:
    if not isinstance(query, wq.Phrase):
        common = _common_word(query, segment)
        return None if common is None else segment.words().plan_words(common)
    if not isinstance(segment.reader.schema[query.fieldname], WordsText) or not query.words:
        return None
    frequencies = [_estimate(wq.Term(query.fieldname, word), segment) for word in query.words]
    rarest = frequencies.index(min(frequencies))
    checks = frequencies[rarest] if candidates is None else min(candidates, frequencies[rarest])
    words = segment.words()
    if not words.pays_to_pass(checks):
        return None
    hashes = [term_hash(word) for word in query.words]
    return words.plan_pass(hashes, rarest, share=frequencies[rarest] / max(1, segment.size))


def _phrase_candidates(terms: list[wq.Term], segment: Segment, among: set[int] | None) -> set[int]:
    """Posts (of ``among``, when given) with the phrase's rarest word, narrowed by its other words only
    while reading a word costs less than checking the posts it would rule out: ``"the women"`` never
    reads *the*."""
    terms = sorted(terms, key=lambda term: _estimate(term, segment))
    first = terms[0]
    candidates = _evaluate(first, segment) if among is None else among & _evaluate_narrowed(first, segment, among)
    for term in terms[1:]:
        frequency = _estimate(term, segment)
        ruled_out = len(candidates) * (1 - frequency / max(1, segment.size))
        if frequency * READ_VERSUS_CHECK > ruled_out:
            break  # the rest are commoner still
        candidates = candidates & _evaluate_narrowed(term, segment, candidates)
    return candidates


def _phrase_by_positions(query: wq.Phrase, segment: Segment, candidates: set[int]) -> set[int]:
    """The candidates whose word positions hold the phrase (fields that keep positions: the name)."""
    words = [_btext(segment, query.fieldname, word) for word in query.words]
    decode = segment.reader.schema[query.fieldname].format.decode_positions
    starts = _positions(segment, query.fieldname, words[0], candidates, decode)
    for offset, word in enumerate(words[1:], start=1):
        following = _positions(segment, query.fieldname, word, set(starts), decode)
        kept = {doc: {p for p in firsts if p + offset in following.get(doc, ())} for doc, firsts in starts.items()}
        starts = {doc: firsts for doc, firsts in kept.items() if firsts}
    return set(starts)


def _positions(
    segment: Segment, field: str, btext: bytes, docs: set[int], decode: Callable[[bytes], list[int]]
) -> dict[int, set[int]]:
    """Word positions of one term in the documents ``docs`` (only theirs are decoded)."""
    found: dict[int, set[int]] = {}
    for ids, _, values in segment.blocks_holding(field, btext, docs):
        if values is None:
            continue
        for i in compress(range(len(ids)), map(docs.__contains__, ids)):
            found[ids[i]] = set(decode(values[i]))
    return found


def _btext(segment: Segment, field: str, text: str | bytes) -> bytes:
    if isinstance(text, bytes):
        return text
    converted: bytes = segment.reader.schema[field].to_bytes(text)
    return converted
