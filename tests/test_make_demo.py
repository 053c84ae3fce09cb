"""The shipped demo archive is exactly what tools/make_demo.py builds from resources/demo/source."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "resources" / "demo" / "metoo_demo.jsonl"


def test_regenerating_the_demo_gives_the_shipped_file_byte_for_byte(tmp_path):
    out = tmp_path / "metoo_demo.jsonl"
    # The documented command, run as a researcher would after editing the source data.
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_demo.py"), str(out)], check=True, capture_output=True)
    built, shipped = out.read_bytes(), SHIPPED.read_bytes()
    if built != shipped:
        # Name the first line that differs instead of letting pytest diff two 450 kB byte strings.
        line = _first_difference(built, shipped)
        pytest.fail(f"line {line} differs: run `python tools/make_demo.py` and commit resources/demo with its source")


def _first_difference(built: bytes, shipped: bytes) -> int:
    """The number of the first line that differs (one past the shorter file if the other goes on)."""
    built_lines, shipped_lines = built.splitlines(), shipped.splitlines()
    for number, (ours, theirs) in enumerate(zip(built_lines, shipped_lines, strict=False), start=1):
        if ours != theirs:
            return number
    return min(len(built_lines), len(shipped_lines)) + 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@a 2017-10-16 07:52\nhi\n        @b +3\nskipped a level", "indented 4 spaces more"),
        ("@a +3\nhi", "only a reply can give its time relative"),
        ("@a 2017-10-16 07:52 colour=red\nhi", "unknown option colour"),
        ("@a 2017-10-16 07:52 key=tomas-1\nhi", "looks like a post header"),
        ("hello\n@a 2017-10-16 07:52\nhi", "text before the first post header"),
    ],
)
def test_the_notation_names_the_line_of_a_mistake(monkeypatch, text, message):
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    notation = importlib.import_module("demo_notation")
    with pytest.raises(notation.NotationError, match=message) as caught:
        notation.parse(text, "conversations.txt")
    assert str(caught.value).startswith("conversations.txt:")


def test_the_notation_reads_replies_comments_and_paragraphs(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    notation = importlib.import_module("demo_notation")
    text = (
        "# a comment\n@a 2017-10-16 07:52 key=k lang=fr\none\n//\ntwo\n\n"
        "    @b +2h deleted\n@c 2017-10-17 08:00\n#MeToo\n"
    )
    first, reply, other = notation.parse(text)
    assert (first.key, first.lang, first.body) == ("k", "fr", "one\n\ntwo")
    assert reply.parent is first and reply.deleted and reply.body == "" and reply.when.hour == 9
    assert other.parent is None and other.body == "#MeToo"
