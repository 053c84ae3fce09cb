"""Where a text names an account: mentions, profile links of every platform, known handles and ids written bare."""

from __future__ import annotations

import re

Span = tuple[int, int, str]
"""``(start, end, key)``: ``text[start:end]`` names the account ``key``."""

_AT = "@\uff20\ufe6b"  # @, full-width ＠, small ﹫
_MENTION = re.compile(rf"(?<![\w{_AT}])[{_AT}](\w+(?:\.\w+)*)(?:@(\w[\w-]*(?:\.[\w-]+)*\.\w+))?")
_DOTTED = r"\w+(?:\.\w+)*"
_DASHED = r"[\w-]*\w"
_HOST = r"(?<![\w-])(?:{domains})/"  # any scheme and subdomain: only what follows the domain is replaced
_LINKS: list[tuple[tuple[str, ...], re.Pattern[str], frozenset[str]]] = [
    (
        tuple(domain.replace("\\", "") for domain in domains.split("|")),  # looked for first: most texts have none
        re.compile(_HOST.format(domains=domains) + paths + f"(?P<name>{name})", re.I),
        frozenset(reserved.split()),
    )
    for domains, paths, name, reserved in [
        (
            r"twitter\.com|x\.com",
            r"(?:i/user/|@)?",
            r"\w+",
            "i hashtag search home intent share explore settings messages notifications compose login logout signup "
            "tos privacy about download account jobs who_to_follow lists status statuses web",
        ),
        (
            r"instagram\.com|instagr\.am",
            r"(?:stories/|@)?",
            _DOTTED,
            "p reel reels tv explore accounts direct stories about legal developer web static emails",
        ),
        (r"reddit\.com", r"(?:u|user)/", _DASHED, ""),
        (r"bsky\.app", r"profile/", r"did:\w+:[\w.%:-]*\w|[\w-]+(?:\.[\w-]+)*", ""),
        (
            r"facebook\.com|fb\.com|fb\.me",
            r"(?:[\w.]+\.php\?(?:[^\s#&]*&)*id=|people/[^\s/?#]+/)?",
            _DOTTED,
            "groups pages events photo photos photo.php permalink.php story.php watch hashtag sharer sharer.php share "
            "login login.php home.php help policies marketplace gaming reel reels stories notes media video.php "
            "videos plugins dialog l.php tr business ads people profile.php privacy settings messages friends "
            "search pg fundraisers page public legal terms about careers",
        ),
        (r"facebook\.com", r"people/", r"[^\s/?#]+", ""),  # the person's name, before the id
        (r"linkedin\.com", r"in/", _DASHED, ""),
        (r"youtube\.com", r"(?:user/|c/|channel/|@)", _DASHED, ""),
    ]
]
_LINKS += [
    (("/users/",), re.compile(rf"https?://[\w.-]+/users/(?P<name>{_DOTTED})", re.I), frozenset()),  # Mastodon
    (
        ("screen_name=", "user_id=", "username="),
        re.compile(r"[?&](?:screen_name|user_id|username)=(?P<name>[\w.-]*\w)", re.I),
        frozenset(),
    ),
    (("u/",), re.compile(rf"(?<![\w/])/?u/(?P<name>{_DASHED})"), frozenset()),  # Reddit's way of naming someone
]
_NEEDLES = re.compile("|".join(re.escape(needle) for needles, _, _ in _LINKS for needle in needles))
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\w+(?:[.:-]\w+)*")
_ENCODED_TOKEN = re.compile(r"%[0-9a-fA-F]{2}(\w+(?:[.:-]\w+)*)")  # x.com%2Fname in a link inside a link
_SEPARATOR = re.compile(r"[.:-]")
_SHORTEST = 4  # no name shorter than this is looked up bare (see Known)
_MAX_PARTS = 8  # no handle has more dotted parts than this; longer runs are not looked at part by part


class Known:
    """The accounts of a project: every handle and id (any length), and those distinct enough to find bare."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # lower-cased handle or id -> the account's key
        self.bare: dict[str, str] = {}
        self.heads: set[str] = set()  # the first word of each name in ``bare``: a text without one has none

    def add_account(self, handle: str | None, native_id: str | None) -> None:
        """An author: its handle and its id both name it; the key is the handle when it has one."""
        key = (handle or native_id or "").lower()
        for name in (handle, native_id):
            if name:
                self._add(name.lower(), key)

    def add_handle(self, handle: str) -> None:
        """A handle the archive lists as mentioned (it may have no author row)."""
        self._add(handle.lower(), handle.lower())

    def _add(self, name: str, key: str) -> None:
        self.names.setdefault(name, key)
        distinct = len(name) >= (6 if name.isdigit() else _SHORTEST)
        head = _WORD.match(name)
        if distinct and head is not None:  # a name starting with "." or "-" never stands as a word
            self.bare.setdefault(name, key)
            self.heads.add(head.group())


def find(text: str, known: Known) -> list[Span]:
    """Every place ``text`` names an account, in order, none overlapping (the earliest, then the longest, wins).

    Each span comes with the account it names (its key: the lower-cased handle, or the account id when the
    account has no handle), so that one person gets one pseudonym however they are written. Three kinds:

    - **mentions**: ``@name`` with the ASCII, full-width (Twitter links ``＠name`` too) or small at sign, dotted
      names (``@alice.bsky.social``) and Mastodon's ``@name@instance``; also inside links (``site/@name``:
      Mastodon, Threads, TikTok, YouTube, Medium);
    - **profile links** of Twitter/X, Instagram, Reddit, Bluesky, Facebook, LinkedIn, YouTube and Mastodon's
      ``/users/name``, with or without the scheme, on any subdomain (``www.``, ``mobile.``, ``m.``, ``old.``),
      followed by any path or query; ``screen_name=``/``user_id=`` parameters; Reddit's ``u/name`` in texts;
    - **known accounts written bare**: any handle or account id of the project (authors and the handles the
      archive lists as mentioned) standing as a word, or as a part of one between ``.``, ``:`` or ``-``
      (``name's``, ``name.``, ``#name``, ``name@mail.com``, ``x.com%2Fname``).

    A mention or link names an account even when the project does not know it, and the whole name is replaced.
    A bare word is only replaced when it is a known handle of at least four characters or a known numeric id of
    at least six digits: shorter ones are everyday words and numbers ("me", "2017"); see docs/export.md.
    """
    found = sorted(_candidates(text, known), key=lambda span: (span[0], span[0] - span[1]))
    chosen: list[Span] = []
    end = 0
    for span in found:
        if span[0] >= end:
            chosen.append(span)
            end = span[1]
    return chosen


def _candidates(text: str, known: Known) -> list[Span]:
    found: list[Span] = []
    if "@" in text or "\uff20" in text or "\ufe6b" in text:
        _mentions(text, known, found)
    folded = text.lower()  # only to look for domains and words: positions come from ``text`` itself
    if _NEEDLES.search(folded):
        for needles, pattern, reserved in _LINKS:
            if any(needle in folded for needle in needles):
                _named(pattern, text, known, reserved, found)
    # Most texts name nobody the project knows: one set test over their words tells, before any token is looked at.
    if "%" in text or not known.heads.isdisjoint(_WORD.findall(folded)):
        _bare(text, known.bare, found)
    return found


def _mentions(text: str, known: Known, found: list[Span]) -> None:
    for match in _MENTION.finditer(text):
        name, instance = match.group(1), match.group(2)
        if instance is not None:
            full = f"{name}@{instance}".lower()
            if full in known.names:  # an account known as name@instance: all of it goes
                found.append((match.start(1), match.end(2), known.names[full]))
                continue
        found.append((match.start(1), match.end(1), _key(name, known)))


def _named(pattern: re.Pattern[str], text: str, known: Known, reserved: frozenset[str], found: list[Span]) -> None:
    for match in pattern.finditer(text):
        name = match.group("name")
        if name.lower() in reserved and name.lower() not in known.names:
            continue  # a page of the site (twitter.com/search), not an account
        found.append((match.start("name"), match.end("name"), _key(name, known)))


def _key(name: str, known: Known) -> str:
    """The account a mention or link names: the name itself, or the known account its first parts are
    (``@bob.`` + ``Then`` when no space followed the full stop); an unknown name is its own key."""
    folded = name.lower()
    if folded in known.names:
        return known.names[folded]
    ends = [separator.start() for separator in _SEPARATOR.finditer(folded)][:_MAX_PARTS]
    for end in reversed(ends):
        if folded[:end] in known.names:
            return known.names[folded[:end]]
    return folded


def _bare(text: str, table: dict[str, str], found: list[Span]) -> None:
    for match in _TOKEN.finditer(text):
        token = match.group()
        if len(token) < _SHORTEST:
            continue
        key = table.get(token.lower())
        if key is not None:
            found.append((match.start(), match.end(), key))
        elif "." in token or ":" in token or "-" in token:
            found += _known_runs(token, match.start(), table)
    if "%" in text:
        for match in _ENCODED_TOKEN.finditer(text):
            found += _known_runs(match.group(1), match.start(1), table)


def _known_runs(token: str, offset: int, table: dict[str, str]) -> list[Span]:
    """The known names in a token: the whole token, or runs of its parts between separators, longest first."""
    folded = token.lower()
    if folded in table:
        return [(offset, offset + len(token), table[folded])]
    found: list[Span] = []
    bounds = [0]
    for separator in _SEPARATOR.finditer(token):
        bounds += [separator.start(), separator.end()]
    bounds.append(len(token))
    parts = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    i = 0
    while i < len(parts):
        for j in range(min(len(parts), i + _MAX_PARTS) - 1, i - 1, -1):
            run = folded[parts[i][0] : parts[j][1]]
            if run in table:
                found.append((offset + parts[i][0], offset + parts[j][1], table[run]))
                i = j
                break
        i += 1
    return found
