"""Reads the query language into a small syntax tree: a tokenizer and a recursive-descent parser.

Grammar (operators in capitals; juxtaposition means AND)::

    query   := or? END
    or      := and ( "OR" and )*
    and     := unary ( "AND"? unary )*
    unary   := ( "NOT" | "-" ) unary | primary
    primary := "(" or ")" | FIELD ":" value | "#" tag | "@" handle | PHRASE | WORD
    value   := PHRASE | WORD          (a WORD value may end in "@coder" for code:, or be a date range)

Every node keeps the character position it came from, so errors found later (an unknown ``is:`` value,
a bad date) still point at the right place.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from index.errors import QuerySyntaxError

FIELDS = (
    "tag",
    "mention",
    "author",
    "name",
    "lang",
    "platform",
    "date",
    "is",
    "has",
    "thread",
    "code",
    "coder",
    "coded-by",
    "not-coded-by",
)
KEYWORDS = {"uncoded": ("is", "uncoded")}  # bare words that are filters, not text
_STOP = set('()"')  # besides whitespace, which is any str.isspace() character (U+3000, U+00A0 too)


@dataclass(frozen=True, slots=True)
class Text:
    """Words to find in the post text; ``exact`` (quoted) turns off stemming."""

    text: str
    exact: bool
    position: int


@dataclass(frozen=True, slots=True)
class Field:
    """``name:value``; ``coder`` is the part after '@' in ``code:name@coder``."""

    name: str
    value: str
    position: int
    value_position: int
    quoted: bool = False
    coder: str | None = None


@dataclass(frozen=True, slots=True)
class Not:
    child: Node
    position: int


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Everything:
    """The empty query: every post."""


Node = Text | Field | Not | And | Or | Everything


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # ( ) AND OR NOT - PHRASE WORD FIELD END
    text: str
    position: int
    end: int


def tokenize(query: str) -> list[Token]:
    """Split a query into tokens; raises ``QuerySyntaxError`` for an unclosed quote."""
    tokens: list[Token] = []
    i = 0
    while i < len(query):
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(Token(char, char, i, i + 1))
            i += 1
        elif char == '"':
            end = _closing_quote(query, i)
            tokens.append(Token("PHRASE", query[i + 1 : end], i, end + 1))
            i = end + 1
        elif char == "-" and i + 1 < len(query) and not _ends_word(query[i + 1], ")") and _starts_term(query, i):
            tokens.append(Token("-", char, i, i + 1))
            i += 1
        else:
            i = _word(query, i, tokens)
    tokens.append(Token("END", "", len(query), len(query)))
    return tokens


def _ends_word(char: str, stops: set[str] | str = _STOP) -> bool:
    """Whether ``char`` ends a word: whitespace as the analysis sees it (a Japanese input method types
    U+3000 between words), or one of ``stops``."""
    return char.isspace() or char in stops


def _starts_term(query: str, i: int) -> bool:
    return i == 0 or query[i - 1].isspace() or query[i - 1] == "("


def _closing_quote(query: str, start: int) -> int:
    end = query.find('"', start + 1)
    if end < 0:
        raise QuerySyntaxError("this phrase has no closing '\"'", start)
    return end


def _word(query: str, start: int, tokens: list[Token]) -> int:
    end = start
    while end < len(query) and not _ends_word(query[end]):
        end += 1
    word = query[start:end]
    if word in ("AND", "OR", "NOT"):
        tokens.append(Token(word, word, start, end))
        return end
    name, colon, rest = word.partition(":")
    if colon and _looks_like_field(name, rest):
        if name.lower() not in FIELDS:
            raise QuerySyntaxError(_unknown_field(name), start)
        tokens.append(Token("FIELD", name.lower(), start, start + len(name) + 1))
        if rest:
            tokens.append(Token("WORD", rest, start + len(name) + 1, end))
        elif end < len(query) and query[end] == '"':
            closing = _closing_quote(query, end)
            tokens.append(Token("PHRASE", query[end + 1 : closing], end, closing + 1))
            end = _after_phrase_value(query, closing + 1, tokens)
        return end
    tokens.append(Token("WORD", word, start, end))
    return end


def _after_phrase_value(query: str, i: int, tokens: list[Token]) -> int:
    """``code:"male survivor"@ana``: the coder part glued to a quoted value."""
    if i < len(query) and query[i] == "@":
        end = i + 1
        while end < len(query) and not _ends_word(query[end]):
            end += 1
        tokens.append(Token("CODER", query[i + 1 : end], i + 1, end))
        return end
    return i


def _looks_like_field(name: str, rest: str) -> bool:
    """``tag:metoo`` is a field; ``10:30`` and ``https://...`` are just text."""
    return bool(name) and name.replace("-", "").isalpha() and not rest.startswith("//")


def _unknown_field(name: str) -> str:
    close = difflib.get_close_matches(name.lower(), FIELDS, n=1)
    hint = f"; did you mean '{close[0]}:'?" if close else f"; fields are {', '.join(f + ':' for f in FIELDS)}"
    return f"unknown field '{name}:'{hint} (put text with a colon in quotes)"


class Parser:
    """Recursive descent over the tokens; each method parses one rule of the grammar."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = tokenize(query)
        self.at = 0

    def parse(self) -> Node:
        if self.peek.kind == "END":
            return Everything()
        node = self.parse_or()
        token = self.peek
        if token.kind == ")":
            raise QuerySyntaxError("this ')' closes no '('", token.position)
        if token.kind != "END":  # pragma: no cover - parse_or consumes everything else
            raise QuerySyntaxError(f"unexpected '{token.text}'", token.position)
        return node

    @property
    def peek(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while self.peek.kind == "OR":
            operator = self.take()
            children.append(self.parse_and(after=operator))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self, after: Token | None = None) -> Node:
        children = [self.parse_unary(after)]
        while self.peek.kind not in ("OR", ")", "END"):
            operator = self.take() if self.peek.kind == "AND" else None
            children.append(self.parse_unary(operator))
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self, after: Token | None = None) -> Node:
        token = self.peek
        if token.kind in ("NOT", "-"):
            self.take()
            return Not(self.parse_unary(token), token.position)
        return self.parse_primary(after)

    def parse_primary(self, after: Token | None) -> Node:
        token = self.take()
        if token.kind == "(":
            return self.parse_group(token)
        if token.kind == "FIELD":
            return self.parse_field(token)
        if token.kind == "PHRASE":
            return Text(token.text, True, token.position)
        if token.kind == "WORD":
            return self.parse_word(token)
        raise self.missing_term(token, after)

    def parse_group(self, opening: Token) -> Node:
        if self.peek.kind == ")":
            raise QuerySyntaxError("expected a search term inside '( )'", self.peek.position)
        node = self.parse_or()
        if self.peek.kind != ")":
            raise QuerySyntaxError("this '(' is never closed; add a ')'", opening.position)
        self.take()
        return node

    def parse_field(self, name: Token) -> Node:
        value = self.peek
        if value.kind not in ("WORD", "PHRASE"):
            raise QuerySyntaxError(f"expected a value after '{name.text}:'", name.end)
        self.take()
        coder: str | None = None
        if self.peek.kind == "CODER":
            coder = self.take().text
        quoted = value.kind == "PHRASE"
        text = value.text
        if not quoted and name.text == "code" and "@" in text:
            text, _, coder = text.rpartition("@")
        if coder is not None and name.text != "code":
            raise QuerySyntaxError(f"only code: takes '@coder'; {name.text}: does not", value.position)
        if coder == "" or not text.strip():
            raise QuerySyntaxError(f"expected a value after '{name.text}:'", value.position)
        return Field(name.text, text, name.position, value.position + (1 if quoted else 0), quoted, coder)

    def parse_word(self, token: Token) -> Node:
        word = token.text
        if word.lower() in KEYWORDS:
            name, value = KEYWORDS[word.lower()]
            return Field(name, value, token.position, token.position)
        if word.startswith("#") and len(word) > 1:
            return Field("tag", word[1:], token.position, token.position + 1)
        if word.startswith("@") and len(word) > 1:
            return Field("@", word[1:], token.position, token.position + 1)
        return Text(word, False, token.position)

    def missing_term(self, token: Token, after: Token | None) -> QuerySyntaxError:
        if token.kind in ("AND", "OR") and after is None:
            return QuerySyntaxError(f"expected a search term before '{token.text}'", token.position)
        where = f"after '{after.text}'" if after is not None else "here"
        found = "the end of the query" if token.kind == "END" else f"'{token.text}'"
        return QuerySyntaxError(f"expected a search term {where}, found {found}", token.position)


def parse(query: str) -> Node:
    """The syntax tree of ``query``; raises ``QuerySyntaxError`` pointing at the first problem."""
    return Parser(query).parse()
