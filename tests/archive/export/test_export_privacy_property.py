"""Property: whatever handles people have and however posts write them, no handle and no account id of anyone
in the project survives a pseudonymised export, in any shape, in any byte written (zip members included)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.export import ExportOptions
from tests.archive.export.leaks import Person, Post, build, export_every_shape, leaks

# Every handle has at least four characters (shorter ones are only found as mentions and links, see
# test_export_privacy.py) and holds "qx" in some case: no word, column name, pseudonym (hex) or XML of an
# export does, so finding a handle in a file can only mean it leaked.
_CHUNK = st.text(alphabet="abcdefghijklmnoprstuvwyzABCDEFGHIJKLMNOPRSTUVWYZ0123456789_", min_size=1, max_size=5)
_MARK = st.sampled_from(["qx", "Qx", "qX", "QX"])
PLATFORMS = ["twitter", "instagram", "reddit", "bluesky", "mastodon", "facebook"]
DOTTED = {"instagram", "bluesky", "facebook", "mastodon"}

# How each platform's people are written; {h} is the handle (any case), {n} the account id.
ANY = [
    "@{h}",
    "＠{h}",
    "{h}",
    "{h}'s",
    "({h})",
    "#{h}",
    "via @{h}:",
    "{h}-fan",
]
FORMS = {
    "twitter": [
        "twitter.com/{h}",
        "https://twitter.com/{h}/status/123?s=20",
        "x.com/{h}/status/1",
        "www.twitter.com/{h}",
        "mobile.x.com/{h}",
        "https://m.twitter.com/{h}/likes",
        "http://www.x.com/{h}?lang=en#top",
        "twitter.com/intent/user?screen_name={h}&lang=en",
        "twitter.com/i/user/{n}",
        "https://twitter.com/intent/user?user_id={n}",
        "https://example.org/share?url=https%3A%2F%2Fx.com%2F{h}",
        "{h}.",
        "twitter.com/@{h}",
    ],
    "instagram": [
        "instagram.com/{h}",
        "https://www.instagram.com/{h}/?hl=en",
        "m.instagram.com/{h}",
        "instagram.com/stories/{h}/3",
        "@{h}.",
    ],
    "reddit": [
        "reddit.com/u/{h}",
        "https://old.reddit.com/user/{h}/comments",
        "u/{h}",
        "/u/{h}",
        "www.reddit.com/user/{h}/",
    ],
    "bluesky": ["bsky.app/profile/{h}", "https://bsky.app/profile/{h}/post/3kabc", "@{h}."],
    "mastodon": [
        "@{h}@mastodon.social",
        "https://mastodon.social/@{h}",
        "https://mastodon.social/@{h}/10998",
        "https://mastodon.social/users/{h}/statuses/1",
    ],
    "facebook": [
        "facebook.com/{h}",
        "https://m.facebook.com/{h}?ref=bookmarks",
        "https://www.facebook.com/{h}/posts/1",
        "fb.com/{h}",
        "facebook.com/profile.php?id={n}",
    ],
}
TRAILING = ["", ".", ",", "!", "?", ")", ":", ";", "…", "'s", "’s", "\n"]
FILLER = ["me too", "#MeToo", "this happened", "https://t.co/AbC123", "=1+1", "-", "«", "🙂", ""]


@st.composite
def handles(draw: st.DrawFn, platform: str) -> str:
    def one() -> str:
        cased = draw(_MARK)
        return draw(_CHUNK) + cased + draw(st.text(alphabet="abcdefz0189_", min_size=1, max_size=3))

    parts = [one()]
    if platform in DOTTED:
        parts += [draw(_CHUNK) for _ in range(draw(st.integers(0, 2)))]
    return ".".join(parts)


@st.composite
def people(draw: st.DrawFn) -> list[Person]:
    count = draw(st.integers(1, 5))
    found: list[Person] = []
    taken: set[str] = set()
    ids = draw(st.lists(st.integers(10**14, 10**19 - 1), min_size=count, max_size=count, unique=True))
    for n in ids:
        platform = draw(st.sampled_from(PLATFORMS))
        handle = draw(st.none() | handles(platform)) if not found or draw(st.booleans()) else draw(handles(platform))
        if handle is not None and handle.lower() in taken:
            handle = None
        if handle is not None:
            taken.add(handle.lower())
        found.append(Person(platform, str(n), handle))
    return found


def _written(draw: st.DrawFn, person: Person) -> str:
    forms = FORMS[person.platform] + (ANY if person.handle else [])
    forms = [f for f in forms if person.handle is not None or "{h}" not in f] or ["{n}", "twitter.com/i/user/{n}"]
    form = draw(st.sampled_from(forms))
    handle = person.handle or ""
    cased = draw(st.sampled_from([handle, handle.lower(), handle.upper()]))
    return form.format(h=cased, n=person.native_id) + draw(st.sampled_from(TRAILING))


@st.composite
def projects(draw: st.DrawFn) -> tuple[list[Person], list[Post], str]:
    everyone = draw(people())
    # Some people are only mentioned (the archive lists them in the post's mentions), never authors.
    mentioned = [p for p in everyone[1:] if p.handle and draw(st.booleans())]
    authors = [i for i, p in enumerate(everyone) if p not in mentioned]
    posts = []
    # Every author writes a post (so the project knows them), and some write more.
    for n, author in enumerate(authors + draw(st.lists(st.sampled_from(authors), max_size=2))):
        pieces = []
        for _ in range(draw(st.integers(1, 6))):
            pieces.append(draw(st.sampled_from(FILLER)))
            pieces.append(_written(draw, draw(st.sampled_from(everyone))))
        separator = draw(st.sampled_from([" ", "\n", " – "]))
        me = everyone[author]
        url = _written(draw, me).strip()
        if not url.startswith(("http", "twitter", "x.", "www", "mobile", "m.", "instagram", "reddit", "bsky")):
            url = f"https://twitter.com/i/web/status/{n}"
        tags = tuple(p.handle for p in everyone if p.handle and draw(st.booleans()) and draw(st.booleans()))
        posts.append(Post(author, separator.join(pieces), url, (*tags, "MeToo"), tuple(p.handle for p in mentioned)))
    notes = " ".join(_written(draw, p) for p in everyone)
    return everyone, posts, notes


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(projects(), st.booleans())
def test_no_handle_or_account_id_survives_a_pseudonymised_export(project, neutralise):
    everyone, posts, notes = project
    secrets = [p.native_id for p in everyone] + [p.handle for p in everyone if p.handle]
    with tempfile.TemporaryDirectory() as scratch:
        built = build(Path(scratch) / "p.threadcoder", everyone, posts, notes)
        try:
            files = export_every_shape(
                built, Path(scratch) / "out", ExportOptions(pseudonymise=True, neutralise=neutralise)
            )
        finally:
            built.close()
        assert leaks(files, secrets) == []
