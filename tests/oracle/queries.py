"""Random queries over the whole query language of docs/search.md, as trees (``tests.oracle.querytree``).

Values come from the corpus vocabulary (so that queries find something) plus variants the docs promise
to treat alike (case, accents, ``#tag`` or ``tag:``), words no post has, and now and then a mistake the
engine must refuse (an unknown ``is:``, an impossible date, another coder's name in blind mode).
"""

from __future__ import annotations

from dataclasses import dataclass

from .corpora import CODERS, CODES, DAYS, HASHTAGS, LANGS, MENTIONS, NEW_CODE_NAMES, RENAMED, VOCABULARY
from .draw import Draw
from .querytree import All, Any, Fact, Group, Node, Not, Words

ABSENT = ("zebra", "quux", "xylophones", "ничего")
COMMON_PHRASES = ("to the", "me too", "the women", "is it", "not the", "the the", "女性です", "私も 女性")
HANDLES = ("ana_r", "ANA_R", "BenWren", "benwren", "cleo", "zoe", "yuki", "jo", "nobody", *RENAMED, *MENTIONS)
IS_WORDS = (
    "reply",
    "replies",
    "quote",
    "quotes",
    "repost",
    "reposts",
    "retweet",
    "rt",
    "RT",
    "truncated",
    "deleted",
    "context",
    "collected",
    "coded",
    "uncoded",
    "Reply",
)
HAS_WORDS = ("media", "link", "links", "url", "urls", "Media")
DATES = (
    *DAYS,
    "2017",
    "2018",
    "2016",
    "2017-10",
    "2017-1",
    "2017-10-1",
    "2017-10-15..2017-10-24",
    "2017-10..2017-12",
    "2017-10-15..",
    "..2017-10-24",
    "2017..2017",
    "2017-09-30..2017-10-01",
    "..2016",
    "2018-01..",
)
MISTAKES = (
    Fact("date", "2017-13"),
    Fact("date", "2017-02-30"),
    Fact("date", "2017-10-24..2017-10-15"),
    Fact("date", ".."),
    Fact("date", "15.10.2017"),
    Fact("is", "retweeted"),
    Fact("has", "video"),
    Fact("auther", "ana_r"),
    Fact("tag", "#"),
    Fact("@", "@", spelling="@"),
    Fact("tag", "**"),
    Fact("lang", "?"),
)
NAMES = ("Ana", "ana", "reyes", "cleo", "Cléo", "running", "run", "women", "o", "brien", "由紀", "佐藤", "藤", "wren")
NAME_PHRASES = ("Ana Reyes", "Cleo Varga", "Zoë O'Brien", "佐藤 由紀", "Running Women", "ben wren", "Jo Running")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What a corpus holds that queries should aim at: its post ids and some of its texts."""

    ids: tuple[str, ...]
    texts: tuple[str, ...]


def query(draw: Draw, vocabulary: Vocabulary, depth: int = 0) -> Node:
    """A random query tree; deeper levels are more and more often a single term."""
    if depth >= 3 or draw.chance(0.45 + 0.2 * depth):
        return term(draw, vocabulary)
    kind = draw.integer(0, 9)
    if kind < 4:
        parts = tuple(query(draw, vocabulary, depth + 1) for _ in range(draw.integer(2, 3)))
        return All(parts, keyword=draw.chance(0.3))
    if kind < 7:
        return Any(tuple(query(draw, vocabulary, depth + 1) for _ in range(draw.integer(2, 3))))
    if kind < 9:
        return Not(query(draw, vocabulary, depth + 1), dash=draw.chance(0.5))
    return Group(query(draw, vocabulary, depth + 1))


def term(draw: Draw, vocabulary: Vocabulary) -> Node:
    """One word, phrase, pattern or field."""
    kind = draw.integer(0, 19)
    if kind < 5:
        return word(draw)
    if kind < 7:
        return phrase(draw, vocabulary)
    if kind < 9:
        return Words(pattern(draw))
    if kind < 10:
        return name(draw)
    return fact(draw, vocabulary)


def word(draw: Draw) -> Words:
    text = draw.choice(ABSENT) if draw.chance(0.05) else draw.choice(VOCABULARY)
    if draw.chance(0.05):
        text = draw.choice(("💔", "...", "don't", "10:30", "e-mail", "https://t.co/x", "❤️"))
    return Words(text, quoted=draw.chance(0.25))


def phrase(draw: Draw, vocabulary: Vocabulary) -> Words:
    """A phrase taken from a post (so that it is found), made of common words, or of any two words."""
    if vocabulary.texts and draw.chance(0.6):
        words = draw.choice(vocabulary.texts).split()
        if len(words) >= 2:
            start = draw.integer(0, len(words) - 2)
            return Words(" ".join(words[start : start + draw.integer(2, 3)]).replace('"', ""), quoted=True)
    if draw.chance(0.5):
        return Words(draw.choice(COMMON_PHRASES), quoted=True)
    return Words(f"{draw.choice(VOCABULARY)} {draw.choice(VOCABULARY)}", quoted=True)


def pattern(draw: Draw) -> str:
    """``harass*``, ``wom?n``, ``*ment``: a word of the vocabulary with a part replaced by a wildcard."""
    base = draw.choice(VOCABULARY)
    if len(base) < 3:
        base = draw.choice(("harassment", "women", "café", "running", "女性です", "성폭력을"))
    cut = draw.integer(1, len(base) - 1)
    kind = draw.integer(0, 3)
    if kind == 0:
        return base[:cut] + "*"
    if kind == 1:
        return base[:cut] + "?" + base[cut + 1 :]
    if kind == 2:
        return "*" + base[cut:]
    return base[:cut] + "*" + base[cut + 1 :] + "?"


def name(draw: Draw) -> Words:
    if draw.chance(0.4):
        return Words(draw.choice(NAME_PHRASES), quoted=True, field="name")
    if draw.chance(0.2):
        return Words(draw.choice(("ana*", "r?n*", "wre?", "Cl*")), field="name")
    return Words(draw.choice(NAMES), quoted=draw.chance(0.2), field="name")


def fact(draw: Draw, vocabulary: Vocabulary) -> Node:
    kind = draw.integer(0, 13)
    makers = (_tag, _handle, _handle, _lang, _platform, _date, _date, _is, _has, _thread, _code, _code, _coder)
    return makers[kind](draw, vocabulary) if kind < len(makers) else _mistake(draw)


def _tag(draw: Draw, vocabulary: Vocabulary) -> Fact:
    tag = draw.choice((*HASHTAGS, "cafe", "CAFÉ", "solidaritat", "me*", "*too", "m?too", "nothing"))
    if draw.chance(0.5) and "*" not in tag and "?" not in tag:
        return Fact("tag", tag, spelling="#")
    return Fact("tag", tag, quoted=draw.chance(0.15) and "*" not in tag)


def _handle(draw: Draw, vocabulary: Vocabulary) -> Fact:
    handle = draw.choice((*HANDLES, "ana*", "b?nwren", "*o"))
    kind = draw.choice(("@", "author", "mention"))
    if kind == "@":
        return Fact("@", handle, spelling="@")
    return Fact(kind, draw.choice(("", "@")) + handle if "*" not in handle else handle)


def _lang(draw: Draw, vocabulary: Vocabulary) -> Fact:
    return Fact("lang", draw.choice((*(lang for lang in LANGS if lang), "EN", "pt-br", "xx", "e*")))


def _platform(draw: Draw, vocabulary: Vocabulary) -> Fact:
    return Fact("platform", draw.choice(("twitter", "Twitter", "mastodon", "bluesky", "mast*")))


def _date(draw: Draw, vocabulary: Vocabulary) -> Fact:
    return Fact("date", draw.choice(DATES))


def _is(draw: Draw, vocabulary: Vocabulary) -> Fact:
    value = draw.choice(IS_WORDS)
    if value == "uncoded" and draw.chance(0.5):
        return Fact("is", "uncoded", spelling="bare")
    return Fact("is", value)


def _has(draw: Draw, vocabulary: Vocabulary) -> Fact:
    return Fact("has", draw.choice(HAS_WORDS))


def _thread(draw: Draw, vocabulary: Vocabulary) -> Fact:
    native = draw.choice(vocabulary.ids) if vocabulary.ids else "100"
    platform = draw.choice(("", "", "", "twitter:", "mastodon:"))
    return Fact("thread", platform + native)


def _code(draw: Draw, vocabulary: Vocabulary) -> Fact:
    code = draw.choice((*CODES, *NEW_CODE_NAMES, "BACKLASH", "male survivor", "solidaritat", "back*", "*r", "nothing"))
    coder = _coder_name(draw) if draw.chance(0.4) else None
    quoted = " " in code or (draw.chance(0.1) and "*" not in code)
    return Fact("code", code, quoted=quoted, coder=coder)


def _coder(draw: Draw, vocabulary: Vocabulary) -> Fact:
    return Fact(draw.choice(("coder", "coded-by", "not-coded-by")), _coder_name(draw))


def _coder_name(draw: Draw) -> str:
    return draw.choice((*CODERS, "ANA", "ben", "cleo", "nobody"))


def _mistake(draw: Draw) -> Fact:
    return draw.choice(MISTAKES)
