"""The format self-test: a segment's fast reading is checked against Whoosh's public reader before it is trusted.

``index.whoosh_format`` decodes Whoosh-Reloaded 2.7.5's files itself. Were Whoosh upgraded, replaced by a
fork that writes otherwise, or an index written by another version, that decoding could go wrong without
an error: a wrong document number is still a number. So the first time a search opens a segment, a
handful of its terms and documents are read both ways: the first postings of a few terms of each field
(a frequent one, several blocks long, and a short one), documents deep in those posting lists found
with Whoosh's own ``skip_to``, the numeric columns, length codes and word sequences of a few documents,
and the deleted documents. Any difference, or any error in the fast reading, is logged as a warning on
the ``threadcoder.index`` logger and the index is read through ``index.engine.public_reading`` from then
on: slower, but correct. The cost is bounded (a few hundred postings and a few dozen documents per field,
whatever the segment's size) and paid once per segment while a ``ProjectSearch`` stays open.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from itertools import islice, repeat
from typing import Any

from index.schema import (
    AUTHOR_HASH_FIELD,
    DAY_FIELD,
    FACTS_FIELD,
    NAME_FIELD,
    TEXT_FIELD,
    TIME_FIELD,
    WORDS_FIELD,
)
from index.whoosh_format import Block, SegmentReading, length_code

logger = logging.getLogger("threadcoder.index")

# Where each field's term list is sampled. A short posting list is checked in each field (the name's
# also holds word positions); a long one, several blocks, in the text and the facts, where searches read
# them. The post ids are left out: each is in one post, kept in the term dictionary and read by Whoosh.
SAMPLED_FROM = {TEXT_FIELD: ("", "t"), FACTS_FIELD: ("", "is:"), NAME_FIELD: ("",)}
LONG_LISTS = (TEXT_FIELD, FACTS_FIELD)
TERMS_SCANNED = 16  # terms read from each place a term list is sampled
POSTINGS_CAP = 10_000  # longer lists are not chosen: Whoosh's skip_to would walk all their block headers
POSTINGS_COMPARED = 160  # a term's first postings compared one by one (across a block boundary)
PROBES = 3  # documents deep in a chosen term's posting list, found by both readings
DOCS_SAMPLED = 16  # documents whose column values, lengths and word sequences are compared
DELETED_SAMPLED = 64  # deleted documents of the fast reading confirmed one by one

Posting = tuple[int, float, bytes | None]


def fast_reading_agrees(reader: Any, segment: str, fast: SegmentReading) -> bool:
    """Whether ``fast`` reads ``reader``'s segment as Whoosh's public reader does; when it does not, a
    warning on the ``threadcoder.index`` logger says where."""
    try:
        problems = disagreements(reader, fast)
    except Exception as error:  # a decoder that fails on these bytes is as untrustworthy as a wrong one
        problems = [f"the fast reading failed: {error!r}"]
    if problems:
        logger.warning(
            "search index segment %s: Threadcoder's reading of Whoosh's files disagrees with Whoosh's own (%s); "
            "the index is read through Whoosh's public interface instead, which is correct but slower",
            segment,
            "; ".join(problems[:3]),
        )
    return not problems


def disagreements(reader: Any, fast: SegmentReading) -> list[str]:
    """Where ``fast`` and Whoosh's public reader disagree on a sample of ``reader``'s segment."""
    size = int(reader.doc_count_all())
    sample = sorted({0, size - 1, *range(0, size, max(1, size // DOCS_SAMPLED))}) if size else []
    deleted = fast.deleted() if reader.has_deletions() else frozenset()
    problems = _deleted_problems(reader, deleted, sample)
    for field in SAMPLED_FROM:
        for btext in _chosen_terms(reader, field):
            problems += _term_problems(reader, fast, field, btext, deleted)
    return problems + _column_problems(reader, fast, sample) + _word_problems(reader, fast, sample)


def _deleted_problems(reader: Any, deleted: frozenset[int], sample: list[int]) -> list[str]:
    if len(deleted) != reader.doc_count_all() - reader.doc_count():
        return [f"{len(deleted)} deleted documents, Whoosh counts {reader.doc_count_all() - reader.doc_count()}"]
    checked = [*sample, *islice(sorted(deleted), DELETED_SAMPLED)]
    wrong = [doc for doc in checked if (doc in deleted) != bool(reader.is_deleted(doc))]
    return [f"deletion of documents {wrong[:5]}"] if wrong else []


def _chosen_terms(reader: Any, field: str) -> list[bytes]:
    """A field's rarest sampled term with more than one posting (a posting alone is kept in the term
    dictionary, not in blocks) and, for ``LONG_LISTS``, its most frequent one not too long to probe."""
    frequencies: dict[bytes, int] = {}
    for start in SAMPLED_FROM[field]:
        for btext, info in islice(reader.iter_field(field, start), TERMS_SCANNED):
            frequencies[btext] = int(info.doc_frequency())
    usable = sorted((frequency, btext) for btext, frequency in frequencies.items() if frequency <= POSTINGS_CAP)
    short = [btext for frequency, btext in usable if frequency > 1][:1]
    return list(dict.fromkeys([*short, usable[-1][1]] if usable and field in LONG_LISTS else short))


def _term_problems(reader: Any, fast: SegmentReading, field: str, btext: bytes, deleted: frozenset[int]) -> list[str]:
    """The first postings of a term, its document numbers, and a few documents deep in its list."""
    where = f"{field}:{btext.decode('utf-8', 'replace')}"
    theirs = list(islice(_public_postings(reader, field, btext), POSTINGS_COMPARED))
    ours = list(islice(_live(_postings(fast.blocks(field, btext)), deleted), POSTINGS_COMPARED))
    if ours != theirs:
        return [f"{where}: postings {_first_difference(ours, theirs)}"]
    arrays = fast.doc_id_arrays(field, btext)
    ids = list(islice((doc for array in arrays for doc in array.tolist()), POSTINGS_COMPARED * 2))
    if [doc for doc in ids if doc not in deleted][: len(theirs)] != [doc for doc, _, _ in theirs]:
        return [f"{where}: document numbers differ"]
    frequency = int(reader.doc_frequency(field, btext))  # deleted documents included, as in the fast reading
    if len(ids) < POSTINGS_COMPARED * 2 and len(ids) != frequency:  # BM25 counts the deleted ones out of them
        return [f"{where}: {len(ids)} document numbers with the deleted ones, Whoosh counts {frequency}"]
    matcher = reader.postings(field, btext)
    for target in _probes(reader.doc_count_all()):
        if matcher.is_active() and matcher.id() < target:
            matcher.skip_to(target)
        if not matcher.is_active():
            break
        wanted = (matcher.id(), matcher.weight())
        found = [(doc, weight) for doc, weight, _ in _postings(fast.blocks_holding(field, btext, [wanted[0]], {}))]
        skipped = [doc for doc, _ in found if target <= doc < wanted[0] and doc not in deleted]
        if wanted not in found or skipped:
            return [f"{where}: the first document from {target} on is {wanted}, read as {found[:3]}..."]
    return []


def _public_postings(reader: Any, field: str, btext: bytes) -> Iterator[Posting]:
    matcher = reader.postings(field, btext)
    positions = bool(reader.schema[field].format.supports("positions"))
    while matcher.is_active():
        yield matcher.id(), matcher.weight(), matcher.value() if positions else None
        matcher.next()


def _postings(blocks: Iterable[Block]) -> Iterator[Posting]:
    for ids, weights, values in blocks:
        yield from zip(ids, weights or repeat(1.0), values or repeat(None), strict=False)  # repeat: endless


def _live(postings: Iterable[Posting], deleted: frozenset[int]) -> Iterator[Posting]:
    """Postings of documents not deleted: Whoosh's public matchers leave the deleted ones out."""
    return (posting for posting in postings if posting[0] not in deleted) if deleted else iter(postings)


def _probes(size: int) -> list[int]:
    return [size * at // (PROBES + 1) for at in range(1, PROBES + 1)]


def _first_difference(ours: list[Posting], theirs: list[Posting]) -> str:
    for at, (one, other) in enumerate(zip(ours, theirs, strict=False)):
        if one != other:
            return f"differ at posting {at}: {one[:2]} read, {other[:2]} in Whoosh"
    return f"differ in number: {len(ours)} read, {len(theirs)} in Whoosh"


def _column_problems(reader: Any, fast: SegmentReading, sample: list[int]) -> list[str]:
    """Numeric columns and length codes of the sampled documents."""
    problems: list[str] = []
    for field in (TIME_FIELD, DAY_FIELD, AUTHOR_HASH_FIELD):
        ours = fast.numeric_column(field)
        if not reader.has_column(field):
            continue
        column = reader.column_reader(field, translate=False)
        wrong = [doc for doc in sample if ours[doc] != column[doc]]
        if wrong or len(ours) != reader.doc_count_all():
            problems.append(f"column {field} at documents {wrong[:5]}")
    for field in (TEXT_FIELD, NAME_FIELD):
        codes = fast.length_codes(field)
        wrong = [doc for doc in sample if codes[doc] != length_code(reader.doc_field_length(doc, field))]
        if wrong:
            problems.append(f"lengths of {field} at documents {wrong[:5]}")
    return problems


def _word_problems(reader: Any, fast: SegmentReading, sample: list[int]) -> list[str]:
    """The word sequences of the sampled documents: read one by one, found in the whole column, searched."""
    ours = fast.word_column(WORDS_FIELD)
    if ours is None or not reader.has_column(WORDS_FIELD):
        return [] if ours is None and not reader.has_column(WORDS_FIELD) else ["whether there is a word column"]
    column = reader.column_reader(WORDS_FIELD, translate=False)
    ends = ours.word_ends()
    if len(ends) != len(column):
        return [f"{len(ends)} word sequences, Whoosh has {len(column)}"]
    words = ours.all_words(int(ends[-1]) if len(ends) else 0)
    for doc in sample:
        theirs = bytes(column[doc])
        start = int(ends[doc - 1]) if doc else 0
        if ours.sequence(doc) != theirs or words[start : ends[doc]].tobytes() != theirs:
            return [f"the word sequence of document {doc}"]
        if theirs and ours.docs_holding([doc], re.compile(re.escape(theirs[-4:]), re.DOTALL)) != {doc}:
            return [f"a word of document {doc} not found in its sequence"]
    return []
