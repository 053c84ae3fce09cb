"""Reproducible samples: simple random, stratified by platform, month or hashtag, and whole threads."""

from __future__ import annotations

from collections import Counter

import pytest

from archive.coding.errors import CodingError
from archive.coding.samples import SampleRule, draw_sample, get_sample, list_samples, redraw, sample_posts
from archive.importing.records import PostRecord

MONTHS = ["2017-10", "2017-11", "2017-12"]


def post(native_id: str, month: str, platform: str = "twitter", tags=(), **fields) -> PostRecord:
    return PostRecord(
        platform=platform,
        native_id=native_id,
        text=f"post {native_id}",
        created_at=f"{month}-15T12:00:00Z",
        hashtags=list(tags),
        raw={"id": native_id},
        **fields,
    )


@pytest.fixture
def archive(project, add_posts):
    """200 more posts: 100 in October, 60 in November, 40 in December; one in four on Mastodon;
    #MeToo on even ids, #MenToo on multiples of three; ten reposts; ten threads of five posts."""
    records = []
    for i in range(200):
        month = MONTHS[0] if i < 100 else MONTHS[1] if i < 160 else MONTHS[2]
        tags = [t for t, hit in (("MeToo", i % 2 == 0), ("MenToo", i % 3 == 0)) if hit]
        records.append(post(f"p{i}", month, "mastodon" if i % 4 == 0 else "twitter", tags))
    records += [post(f"rt{i}", MONTHS[0], is_repost=True) for i in range(10)]
    for t in range(10):
        records.append(post(f"t{t}-0", MONTHS[1]))
        records += [post(f"t{t}-{r}", MONTHS[1], reply_to=f"t{t}-{r - 1}") for r in range(1, 5)]
    add_posts(*records)
    return project


def months_of(project, posts):
    rows = project.db.execute(
        f"SELECT substr(created_at, 1, 7) FROM posts WHERE id IN ({','.join('?' * len(posts))})", posts
    ).fetchall()
    return Counter(r[0] for r in rows)


def test_the_same_seed_draws_the_same_posts(archive):
    first = draw_sample(archive.db, "pilot", SampleRule(size=25), seed=7)
    again = redraw(archive.db.conn, first)
    assert sample_posts(archive.db.conn, first.id) == again
    assert len(again) == 25 and len(set(again)) == 25


def test_another_seed_draws_other_posts(archive):
    one = draw_sample(archive.db, "a", SampleRule(size=25), seed=1)
    two = draw_sample(archive.db, "b", SampleRule(size=25), seed=2)
    assert set(sample_posts(archive.db.conn, one.id)) != set(sample_posts(archive.db.conn, two.id))


def test_the_seed_and_rule_are_stored_and_reported(archive, team):
    draw_sample(archive.db, "pilot", SampleRule(size=10), seed=42, coder_id=team.ana.id)
    sample = get_sample(archive.db.conn, "pilot")
    assert (sample.seed, sample.method, sample.size) == (42, "random", 10)
    assert sample.rule["size"] == 10 and sample.rule["population"] == "every collected post"
    assert sample.population == 254  # 4 + 200 + 50 thread posts; reposts are left out by default
    assert [s.name for s in list_samples(archive.db.conn)] == ["pilot"]


def test_reposts_join_the_population_only_when_asked(archive):
    sample = draw_sample(archive.db, "all", SampleRule(size=300, include_reposts=True), seed=1)
    assert sample.population == 264 and sample.size == 264  # a sample never exceeds its population


def test_stratified_by_month_is_proportional(archive):
    sample = draw_sample(archive.db, "months", SampleRule("stratified", size=50, by="month"), seed=3)
    posts = sample_posts(archive.db.conn, sample.id)
    strata = sample.rule["strata"]
    assert {m: strata[m]["population"] for m in MONTHS} == {"2017-10": 102, "2017-11": 112, "2017-12": 40}
    assert months_of(archive, posts) == {m: strata[m]["drawn"] for m in MONTHS}
    assert sum(s["drawn"] for s in strata.values()) == 50
    assert strata["2017-12"]["drawn"] == 8  # 50 * 40 / 254 = 7.9, rounded by largest remainder


def test_stratified_by_platform_with_equal_allocation(archive):
    sample = draw_sample(
        archive.db, "platforms", SampleRule("stratified", size=20, by="platform", allocation="equal"), seed=3
    )
    assert sample.rule["strata"] == {
        "mastodon": {"population": 50, "drawn": 10},
        "twitter": {"population": 204, "drawn": 10},
    }


def test_stratified_by_hashtag_puts_a_post_in_the_first_listed_tag_it_carries(archive):
    rule = SampleRule("stratified", size=300, by="hashtag", hashtags=("#MenToo", "metoo"))
    sample = draw_sample(archive.db, "tags", rule, seed=5)
    # 67 posts carry #MenToo (ids divisible by 3, even ones included); #MeToo keeps the 66 even ids
    # not divisible by 3, plus the fixture's post 1.
    assert sample.rule["strata"] == {
        "mentoo": {"population": 67, "drawn": 67},
        "metoo": {"population": 67, "drawn": 67},
    }


def test_whole_threads_are_drawn_with_every_post(archive):
    sample = draw_sample(archive.db, "threads", SampleRule("threads", size=3), seed=11)
    posts = sample_posts(archive.db.conn, sample.id)
    assert sample.population == 11  # ten threads of five, plus the fixture's thread 1-2-3
    roots = Counter(archive.db.execute("SELECT root_id FROM posts WHERE id = ?", (p,)).fetchone()[0] for p in posts)
    assert len(roots) == 3 and set(roots.values()) <= {3, 5}
    assert redraw(archive.db.conn, sample) == posts


def test_a_given_population_replaces_every_collected_post(archive):
    hits = [f"twitter:p{i}" for i in range(1, 40, 2)]  # e.g. the hits of a search
    sample = draw_sample(archive.db, "from search", SampleRule(size=5), seed=9, population=hits)
    posts = sample_posts(archive.db.conn, sample.id)
    assert set(posts) <= set(hits) and len(posts) == 5
    assert sample.rule["population"].startswith("a given list: 20 posts (sha256 ")
    assert redraw(archive.db.conn, sample, hits) == posts


def test_bad_rules_and_names_are_refused(archive):
    with pytest.raises(CodingError, match="needs strata"):
        draw_sample(archive.db, "x", SampleRule("stratified", size=5), seed=1)
    with pytest.raises(CodingError, match="needs the hashtags"):
        draw_sample(archive.db, "x", SampleRule("stratified", size=5, by="hashtag"), seed=1)
    draw_sample(archive.db, "x", SampleRule(size=5), seed=1)
    with pytest.raises(CodingError, match="already a sample named 'x'"):
        draw_sample(archive.db, "x", SampleRule(size=5), seed=1)
    with pytest.raises(CodingError, match="not in the project"):
        draw_sample(archive.db, "y", SampleRule(size=5), seed=1, population=["twitter:nope"])
