"""The text field splits each text once, and indexes exactly what Whoosh's own Frequency field would."""

from __future__ import annotations

import json

from whoosh.fields import TEXT

from app.demo import demo_archive_path
from index.analysis import FoldingTokenizer, word_sequence
from index.words_field import WordsText


def demo_texts() -> list[str]:
    texts: list[str] = []
    for line in demo_archive_path().read_text(encoding="utf-8").splitlines():
        try:
            page = json.loads(line)
        except ValueError:
            continue  # the demo's deliberately broken line
        texts += [tweet.get("text", "") for tweet in page.get("data", [])]
    return texts


TEXTS = [*demo_texts(), "", "Café, DON'T stop: ½ ｆｕｌｌ-width", "私も女性です #MeToo運動", "성폭력을 반대합니다"]


def test_postings_and_column_are_those_of_whoosh_and_of_word_sequence():
    ours, whoosh = WordsText(FoldingTokenizer()), TEXT(analyzer=FoldingTokenizer(), phrase=False)
    assert len(TEXTS) > 300
    for text in TEXTS:
        assert sorted(ours.index(text)) == sorted(whoosh.index(text)), text
        assert ours.to_column_value(text) == word_sequence(text), text


def test_the_column_of_another_text_than_the_last_indexed_is_computed_afresh():
    field = WordsText(FoldingTokenizer())
    list(field.index("believe survivors"))
    assert field.to_column_value("survivors believe") == word_sequence("survivors believe")
