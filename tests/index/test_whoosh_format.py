"""index.whoosh_format's reading of Whoosh's posting blocks agrees with Whoosh's own, block by block."""

from __future__ import annotations

import random

from archive.coding.codebook_edit import CodeDraft, add_code
from archive.coding.coders import add_coder
from archive.coding.codings import apply_code
from archive.jobs import drain
from archive.store.project import Project
from index.engine.segments import segments
from index.indexer import catch_up
from index.search import ProjectSearch
from index.whoosh_format import _next_block as next_block
from index.whoosh_format import _raw_postings as raw_postings
from tests.index.conftest import post, write

BLOCK_STATE = ("_dataoffset", "_nextoffset", "_lastblock", "_blocklength", "_maxid", "_maxweight", "_compression")


def test_block_headers_read_from_the_mapped_file_match_whoosh(project: Project):
    chosen = random.Random(3)
    texts = [" ".join(["common"] * chosen.randint(1, 3) + [f"w{chosen.randrange(50)}"]) for _ in range(700)]
    write(project, *(post(str(n), text) for n, text in enumerate(texts)))
    drain(catch_up(project))
    with ProjectSearch(project) as search:
        [segment] = segments(search.searcher)
        for word in (b"common", b"w7"):
            ours, whoosh = raw_postings(segment.reader, "text", word), raw_postings(segment.reader, "text", word)
            assert ours._postfile._buf is not None  # the mapped path, not the fallback
            blocks = 0
            while whoosh.is_active():
                assert ours.is_active()
                assert [getattr(ours, name) for name in BLOCK_STATE] == [getattr(whoosh, name) for name in BLOCK_STATE]
                ours._read_data()
                whoosh._read_data()
                assert ours._data == whoosh._data
                blocks += 1
                next_block(ours)
                whoosh._next_block()
            assert not ours.is_active()
            assert blocks == (6 if word == b"common" else 1)


def test_posting_lists_keep_the_deleted_documents_at_their_start(project: Project):
    # The engine leaves deleted documents out itself, and BM25's statistics count them out of a term's
    # postings. A matcher unwrapped from Whoosh's FilterMatcher had already stepped over the deleted ones
    # at the start of the list: here all of them, so "women" had no postings and counted as in two posts.
    write(project, post("1", "women at work"), post("2", "women"), post("3", "men"))
    drain(catch_up(project))
    coder = add_coder(project.db, "ana")
    code = add_code(project.db, coder.id, CodeDraft("backlash")).id
    for key in ("twitter:1", "twitter:2"):
        apply_code(project.db, key, code, coder.id)
    drain(catch_up(project))  # both indexed again: their old versions stay in the first segment, deleted
    with ProjectSearch(project) as search:
        first = segments(search.searcher)[0]
        assert first.deleted == {0, 1}
        assert [list(ids) for ids, _, _ in first.reading.blocks("text", b"women")] == [[0, 1]]
        assert [ids.tolist() for ids in first.reading.doc_id_arrays("text", b"women")] == [[0, 1]]
        assert [list(ids) for ids, _, _ in first.reading.blocks_holding("text", b"women", [0], {})] == [[0, 1]]
        assert {hit.id for hit in search.all_hits("women")} == {"twitter:1", "twitter:2"}  # the new versions
