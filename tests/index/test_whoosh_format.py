"""index.whoosh_format's reading of Whoosh's posting blocks agrees with Whoosh's own, block by block."""

from __future__ import annotations

import random

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
