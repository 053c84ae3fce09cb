"""Pseudonymised exports: no handle, profile link or account id of anyone in the project survives, in any form
people write them on any platform, in any export shape; and what the pseudonyms keep (same person, same
pseudonym; spans on the same words)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.export import ExportOptions, Pseudonyms, export, pseudonym_salt
from archive.export.privacy import project_pseudonyms
from tests.archive.export.conftest import read_rows
from tests.archive.export.leaks import Person, Post, build, export_every_shape, leaks

JANE, NO_HANDLE, IG, REDDIT, SKY, MASTO, FB = range(7)
PEOPLE = [
    Person("twitter", "1012345678901234", "Jane_Doe42"),
    Person("twitter", "2098765432109876", None),
    Person("instagram", "5550001112223", "jane.doe.ig"),
    Person("reddit", "t2_9zk3", "throwaway-9x"),
    Person("bluesky", "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "alice.bsky.social"),
    Person("mastodon", "109876543210987654", "carol_m"),
    Person("facebook", "100004567890123", "dave.smith.75"),
]
SECRETS = [
    *(p.handle for p in PEOPLE if p.handle),
    *(p.native_id for p in PEOPLE),
    "ewvi7nxzyoun6zhxrhs64oiz",
    "Doe42",
]

# Every way of writing someone that people use, one per line so a failure names the form.
FORMS = {
    "mention": "@Jane_Doe42 me too",
    "full-width at": "＠Jane_Doe42 me too",
    "small at": "﹫Jane_Doe42 me too",
    "own handle, bare": "I am Jane_Doe42, and this happened",
    "possessive": "Jane_Doe42's story",
    "after a full stop": "ask JANE_DOE42.",
    "hashtag": "#Jane_Doe42 we believe you",
    "no scheme": "see twitter.com/Jane_Doe42",
    "x.com status, no scheme": "x.com/jane_doe42/status/1",
    "www": "https://www.twitter.com/Jane_Doe42",
    "mobile": "mobile.twitter.com/Jane_Doe42/status/9?s=20",
    "m.": "https://m.x.com/Jane_Doe42?lang=en",
    "intent screen_name": "https://twitter.com/intent/follow?screen_name=Jane_Doe42",
    "intent user_id": "https://twitter.com/intent/user?user_id=1012345678901234",
    "i/user": "twitter.com/i/user/2098765432109876",
    "bare id": "account 2098765432109876 posted it",
    "percent-encoded": "https://l.facebook.com/l.php?u=https%3A%2F%2Ftwitter.com%2FJane_Doe42%2Fstatus%2F1",
    "instagram": "instagram.com/jane.doe.ig",
    "instagram www, query": "https://www.instagram.com/jane.doe.ig/?hl=en.",
    "instagram story": "https://instagram.com/stories/jane.doe.ig/311",
    "instagram mention": "@jane.doe.ig.",
    "reddit u/": "reddit.com/u/throwaway-9x",
    "reddit user/": "https://old.reddit.com/user/throwaway-9x/comments/",
    "reddit in text": "as u/throwaway-9x and /u/throwaway-9x said",
    "bluesky profile": "bsky.app/profile/alice.bsky.social/post/3kabc",
    "bluesky did": "https://bsky.app/profile/did:plc:ewvi7nxzyoun6zhxrhs64oiz",
    "bluesky mention": "@alice.bsky.social!",
    "mastodon acct": "@carol_m@mastodon.social",
    "mastodon profile": "https://mastodon.social/@carol_m",
    "mastodon status": "https://mastodon.social/@carol_m/109988",
    "mastodon users/": "https://mastodon.social/users/carol_m/statuses/1",
    "facebook": "facebook.com/dave.smith.75",
    "facebook m.": "https://m.facebook.com/dave.smith.75?ref=bookmarks",
    "facebook profile.php": "https://www.facebook.com/profile.php?id=100004567890123",
    "facebook people": "facebook.com/people/Dave-Smith/100004567890123/",
    "e-mail": "write to jane_doe42@example.com",
    "part of a word": "a Jane_Doe42-fan and a dave.smith.75:",
    "youtube": "youtube.com/@Jane_Doe42 and youtube.com/c/Jane_Doe42",
    "threads, tiktok": "threads.net/@jane.doe.ig tiktok.com/@Jane_Doe42",
}
POSTS = [
    Post(JANE, "\n".join(FORMS.values()), "https://twitter.com/Jane_Doe42/status/1", ("Jane_Doe42", "MeToo")),
    Post(NO_HANDLE, "no handle of mine here", "https://twitter.com/i/web/status/2"),
    Post(IG, "my own: jane.doe.ig", "https://www.instagram.com/jane.doe.ig/p/Cx1/"),
    Post(REDDIT, "hello from throwaway-9x", "https://www.reddit.com/user/throwaway-9x/comments/abc/title/"),
    Post(SKY, "alice.bsky.social here", "https://bsky.app/profile/alice.bsky.social/post/3k"),
    Post(MASTO, "toot", "https://mastodon.social/@carol_m/10998"),
    Post(FB, "fb post", "https://www.facebook.com/dave.smith.75/posts/123", mentions=("jane_doe42",)),
]
NOTES = "as @Jane_Doe42 (jane.doe.ig on instagram.com/jane.doe.ig) says"


@pytest.fixture
def people_project(tmp_path: Path):
    project = build(tmp_path / "people.threadcoder", PEOPLE, POSTS, NOTES)
    yield project
    project.close()


def test_no_handle_or_account_id_survives_any_pseudonymised_export(people_project, tmp_path: Path) -> None:
    for neutralise in (True, False):
        files = export_every_shape(
            people_project, tmp_path / f"out{neutralise}", ExportOptions(pseudonymise=True, neutralise=neutralise)
        )
        assert leaks(files, SECRETS) == []


@pytest.mark.parametrize("form", list(FORMS))
def test_each_form_is_replaced(form: str, people_project) -> None:
    names = project_pseudonyms(people_project.db.conn)
    replaced = names.text(FORMS[form])
    for secret in SECRETS:
        assert secret.lower() not in replaced.lower(), (form, replaced)


def test_the_same_person_gets_one_pseudonym_in_every_form(people_project, tmp_path: Path) -> None:
    names = project_pseudonyms(people_project.db.conn)
    jane = names.handle("Jane_Doe42")
    assert names.text("@JANE_DOE42 x.com/jane_doe42 Jane_Doe42's") == f"@{jane} x.com/{jane} {jane}'s"
    # An account id names the same person as the handle; an account without a handle is named by its id.
    assert names.text("twitter.com/i/user/1012345678901234") == f"twitter.com/i/user/{jane}"
    assert names.text("2098765432109876") == names.handle("2098765432109876")
    export(people_project.db.conn, "dataset", tmp_path / "d.csv", ExportOptions(pseudonymise=True, neutralise=False))
    rows = {row["unit_id"]: row for row in read_rows(tmp_path / "d.csv")}
    assert rows["twitter:1"]["author"] == jane and rows["twitter:2"]["author"] == names.handle("2098765432109876")
    assert rows["twitter:1"]["hashtags"] == f"{jane} MeToo"
    assert rows["mastodon:6"]["url"] == f"https://mastodon.social/@{names.handle('carol_m')}/10998"


def test_words_and_other_links_stay(people_project) -> None:
    names = project_pseudonyms(people_project.db.conn)
    kept = (
        "me too, #MeToo https://t.co/AbC123 twitter.com/search?q=metoo x.com/i/web/status/5 "
        "instagram.com/p/Cx1/ reddit.com/r/metoo mail@example.com 2017 1st"
    )
    assert names.text(kept) == kept


def test_short_word_handles_are_replaced_only_as_mentions_and_links(tmp_path: Path) -> None:
    """The documented limit: a known handle of three letters or fewer is an ordinary word when written bare."""
    project = build(tmp_path / "p.threadcoder", [Person("twitter", "12", "me")], [Post(0, "me too")], "a reason")
    try:
        names = project_pseudonyms(project.db.conn)
        me = names.handle("me")
        assert names.text("me too @me twitter.com/me") == f"me too @{me} twitter.com/{me}"
    finally:
        project.close()


def test_without_the_project_only_the_written_forms_are_recognised(people_project) -> None:
    """Pseudonyms(salt) alone knows no handles: mentions and links are replaced, bare handles cannot be."""
    names = Pseudonyms(pseudonym_salt(people_project.db.conn))
    assert names.text("@Jane_Doe42 and Jane_Doe42") == f"@{names.handle('jane_doe42')} and Jane_Doe42"
    # Accounts the project does not know: found by how they are written, the whole name replaced.
    for text in (
        "@stranger@mastodon.social",
        "https://www.facebook.com/story.php?story_fbid=5&id=777000111",
        "twitter.com/i/user/777000111",
        "https://bsky.app/profile/stranger.example.com/post/3k",
        "@stranger.example.com.",
    ):
        replaced = names.text(text)
        assert "stranger" not in replaced and "777000111" not in replaced, replaced
    stranger = names.handle("stranger.example.com")
    assert names.text("@stranger.example.com.") == f"@{stranger}."
    assert names.text("@stranger@mastodon.social") == f"@{names.handle('stranger')}@mastodon.social"
