"""Turns a query in our language into Whoosh queries: what must match, what ranks, what to highlight.

``compile_query`` never lets a Whoosh or Python exception out for a bad query: every problem becomes a
``QuerySyntaxError`` with the position of the offending part (see ``index.parser`` for the grammar).
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass, field

from whoosh import query as wq

from index.analysis import fold, is_paired, stem, terms
from index.documents import fold_label
from index.errors import QuerySyntaxError
from index.parser import And, Everything, Field, Node, Not, Text, parse
from index.schema import (
    AUTHOR,
    CODE,
    CODE_CODER,
    CODER,
    COMPLETED,
    DAY,
    FACTS_FIELD,
    HAS,
    ID_FIELD,
    IS,
    LANG,
    MENTION,
    MONTH,
    NAME_FIELD,
    PLATFORM,
    TAG,
    TEXT_FIELD,
    THREAD,
    fact,
)
from index.terms import DateRange, Stemmed

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
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_WILDCARDS = ("*", "?")


@dataclass(frozen=True, slots=True)
class CodingView:
    """Whose coding a search may look at: in blind mode, only the viewer's own."""

    blind: bool = False
    viewer: str | None = None
    codes: tuple[str, ...] | None = None  # the codebook's code names, to catch a misspelled one (None: unchecked)


@dataclass(slots=True)
class Highlight:
    """What to mark in a post's text: folded words, stems (any form of them), and wildcard patterns."""

    exact: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    patterns: list[re.Pattern[str]] = field(default_factory=list)

    def marks(self, term: str) -> bool:
        if term in self.exact:
            return True
        if self.stems and stem(term) in self.stems:
            return True
        return any(pattern.fullmatch(term) for pattern in self.patterns)


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """A query ready to run: ``match`` selects posts, ``score`` (its text words) ranks them."""

    text: str
    match: wq.Query
    score: wq.Query | None
    highlight: Highlight
    leaves: tuple[wq.Query, ...] = ()  # the word queries that ``score`` joins


def compile_query(text: str, *, coding: CodingView | None = None, include_context: bool = False) -> CompiledQuery:
    """Parse and compile ``text``; raises ``QuerySyntaxError`` (with a position) for any problem."""
    compiler = Compiler(coding or CodingView())
    tree = parse(text)
    match = compiler.compile(tree)
    if match is None:
        position = compiler.empty_position if compiler.empty_position is not None else 0
        raise QuerySyntaxError("nothing to search for: emoji and punctuation are not indexed", position)
    if not include_context and not compiler.names_kind:
        # "not context" rather than "collected": the same posts (placeholders are not indexed), but the
        # small set of context posts is much cheaper to subtract than the large one to intersect with.
        match = wq.And([match, wq.Not(wq.Term(FACTS_FIELD, fact(IS, "context")))])
    leaves = compiler.scored
    score = None if not leaves else leaves[0] if len(leaves) == 1 else wq.Or(leaves)
    return CompiledQuery(text, match, score, compiler.highlight, tuple(leaves))


class Compiler:
    """Walks the syntax tree; collects the ranking words and the highlights on the way."""

    def __init__(self, coding: CodingView) -> None:
        self.coding = coding
        self.scored: list[wq.Query] = []
        self.highlight = Highlight()
        self.names_kind = False  # the query says is:context or is:collected itself
        self.empty_position: int | None = None
        self._negated = 0

    def compile(self, node: Node) -> wq.Query | None:
        if isinstance(node, Everything):
            return wq.Every()
        if isinstance(node, Text):
            return self.text(node)
        if isinstance(node, Field):
            return self.field(node)
        if isinstance(node, Not):
            self._negated += 1
            child = self.compile(node.child)
            self._negated -= 1
            return None if child is None else wq.Not(child)
        children = [q for q in (self.compile(child) for child in node.children) if q is not None]
        if not children:
            return None
        if len(children) == 1:
            return children[0]
        return wq.And(children) if isinstance(node, And) else wq.Or(children)

    # ---- text -------------------------------------------------------------------------------------------
    def text(self, node: Text, fieldname: str = TEXT_FIELD) -> wq.Query | None:
        if not node.exact and any(w in node.text for w in _WILDCARDS):
            if fieldname == TEXT_FIELD:
                self._mark_pattern(node.text)
            return self._scored(self.pattern(fieldname, "", node.text, node.position))
        words = terms(node.text)
        if not words:
            self.empty_position = node.position if self.empty_position is None else self.empty_position
            return None
        if len(words) > 1:
            self._mark(words)
            return self._scored(wq.Phrase(fieldname, words))
        word = words[0]
        if is_paired(word) and len(word) == 1:  # one Chinese/Japanese/Korean character: also inside pairs
            found: wq.Query = wq.Or([wq.Term(fieldname, word), wq.Prefix(fieldname, word)])
        elif node.exact or stem(word) is None:
            found = wq.Term(fieldname, word)
        else:
            found = Stemmed(fieldname, word)
            if not self._negated and fieldname == TEXT_FIELD:
                self.highlight.stems.add(found.stem)
        self._mark([word])
        return self._scored(found)

    def _scored(self, found: wq.Query) -> wq.Query:
        if not self._negated:
            self.scored.append(found)
        return found

    def _mark(self, words: list[str]) -> None:
        if not self._negated:
            self.highlight.exact.update(words)

    def _mark_pattern(self, pattern: str) -> None:
        if not self._negated:
            self.highlight.patterns.append(_pattern_regex(fold(pattern)))

    def pattern(self, fieldname: str, prefix: str, pattern: str, position: int) -> wq.Query:
        folded = fold(pattern)
        literal = folded.replace("*", "").replace("?", "")
        if not any(char.isalnum() for char in literal):
            raise QuerySyntaxError(f"'{pattern}' needs at least one letter or digit besides * and ?", position)
        body = folded.rstrip("*")
        if folded.endswith("*") and not any(w in body for w in _WILDCARDS):
            return wq.Prefix(fieldname, prefix + body)
        return wq.Wildcard(fieldname, prefix + folded)

    # ---- fields -----------------------------------------------------------------------------------------
    def field(self, node: Field) -> wq.Query | None:
        name = node.name
        if name in ("is", "has"):
            return self.flag(node)
        if name == "date":
            return self.date(node)
        if name == "name":
            return self.text(Text(node.value, node.quoted, node.value_position), NAME_FIELD)
        if name in ("code", "coder", "coded-by", "not-coded-by"):
            return self.coding_field(node)
        value = node.value.strip()
        if name == "@":
            handle = value.lstrip("@")
            self._mark(terms(handle))
            return wq.Or([self.fact(AUTHOR, handle, node), self.fact(MENTION, handle, node)])
        kinds = {"tag": TAG, "mention": MENTION, "author": AUTHOR, "lang": LANG, "platform": PLATFORM}
        if name in kinds:
            value = value.lstrip("#@")
            if name in ("tag", "mention"):
                self._mark(terms(value))
            return self.fact(kinds[name], value, node)
        if name == "thread":
            key = value if ":" in value else f"twitter:{value}"
            return wq.Or([wq.Term(FACTS_FIELD, fact(THREAD, key)), wq.Term(ID_FIELD, key)])
        raise QuerySyntaxError(f"'{name}:' cannot be searched yet", node.position)  # pragma: no cover

    def fact(self, kind: str, value: str, node: Field) -> wq.Query:
        """A fact term, or a prefix/wildcard over facts of one kind when the value has * or ?."""
        if not value:
            raise QuerySyntaxError(f"expected a value after '{node.name}:'", node.value_position)
        if not node.quoted and any(w in value for w in _WILDCARDS):
            return self.pattern(FACTS_FIELD, fact(kind, ""), value, node.value_position)
        return wq.Term(FACTS_FIELD, fact(kind, fold_label(value) if kind in (CODE, CODER) else fold(value)))

    def flag(self, node: Field) -> wq.Query:
        values = IS_VALUES if node.name == "is" else HAS_VALUES
        value = values.get(node.value.strip().lower())
        if value is None:
            choices = ", ".join(f"{node.name}:{v}" for v in sorted(set(values.values())))
            raise QuerySyntaxError(f"unknown '{node.name}:{node.value}'; use one of {choices}", node.value_position)
        if value in ("coded", "uncoded"):
            coded = self.coded_by(None, node)
            return coded if value == "coded" else wq.Not(coded)
        if value in ("context", "collected"):
            self.names_kind = True
        return wq.ConstantScoreQuery(wq.Term(FACTS_FIELD, fact(IS if node.name == "is" else HAS, value)), 0.0)

    def date(self, node: Field) -> wq.Query:
        value = node.value.strip()
        first, dots, last = value.partition("..")
        if not dots:
            start, end, unit = _period(first, node.value_position)
            if unit == "month":
                return wq.Term(FACTS_FIELD, fact(MONTH, start[:7]))
            if unit == "day":
                return wq.Term(FACTS_FIELD, fact(DAY, start))
            return DateRange(start, end)
        if not first and not last:
            raise QuerySyntaxError("a date range needs a start or an end, e.g. 2017-10-15..2017-10-24", node.position)
        start_day = _period(first, node.value_position)[0] if first else None
        end_day = _period(last, node.value_position + len(first) + 2)[1] if last else None
        if start_day and end_day and start_day > end_day:
            message = f"this date range ends ({end_day}) before it starts ({start_day})"
            raise QuerySyntaxError(message, node.value_position)
        return DateRange(start_day, end_day)

    # ---- coding -----------------------------------------------------------------------------------------
    def coding_field(self, node: Field) -> wq.Query:
        value = node.value.strip()
        if node.name == "code":
            self.check_code_name(value, node)
            coder = self.allowed_coder(node.coder, node) if node.coder is not None or self.coding.blind else None
            if coder is None:
                return self.fact(CODE, value, node)
            return self.fact(CODE_CODER, f"{fold_label(value)}|{coder}", node)
        coder = self.allowed_coder(value, node)
        if node.name == "coder":
            return wq.Term(FACTS_FIELD, fact(CODER, coder))
        coded = self.coded_by(coder, node)
        return coded if node.name == "coded-by" else wq.Not(coded)

    def coded_by(self, coder: str | None, node: Field) -> wq.Query:
        """Posts a coder (None: anyone) coded or finished; in blind mode "anyone" means the viewer."""
        if coder is None and self.coding.blind:
            coder = self.allowed_coder(None, node)
        if coder is None:
            return wq.Term(FACTS_FIELD, fact(IS, "coded"))
        return wq.Or([wq.Term(FACTS_FIELD, fact(CODER, coder)), wq.Term(FACTS_FIELD, fact(COMPLETED, coder))])

    def check_code_name(self, name: str, node: Field) -> None:
        """A code the codebook does not have is a mistake to point at, not a search that finds nothing."""
        codes = self.coding.codes
        if codes is None or "*" in name or "?" in name:
            return
        folded = {fold_label(code): code for code in codes}
        if fold_label(name) in folded:
            return
        close = difflib.get_close_matches(fold_label(name), list(folded), n=1, cutoff=0.6)
        if close:
            hint = f"; did you mean “{folded[close[0]]}”?"
        else:
            hint = "; threadcoder codebook PROJECT show lists the codes"
        raise QuerySyntaxError(f"no code named “{name}”{hint}", node.value_position)

    def allowed_coder(self, name: str | None, node: Field) -> str:
        """The folded coder name, checked against blind mode (None: the viewer)."""
        viewer = fold_label(self.coding.viewer) if self.coding.viewer else None
        coder = fold_label(name) if name else viewer
        if not self.coding.blind:
            if coder is None:  # pragma: no cover - callers pass a name when not blind
                raise QuerySyntaxError("expected a coder's name", node.value_position)
            return coder
        if viewer is None:
            raise QuerySyntaxError(
                "blind mode is on: searching coding needs to know which coder you are (--coder NAME)", node.position
            )
        if coder != viewer:
            raise QuerySyntaxError(
                f"blind mode is on: you can search only your own coding ({viewer}), not {coder}'s", node.position
            )
        return viewer


def _period(text: str, position: int) -> tuple[str, str, str]:
    """The first and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, and which of the three it is."""
    match = _DATE.fullmatch(text)
    if match is None:
        raise QuerySyntaxError(f"'{text}' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD", position)
    year, month, day = int(match[1]), match[2], match[3]
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31", "year"
    if not 1 <= int(month) <= 12:
        raise QuerySyntaxError(f"'{text}' is not a date: there is no month {int(month)}", position)
    last_day = calendar.monthrange(year, int(month))[1]
    if day is None:
        return f"{year:04d}-{int(month):02d}-01", f"{year:04d}-{int(month):02d}-{last_day:02d}", "month"
    if not 1 <= int(day) <= last_day:
        raise QuerySyntaxError(f"'{text}' is not a date: that month has no day {int(day)}", position)
    iso = f"{year:04d}-{int(month):02d}-{int(day):02d}"
    return iso, iso, "day"


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(re.escape(pattern).replace(r"\*", r"\w*").replace(r"\?", r"\w"))


def check_query(text: str, *, coding: CodingView | None = None) -> QuerySyntaxError | None:
    """The problem with ``text``, or None: for checking a query as it is typed."""
    try:
        compile_query(text, coding=coding)
    except QuerySyntaxError as error:
        return error
    return None
