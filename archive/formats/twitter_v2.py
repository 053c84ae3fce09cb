"""Readers for X API v2 JSON Lines: twarc2 response pages and stream lines, flattened tweets, bare tweets.

All three turn each tweet into a PostRecord through ``twitter_v2_tweet.tweet_record``; they differ
only in where a tweet's users, referenced tweets and media come from (``includes`` of the page, or
copies inside the tweet), so the same tweets give the same records whichever way they were saved. Each
reads every line as the shape it has, so a file that mixes pages and tweets loses none of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from archive.formats import ReadOptions
from archive.formats.common import json_excerpt, json_lines
from archive.formats.shapes import Shape, shape_of, wrong_shape_reason
from archive.formats.twitter_v2_tweet import (
    JsonDict,
    Lookup,
    Origin,
    as_dict,
    dicts,
    error_item,
    native_id,
    retrieved_at,
    tweet_record,
)
from archive.importing.records import ImportIssue, ImportItem, PostKind
from archive.importing.sources import Source


def read_pages(source: Source, options: ReadOptions) -> Iterator[ImportItem]:
    """twarc2 output: one API response page per line (``data`` list), or one stream line (``data`` object)."""
    del options  # twarc2 output offers no reading choices
    yield from read_v2_lines(source)


def read_flat(source: Source, options: ReadOptions) -> Iterator[ImportItem]:
    """``twarc2 flatten`` output: one tweet per line with its author and referenced tweets inline."""
    del options  # flattened tweets offer no reading choices
    yield from read_v2_lines(source)


def read_bare(source: Source, options: ReadOptions) -> Iterator[ImportItem]:
    """Bare v2 tweet objects, one per line, often with only a few ``tweet.fields`` and no expansions."""
    del options  # bare tweets offer no reading choices
    # A bare tweet is a flattened tweet without the inline copies: the same code reads both.
    yield from read_v2_lines(source)


def read_v2_lines(source: Source) -> Iterator[ImportItem]:
    """Every line of an X API v2 JSON Lines file, each read as the shape it has.

    Detection looks at the first lines only, and files are concatenated (``cat search.jsonl flat.jsonl``):
    so each line is read as a page or a tweet by its own keys, and a line of any other shape is an issue.
    """
    for item in json_lines(source):
        if isinstance(item, ImportIssue):
            yield item
            continue
        line, obj = item
        shape = shape_of(obj)
        if shape is Shape.V2_PAGE:
            yield from _page_items(line, obj)
        elif shape is Shape.V2_TWEET:
            yield from _tweet_line_items(line, obj)
        else:
            yield ImportIssue(line, wrong_shape_reason(obj, "twarc2"), excerpt=json_excerpt(obj))


def _page_items(line: int, page: JsonDict) -> Iterator[ImportItem]:
    data = _page_data(page)
    includes = as_dict(page.get("includes"))
    lookup = Lookup.from_includes(includes, (tweet for _, tweet in data))
    fetched = retrieved_at(page)
    for locator, tweet in data:
        yield tweet_record(tweet, lookup, Origin(line, locator, PostKind.COLLECTED, fetched))
    seen = {native_id(as_dict(tweet).get("id")) for _, tweet in data}
    for index, tweet in enumerate(dicts(includes.get("tweets"))):
        tweet_id = native_id(tweet.get("id"))
        # includes may repeat a tweet, or hold one that is also in this page's data.
        if tweet_id is not None and tweet_id in seen:
            continue
        seen.add(tweet_id)
        yield tweet_record(tweet, lookup, Origin(line, f"includes.tweets[{index}]", PostKind.CONTEXT, fetched))
    for index, error in enumerate(dicts(page.get("errors"))):
        yield error_item(error, Origin(line, f"errors[{index}]"))


def _page_data(page: JsonDict) -> list[tuple[str, object]]:
    """The page's tweets with their locators (none for a page that only reports errors)."""
    data = page.get("data")
    if isinstance(data, list):
        return [(f"data[{index}]", tweet) for index, tweet in enumerate(data)]
    if isinstance(data, dict):  # a `twarc2 filter`/`sample` stream line holds a single tweet
        return [("data", data)]
    return []


def _tweet_line_items(line: int, tweet: JsonDict) -> Iterator[ImportItem]:
    fetched = retrieved_at(tweet)
    yield tweet_record(tweet, Lookup.from_flat(tweet), Origin(line, "", PostKind.COLLECTED, fetched))
    for index, ref in enumerate(dicts(tweet.get("referenced_tweets"))):
        # flatten leaves only {type, id} for a referenced tweet it could not find: no post to show.
        if "text" in ref:
            origin = Origin(line, f"referenced_tweets[{index}]", PostKind.CONTEXT, fetched)
            yield tweet_record(ref, Lookup.from_flat(ref), origin)
