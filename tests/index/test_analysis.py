"""What a word is: one analysis for indexing, querying and highlighting, across scripts."""

from __future__ import annotations

from index.analysis import (
    FoldingTokenizer,
    fold,
    has_sequence,
    pack_hashes,
    spans,
    stem,
    term_hash,
    terms,
    word_sequence,
)


def test_case_and_accents_fold_away_for_latin_and_greek():
    assert terms("Café CAFÉ cafe\u0301 İstanbul Ελληνικά") == ["cafe", "cafe", "cafe", "istanbul", "ελληνικα"]


def test_full_width_letters_and_ligatures_are_the_plain_ones():
    assert terms("ｍｅｔｏｏ ﬁne Straße") == ["metoo", "fine", "strasse"]


def test_persian_words_keep_their_joiner_free_form_and_arabic_letter_variants_unify():
    # ZWNJ inside a word, Arabic kaf and yeh written for Persian ones: all one spelling.
    assert terms("می‌خواهم كتاب يک") == ["میخواهم", "کتاب", "یک"]
    assert fold("كتاب") == fold("کتاب")


def test_tamil_and_devanagari_vowel_signs_stay_inside_their_words():
    assert terms("நானும் கூட தமிழ்") == ["நானும்", "கூட", "தமிழ்"]
    assert terms("हिन्दी भाषा") == ["हिन्दी", "भाषा"]


def test_scripts_without_spaces_become_overlapping_pairs_and_the_index_also_gets_the_last_character():
    assert terms("私も女性") == ["私も", "も女", "女性"]
    indexed = [(s.term, s.position) for s in spans("私も女性")]
    assert indexed == [("私も", 0), ("も女", 1), ("女性", 2), ("性", 2)]


def test_korean_is_paired_too_so_a_word_is_found_with_its_particle():
    assert terms("성폭력") == ["성폭", "폭력"]
    assert terms("성폭력을")[:2] == ["성폭", "폭력"]


def test_hashtag_and_mention_signs_are_not_part_of_words_but_underscores_are():
    assert terms("#MeToo @ana_r don't") == ["metoo", "ana_r", "don", "t"]


def test_spans_point_at_the_original_characters():
    text = "Hello CAFÉ 私も"
    found = [(s.term, text[s.start : s.end]) for s in spans(text)]
    assert found == [("hello", "Hello"), ("cafe", "CAFÉ"), ("私も", "私も"), ("も", "も")]


def test_emoji_and_punctuation_are_not_words():
    assert terms("💔🙏 !!! — …") == []


def test_porter2_stems_latin_words_only_and_keeps_run_and_running_together():
    assert stem("running") == stem("runs") == stem("run") == "run"
    assert stem("happiness") == stem("happy")
    assert stem("ab") is None
    assert stem("女性") is None


def test_the_whoosh_tokenizer_gives_the_same_terms_and_positions_as_spans():
    tokenizer = FoldingTokenizer()
    for text in ("Plain ASCII text, twice: text.", "Café 私も女性 and தமிழ்", ""):
        assert [(t.text, t.pos) for t in tokenizer(text, positions=True)] == [(s.term, s.position) for s in spans(text)]


def test_a_word_sequence_holds_one_hash_per_query_term_in_order():
    text = "Believe survivors. 私も女性です"
    assert word_sequence(text) == pack_hashes([term_hash(term) for term in terms(text)])
    assert len(word_sequence(text)) == 4 * len(terms(text))
    assert word_sequence("— !!") == b""
    latin = "Café, DON'T stop: ½ Ŧhe ｆｕｌｌ-width words_and_more 42"  # the quick path, without paired scripts
    assert word_sequence(latin) == pack_hashes([term_hash(term) for term in terms(latin)])


def test_a_sequence_is_found_only_at_term_boundaries():
    sequence = pack_hashes([0x11223344, 0x55667788])
    assert has_sequence(sequence, pack_hashes([0x55667788]))
    assert has_sequence(sequence, sequence)
    # These bytes occur in the sequence, but straddling two terms: not a term of it.
    assert sequence.find(bytes([0x11, 0x88, 0x77, 0x66])) == 3
    assert not has_sequence(sequence, bytes([0x11, 0x88, 0x77, 0x66]))
    assert not has_sequence(sequence, pack_hashes([0x55667788, 0x11223344]))
