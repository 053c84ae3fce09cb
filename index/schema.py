"""The Whoosh schema of a project's search index: which facts of a post are searchable, and how.

Four fields. ``text`` holds the words of the post with their frequencies (its column holds the same
words in order, as hashes, against which phrases are checked); ``name`` holds the author's display
name with word positions; ``facts`` holds every other searchable fact of a post as one prefixed term each
(``tag:metoo``, ``lang:fr``, ``day:2017-10-15``, ``is:reply``, ``code:backlash``, ...). One keyword field
instead of a dozen is a measured choice: Whoosh pays a fixed cost per field per document, and a dozen
small fields made indexing 2.5 times slower. The term prefixes also make facets cheap: the hashtags of a
result set are the ``tag:`` terms of the lexicon. Three numeric columns (time, day, author) serve sorting
by date and facets. Only the post id is stored: texts stay in SQLite.

Why phrases are checked against a column and not against positions in the postings: Whoosh keeps word
positions inside the posting blocks, so every search that reads a word (a phrase, but also a plain word
or a boolean) had to unpickle the positions of all its postings, about 0.6 µs each, twelve times the cost
of the document numbers alone. Without positions a word reads fast; a phrase first finds candidates by
its rarer words, then searches each candidate's sequence for its hashes, side by side (``index.engine.docsets``).
"""

from __future__ import annotations

import hashlib
from array import array
from itertools import accumulate

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, TEXT, Schema
from whoosh.formats import Positions

from index.analysis import FoldingTokenizer
from index.whoosh_format import frequency_bytes
from index.words_field import WordsText

# Bump when the schema, the analysis or the meaning of a fact changes: an older index is then rebuilt.
INDEX_VERSION = 3  # 3: text without positions, phrases checked against the text's column of words

ID_FIELD = "id"  # the store's post key; the only stored value
TEXT_FIELD = "text"  # the post's full text (word frequencies, no positions)
NAME_FIELD = "name"  # the author's display name
FACTS_FIELD = "facts"  # "kind:value" terms, see the kinds below
# Columns (one number per post, not searchable): sorting by date and facets read them whole.
TIME_FIELD = "time"  # seconds since 1970 (UTC)
DAY_FIELD = "day"  # days since 1970
AUTHOR_HASH_FIELD = "authorhash"  # 64-bit hash of the author key (the facet maps hashes back via a post)
WORDS_FIELD = TEXT_FIELD  # column: the text's terms in order as packed 32-bit hashes (analysis.word_sequence)

# Kinds of fact. Values are folded (lower case, no accents) so that queries match them however typed.
TAG = "tag"  # hashtag without '#'
MENTION = "mention"  # mentioned handle without '@'
AUTHOR = "author"  # the author's handle
PLATFORM = "platform"
LANG = "lang"
MONTH = "month"  # 2017-10
DAY = "day"  # 2017-10-15
THREAD = "thread"  # the root post key, for posts that answer another post
IS = "is"  # reply, quote, repost, truncated, deleted, collected, context, coded
HAS = "has"  # media, link
CODE = "code"  # a code applied by any coder
CODER = "coder"  # a coder who applied at least one code
CODE_CODER = "codecoder"  # "code|coder"
COMPLETED = "completed"  # a coder who finished the post, with or without codes


def author_hash(author_key: str) -> int:
    """A stable signed 64-bit number for an author key (the store's rowids may change on VACUUM)."""
    return int.from_bytes(hashlib.blake2b(author_key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def fact(kind: str, value: str) -> str:
    """The ``facts`` term for one fact, e.g. ``fact(TAG, "metoo") == "tag:metoo"``."""
    return f"{kind}:{value}"


class CompactPositions(Positions):  # type: ignore[misc]
    """Word positions as a packed array instead of Whoosh's pickled list: same meaning, but encoding and
    decoding are single C calls (checking a phrase decodes positions for every candidate post)."""

    def encode(self, poslist: list[int]) -> bytes:
        deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
        code = "H" if max(deltas, default=0) < 65536 else "I"
        count = frequency_bytes(len(deltas))  # Whoosh reads the frequency from there
        return count + code.encode() + array(code, deltas).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        code = chr(valuestring[4])
        return list(accumulate(array(code, valuestring[5:])))


def make_schema() -> Schema:
    """A fresh schema. ``facts`` receives lists of ready-made terms, which Whoosh indexes as given."""
    words = FoldingTokenizer()
    return Schema(
        **{
            ID_FIELD: ID(stored=True, unique=True),
            TEXT_FIELD: WordsText(analyzer=words),
            NAME_FIELD: _with_compact_positions(TEXT(analyzer=words, phrase=True)),
            # scorable: Whoosh then keeps a length column, and without one it looks for that column's
            # file on disk again for every posting it writes (a measured 15% of indexing time).
            FACTS_FIELD: KEYWORD(scorable=True),
            TIME_FIELD: COLUMN(NumericColumn("q", default=0)),
            DAY_FIELD: COLUMN(NumericColumn("i", default=-1)),
            AUTHOR_HASH_FIELD: COLUMN(NumericColumn("q", default=0)),
        }
    )


def _with_compact_positions(field: TEXT) -> TEXT:
    field.format = CompactPositions(field_boost=field.format.field_boost)
    return field
