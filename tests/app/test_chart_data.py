"""The charts' calendar: every bin of the range is there, zero when nobody posted, in days, weeks or months."""

from __future__ import annotations

from app.chart_data import Bins, Timeline, bin_end, bins


def test_days_without_posts_are_zeros_not_a_slope():
    timeline = Timeline(["2017-10-15", "2017-10-18"], {"posts": [4, 2]})
    assert bins(timeline) == Bins(
        "day", ["2017-10-15", "2017-10-16", "2017-10-17", "2017-10-18"], {"posts": [4, 0, 0, 2]}
    )


def test_a_long_silence_is_counted_in_weeks_and_shows_as_zeros():
    # 104 posts in a day, then one post 18 months later: once drawn as a ramp from 104 down to 0.
    timeline = Timeline(["2019-05-02", "2020-11-19"], {"posts": [104, 1]})
    binned = bins(timeline)
    assert binned.unit == "week"
    assert binned.starts[0] == "2019-04-29" and binned.starts[-1] == "2020-11-16" and len(binned.starts) == 82
    assert binned.layers["posts"][0] == 104 and binned.layers["posts"][-1] == 1
    assert set(binned.layers["posts"][1:-1]) == {0}


def test_years_are_counted_in_months():
    binned = bins(Timeline(["2017-10-15", "2020-02-03"], {"posts": [5, 1]}))
    assert binned.unit == "month" and binned.starts[0] == "2017-10-01" and binned.starts[-1] == "2020-02-01"
    assert len(binned.starts) == 29 and sum(binned.layers["posts"]) == 6


def test_weeks_start_on_monday_and_every_layer_keeps_its_total():
    days = ["2017-10-15", "2017-12-31", "2018-03-08"]  # a Sunday, a Sunday, a Thursday
    timeline = Timeline(days, {"metoo": [3, 1, 2], "other": [1, 0, 5]})
    binned = bins(timeline)
    assert binned.unit == "week"
    assert binned.starts[0] == "2017-10-09" and binned.starts[-1] == "2018-03-05"
    assert {name: sum(counts) for name, counts in binned.layers.items()} == {"metoo": 6, "other": 6}
    assert bin_end("2017-10-09", "week") == "2017-10-16" and bin_end("2017-12-01", "month") == "2018-01-01"


def test_no_posts_no_bins():
    assert bins(Timeline([], {"posts": []})) == Bins("day", [], {"posts": []})
