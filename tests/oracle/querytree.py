"""The oracle's queries as trees, and how each is written in the query language of docs/search.md.

The oracle never parses a query: it generates a tree, evaluates the tree itself and hands the engine the
tree's spelling. The spelling varies (``-`` or ``NOT``, juxtaposition or ``AND``, ``#tag`` or ``tag:``,
extra parentheses) so that the engine's parser is tested on every form while the meaning stays fixed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Words:
    """Text to find in the post text (``field="text"``) or the display name (``field="name"``)."""

    text: str
    quoted: bool = False
    field: str = "text"


@dataclass(frozen=True, slots=True)
class Fact:
    """``name:value`` for every field but ``name:``; ``spelling`` picks the written form."""

    name: str  # tag mention author @ lang platform date is has thread code coder coded-by not-coded-by
    value: str
    quoted: bool = False
    coder: str | None = None  # code:value@coder
    spelling: str = ""  # "#" for #tag, "@" for @handle, "bare" for uncoded, "" for name:value


@dataclass(frozen=True, slots=True)
class Not:
    child: Node
    dash: bool = False  # "-child" rather than "NOT child"


@dataclass(frozen=True, slots=True)
class All:
    """Every child (AND); ``keyword`` writes AND between them rather than a space."""

    children: tuple[Node, ...]
    keyword: bool = False


@dataclass(frozen=True, slots=True)
class Any:
    """At least one child (OR)."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """Parentheses the grammar does not need: they must change nothing."""

    child: Node


Node = Words | Fact | Not | All | Any | Group


def render(node: Node | None) -> str:
    """The query text of ``node``; None is the empty query (every post)."""
    return "" if node is None else _render(node)


def _render(node: Node) -> str:
    if isinstance(node, Words):
        return _words(node)
    if isinstance(node, Fact):
        return _fact(node)
    if isinstance(node, Group):
        return f"({_render(node.child)})"
    if isinstance(node, Not):
        inner = _render(node.child)
        if not isinstance(node.child, (Words, Fact, Group)):
            inner = f"({inner})"  # NOT binds tighter than AND and OR; "--x" would be one word
        return f"-{inner}" if node.dash else f"NOT {inner}"
    if isinstance(node, All):
        # An OR inside an AND needs parentheses: AND binds tighter.
        parts = [f"({_render(c)})" if isinstance(c, Any) else _render(c) for c in node.children]
        return (" AND " if node.keyword else " ").join(parts)
    return " OR ".join(_render(c) for c in node.children)


def _words(node: Words) -> str:
    text = f'"{node.text}"' if node.quoted else node.text
    return f"name:{text}" if node.field == "name" else text


def _fact(node: Fact) -> str:
    if node.spelling == "#":
        return f"#{node.value}"
    if node.spelling == "@":
        return f"@{node.value}"
    if node.spelling == "bare":
        return node.value
    value = f'"{node.value}"' if node.quoted else node.value
    coder = f"@{node.coder}" if node.coder is not None else ""
    return f"{node.name}:{value}{coder}"


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly under ``node``."""
    if isinstance(node, (All, Any)):
        return node.children
    if isinstance(node, (Not, Group)):
        return (node.child,)
    return ()


def walk(node: Node) -> list[Node]:
    """``node`` and every node under it."""
    found = [node]
    for child in children(node):
        found.extend(walk(child))
    return found
