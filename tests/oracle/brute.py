"""The brute-force evaluator: a query tree answered by looping over every post of the store.

Definitions taken from docs/search.md and, where the docs are silent, from the engine's documented code
(each marked "definition" below, and listed in docs/search-oracle.md).
"""

from __future__ import annotations

import calendar
import math
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.lang.porter2 import stem as porter2
from whoosh.util.numeric import byte_to_length, length_to_byte

from .querytree import All, Fact, Group, Node, Not, Words, walk
from .store import Post, blind_mode, fold_label, load_posts, postings
from .text import fold, glob, is_paired, query_terms, stemmable

K1, B = 1.2, 0.75
FIELDS = ("text", "name")
KEYWORD_FIELDS = ("tag", "mention", "author", "@", "lang", "platform")
IS_VALUES = {
    "reply": "reply",
    "replies": "reply",
    "quote": "quote",
    "quotes": "quote",
    "repost": "repost",
    "reposts": "repost",
    "retweet": "repost",
    "rt": "repost",
    "truncated": "truncated",
    "deleted": "deleted",
    "context": "context",
    "collected": "collected",
    "coded": "coded",
    "uncoded": "uncoded",
}
HAS_VALUES = {"media": "media", "link": "link", "links": "link", "url": "link", "urls": "link"}


class QueryError(Exception):
    """The engine must refuse this query (QuerySyntaxError)."""


@dataclass(slots=True)
class Answer:
    """What a query finds: the posts, and for ranking the score of each post that has a query word."""

    found: set[str]
    scores: dict[str, float] = field(default_factory=dict)


class Corpus:
    """The store's posts and the collection statistics BM25 needs, read once per state of the project."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.posts = load_posts(conn)
        self.blind = blind_mode(conn)
        # Definition (docs/search.md): code:NAME names a code of the codebook, retired or not; any other
        # name is a mistake the engine refuses, unless it is a pattern (* or ?).
        self.code_names = {fold_label(str(name)) for (name,) in conn.execute("SELECT name FROM codes")}
        self.postings = {name: postings(self.posts, name) for name in FIELDS}
        # Definition: N is the number of indexed posts (collected and context), each once whatever versions
        # of it the index keeps deleted; the average field length is the total of the posts' lengths (each
        # as its one-byte length code stands for it, below) over N, at least 1, however the index is
        # segmented (index/engine/ranking.py, Statistics; test_oracle_regressions.py::
        # test_scores_do_not_count_superseded_versions_of_a_post, test_scores_do_not_change_when_segments_are_merged).
        self.documents = max(1, len(self.posts))
        self.average = {
            name: max(1.0, sum(coded_length(p.words(name).length) for p in self.posts.values()) / self.documents)
            for name in FIELDS
        }

    def idf(self, field_name: str, term: str) -> float:
        frequency = len(self.postings[field_name].get(term, ()))
        return math.log(1 + (self.documents - frequency + 0.5) / (frequency + 0.5))

    def bm25(self, post: Post, field_name: str, tf: int, idf: float) -> float:
        """BM25 of one term or phrase in a post."""
        length = coded_length(post.words(field_name).length)
        return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.average[field_name]))


def coded_length(length: int) -> int:
    """Definition: a post's length is what Whoosh's one-byte length code of it stands for (exact up to 10
    words, then coarser)."""
    return int(byte_to_length(length_to_byte(length)))


def evaluate(corpus: Corpus, tree: Node | None, *, viewer: str | None, include_context: bool) -> Answer:
    """The posts ``tree`` finds and their BM25 scores; raises QueryError where the engine must refuse."""
    query = Query(corpus, viewer)
    found = set(corpus.posts) if tree is None else query.match(tree)
    if found is None:
        raise QueryError("nothing to search for")
    names_kind = tree is not None and any(
        isinstance(n, Fact) and n.name == "is" and IS_VALUES.get(n.value.lower()) in ("context", "collected")
        for n in walk(tree)
    )
    if not include_context and not names_kind:  # docs: context posts only when the query names them
        found = {key for key in found if corpus.posts[key].kind != "context"}
    return Answer(found, query.scores(found))


class Query:
    """One query's evaluation: which posts each node finds, and which words rank them."""

    def __init__(self, corpus: Corpus, viewer: str | None) -> None:
        self.corpus = corpus
        self.posts = corpus.posts
        self.viewer = viewer
        self.negated = 0
        self.ranking: list[Words] = []  # the words outside any NOT, in order

    # ---- matching ---------------------------------------------------------------------------------------
    def match(self, node: Node) -> set[str] | None:
        """The posts ``node`` finds; None when it has nothing to search for (punctuation, emoji)."""
        if isinstance(node, Words):
            found = self.words(node)
            if found is not None and not self.negated:
                self.ranking.append(node)
            return found
        if isinstance(node, Fact):
            return self.fact(node)
        if isinstance(node, Group):
            return self.match(node.child)
        if isinstance(node, Not):
            self.negated += 1
            inner = self.match(node.child)
            self.negated -= 1
            return None if inner is None else set(self.posts) - inner
        parts = [found for found in map(self.match, node.children) if found is not None]
        if not parts:
            return None
        if isinstance(node, All):
            return set.intersection(*parts)
        return set.union(*parts)

    def words(self, node: Words) -> set[str] | None:
        terms = self.term_set(node)
        if terms is not None:
            index = self.corpus.postings[node.field]
            return set().union(*(index.get(t, set()) for t in terms))
        words = query_terms(node.text)
        if not words:
            return None
        return {key for key, post in self.posts.items() if self.phrase_count(post, node.field, words)}

    def term_set(self, node: Words) -> set[str] | None:
        """The field's terms a single word or pattern stands for; None for a phrase (or nothing)."""
        vocabulary = self.corpus.postings[node.field]
        if not node.quoted and ("*" in node.text or "?" in node.text):
            pattern = fold(node.text)
            if not any(c.isalnum() for c in pattern.replace("*", "").replace("?", "")):
                raise QueryError("a pattern needs a letter or digit")
            regex = glob(pattern)
            return {t for t in vocabulary if regex.fullmatch(t)}
        words = query_terms(node.text)
        if len(words) != 1:
            return None
        word = words[0]
        if len(word) == 1 and is_paired(word):  # docs: Chinese/Japanese/Korean are searched by characters
            return {t for t in vocabulary if t.startswith(word)}
        if node.quoted or not stemmable(word):
            return {word}
        return {word} | {t for t in vocabulary if same_stem(word, t)}

    def phrase_count(self, post: Post, field_name: str, words: list[str]) -> int:
        """How often the words follow each other in the post (overlapping occurrences count)."""
        if field_name == "text":
            seq = post.text.sequence
            return sum(seq[i : i + len(words)] == words for i in range(len(seq) - len(words) + 1))
        positions = post.name.positions
        starts = {p for t, p in positions if t == words[0]}
        return sum(all((w, s + i) in positions for i, w in enumerate(words)) for s in starts)

    # ---- fields -----------------------------------------------------------------------------------------
    def fact(self, node: Fact) -> set[str]:
        name = node.name
        if name in ("is", "has"):
            return self.flag(node)
        if name == "date":
            return self.date(node)
        if name in ("code", "coder", "coded-by", "not-coded-by"):
            return self.coding(node)
        if name == "thread":
            key = node.value if ":" in node.value else f"twitter:{node.value}"
            return {k for k, p in self.posts.items() if k == key or (p.root == key and k != key)}
        if name not in KEYWORD_FIELDS:
            raise QueryError(f"unknown field {name}:")
        value = node.value.strip().lstrip("#@")
        if not value:
            raise QueryError("expected a value")
        if name == "@":
            return self.by_value(value, node.quoted, "author") | self.by_value(value, node.quoted, "mention")
        return self.by_value(value, node.quoted, name)

    def by_value(self, value: str, quoted: bool, kind: str) -> set[str]:
        """Posts whose ``kind`` values hold ``value`` (folded), or match it as a pattern when unquoted."""
        test = _pattern_or_equal(fold(value), quoted)
        return {key for key, post in self.posts.items() if any(map(test, _values(post, kind)))}

    def flag(self, node: Fact) -> set[str]:
        values = IS_VALUES if node.name == "is" else HAS_VALUES
        value = values.get(node.value.strip().lower())
        if value is None:
            raise QueryError(f"unknown {node.name}:{node.value}")
        if value in ("coded", "uncoded"):
            coded = self.coded_by(self.blind_coder(None) if self.corpus.blind else None)
            return coded if value == "coded" else set(self.posts) - coded
        return {key for key, post in self.posts.items() if _flag(post, value)}

    def date(self, node: Fact) -> set[str]:
        first, dots, last = node.value.strip().partition("..")
        if not dots:
            start, end = period(first)
        elif not first and not last:
            raise QueryError("a date range needs an end")
        else:
            start = period(first)[0] if first else "0000-00-00"
            end = period(last)[1] if last else "9999-99-99"
            if start > end:
                raise QueryError("the range ends before it starts")
        return {k for k, p in self.posts.items() if p.created and start <= p.created[:10] <= end}

    # ---- coding -----------------------------------------------------------------------------------------
    def coding(self, node: Fact) -> set[str]:
        value = node.value.strip()
        if node.name == "code":
            if "*" not in value and "?" not in value and fold_label(value) not in self.corpus.code_names:
                raise QueryError(f"no code named {value!r}")
            coder = node.coder
            if self.corpus.blind:  # docs: in blind mode code:X means "coded X by me"
                coder = self.blind_coder(coder)
            elif coder is not None:
                coder = fold_label(coder)
            if coder is None:
                test = _pattern_or_equal(fold_label(value), node.quoted)
                return {k for k, p in self.posts.items() if any(map(test, p.codes))}
            test = _pattern_or_equal(fold(f"{fold_label(value)}|{coder}"), node.quoted)
            return {k for k, p in self.posts.items() if any(test(f"{c}|{d}") for c, d in p.pairs)}
        coder = self.blind_coder(value) if self.corpus.blind else fold_label(value)
        if node.name == "coder":
            return {k for k, p in self.posts.items() if coder in p.coders}
        coded = self.coded_by(coder)
        return coded if node.name == "coded-by" else set(self.posts) - coded

    def coded_by(self, coder: str | None) -> set[str]:
        """Posts the coder (None: anyone) applied a code to or finished (docs: "coded-by", "uncoded")."""
        if coder is None:
            return {k for k, p in self.posts.items() if p.pairs or p.completed}
        return {k for k, p in self.posts.items() if coder in p.coders or coder in p.completed}

    def blind_coder(self, name: str | None) -> str:
        """In blind mode a coder may name only themselves; naming nobody means themselves."""
        if self.viewer is None:
            raise QueryError("blind mode needs to know the coder")
        viewer = fold_label(self.viewer)
        if name is not None and fold_label(name) != viewer:
            raise QueryError("blind mode: only your own coding")
        return viewer

    # ---- ranking ----------------------------------------------------------------------------------------
    def scores(self, found: set[str]) -> dict[str, float]:
        """BM25 of each found post that has a ranking word (others follow, by date)."""
        units: dict[tuple[str, str, tuple[str, ...]], float] = {}  # (kind, field, words) -> idf
        ranked: set[str] = set()
        for node in self.ranking:
            ranked |= self.words(node) or set()
            units.update(self.units(node))
        ranked &= found
        return {key: self.score(self.posts[key], units) for key in ranked}

    def units(self, node: Words) -> dict[tuple[str, str, tuple[str, ...]], float]:
        """What a ranking word adds up: each index term it stands for, or a phrase of the text as one term.

        Definition (index/engine/ranking.py): a phrase of the text scores as one term whose idf is the sum of its
        words' idfs and whose frequency is how often the post holds the phrase; a phrase of the name scores
        as its words, leaving out those in more than half of all posts (unless all are: then the rarest)."""
        corpus = self.corpus
        terms = self.term_set(node)
        if terms is None:
            words = tuple(query_terms(node.text))
            if node.field == "text":
                return {("phrase", "text", words): sum(corpus.idf("text", w) for w in words)}
            frequency = {w: len(corpus.postings["name"].get(w, ())) for w in words}
            rare = [w for w in words if frequency[w] * 2 <= corpus.documents]
            terms = set(rare or [min(words, key=frequency.__getitem__)])
        return {("term", node.field, (t,)): corpus.idf(node.field, t) for t in terms}

    def score(self, post: Post, units: dict[tuple[str, str, tuple[str, ...]], float]) -> float:
        total = 0.0
        for (kind, field_name, words), idf in units.items():
            if kind == "phrase":
                tf = self.phrase_count(post, field_name, list(words))
            else:
                tf = post.words(field_name).counts.get(words[0], 0)
            if tf:
                total += self.corpus.bm25(post, field_name, tf, idf)
        return total


def same_stem(word: str, term: str) -> bool:
    """Whether ``term`` is another form of the query word ``word`` (English Porter2 stemming).

    Definition (index/terms.py, Stemmed): only index words that begin with the stem less its last letter
    (the whole stem when it has three letters or fewer) are forms of it; Porter2's irregular cases that do
    not (``dying`` -> *die*) are not joined, as docs/search.md says of irregular forms."""
    if not stemmable(term):
        return False
    root = str(porter2(word))
    prefix = root if len(root) <= 3 else root[:-1]
    return term.startswith(prefix) and str(porter2(term)) == root


def period(text: str) -> tuple[str, str]:
    """The first and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; QueryError for anything else."""
    parts = text.split("-")
    if not 1 <= len(parts) <= 3 or len(parts[0]) != 4 or not all(p.isdigit() and p.isascii() for p in parts):
        raise QueryError(f"not a date: {text}")
    if any(len(p) > 2 for p in parts[1:]):
        raise QueryError(f"not a date: {text}")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = int(parts[1])
    if not 1 <= month <= 12:
        raise QueryError("no such month")
    days = calendar.monthrange(year, month)[1]
    if len(parts) == 2:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{days:02d}"
    day = int(parts[2])
    if not 1 <= day <= days:
        raise QueryError("no such day")
    return (f"{year:04d}-{month:02d}-{day:02d}",) * 2


def _pattern_or_equal(value: str, quoted: bool) -> Callable[[str], object]:
    """A test of a fact's value: a glob when the value is unquoted and has ``*`` or ``?``, else equality."""
    if quoted or not ("*" in value or "?" in value):
        return value.__eq__
    if not any(c.isalnum() for c in value.replace("*", "").replace("?", "")):
        raise QueryError("a pattern needs a letter or digit")
    return glob(value).fullmatch


def _values(post: Post, kind: str) -> set[str]:
    if kind == "tag":
        return post.tags
    if kind == "mention":
        return post.mentions
    if kind == "author":
        return {fold(post.handle)} if post.handle else set()
    if kind == "lang":
        return {post.lang.lower()} if post.lang else set()
    if kind == "platform":
        return {post.platform}
    raise AssertionError(kind)


def _flag(post: Post, value: str) -> bool:
    return {
        "reply": post.reply,
        "quote": post.quote,
        "repost": post.repost,
        "truncated": post.truncated,
        "deleted": post.deleted,
        "context": post.kind == "context",
        "collected": post.kind == "collected",
        "media": post.media,
        "link": post.link,
    }[value]


def facets(corpus: Corpus, found: set[str], viewer: str | None) -> dict[str, Counter[str]]:
    """Every facet count of the posts found (the engine shows the top ones of these)."""
    posts = [corpus.posts[key] for key in found]
    codes: Counter[str] = Counter()
    if not corpus.blind:
        codes.update(code for p in posts for code in p.codes)
    elif viewer is not None:  # docs: in blind mode the code facet shows only the viewer's coding
        mine = fold_label(viewer)
        codes.update(code for p in posts for code, coder in p.pairs if coder == mine)
    return {
        "hashtags": Counter(tag for p in posts for tag in p.tags),
        "languages": Counter(p.lang.lower() for p in posts if p.lang),
        "codes": codes,
        "days": Counter(p.created[:10] for p in posts if p.created),
        # One count per account (the key is "id<TAB>handle"): two accounts may share a handle.
        "authors": Counter(f"{p.author_id}\t{p.handle or p.author_id}" for p in posts if p.author_id),
    }
