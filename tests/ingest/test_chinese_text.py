"""The shared Chinese text helpers: Han characters, language, numbers, bigrams, stopwords, and the
whitespace rules of mixed Chinese/Latin text (rewritten to run in linear time, they keep their results)."""

import itertools

import pytest

from ingest.chinese_text import (
    HAN,
    HAN_RUN,
    bigram_set,
    bigrams,
    clean_inline,
    detect_language,
    has_han,
    is_cjk,
    is_han,
    join_lines,
    join_wrapped,
    normalize,
    stopwords,
    strip_thousands,
)

PIECES = ["哈萨", "Treaty", "  North ", "。", "", "   ", "\u3000镇压", "http://x.org "]


def folded(lines: list[str]) -> str:
    """The reference: join_wrapped applied line by line (quadratic on a long paragraph)."""
    joined = ""
    for line in lines:
        joined = join_wrapped(joined, line) if joined else line.strip()
    return joined


def test_join_lines_gives_what_joining_line_by_line_gives():
    for n in range(5):
        for lines in itertools.product(PIECES, repeat=n):
            assert join_lines(lines) == folded(list(lines)), lines


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("不干涉。 后来", "不干涉。后来"),
        ("North  Atlantic\tTreaty", "North Atlantic Treaty"),
        ("见 http://x.org 网站", "见 http://x.org网站"),  # no space is removed before a URL
        ("\u200b 哈萨克斯坦\u3000 外交 ", "哈萨克斯坦外交"),
        ("2,000 多名 soldiers", "2,000多名soldiers"),
    ],
)
def test_clean_inline(raw, clean):
    assert clean_inline(raw) == clean


class TestHan:
    @pytest.mark.parametrize(
        ("char", "han"),
        [
            ("哈", True),  # CJK Unified Ideographs
            ("㐀", True),  # extension A
            ("\ufa11", True),  # a compatibility ideograph (﨑)
            ("\U00020000", True),  # extension B
            ("\U0002f800", True),  # the compatibility supplement
            ("カ", False),  # kana is not Han
            ("，", False),  # full-width punctuation is CJK but not Han
            ("a", False),
            ("7", False),
        ],
    )
    def test_is_han_and_the_han_pattern_agree_on_every_range(self, char, han):
        assert is_han(char) is han
        assert bool(HAN.fullmatch(char)) is han
        assert has_han(f"x{char}y") is han

    def test_han_run_stops_at_anything_not_han(self):
        assert HAN_RUN.findall("托卡耶夫（Tokayev）表示，7月") == ["托卡耶夫", "表示", "月"]

    def test_full_width_punctuation_is_cjk_though_not_han(self):
        assert is_cjk("，") and is_cjk("\u3000") and is_cjk("哈")
        assert not is_cjk("a") and not is_cjk(",")


class TestDetectLanguage:
    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("哈萨克斯坦为什么奉行多元平衡外交？", "zh"),
            ("What did Tokayev say about 顿巴斯?", "zh"),
            ("Why does Kazakhstan balance between Russia and China?", "en"),
            ("", "en"),
            ("2022?", "en"),
            ("カザフスタン", "en"),  # kana only: not Chinese
        ],
    )
    def test_han_characters_mean_chinese(self, text, language):
        assert detect_language(text) == language


class TestNumbers:
    @pytest.mark.parametrize(
        ("text", "stripped"),
        [
            ("7,644公里", "7644公里"),
            ("7，644公里", "7644公里"),  # the full-width comma too
            ("1,234,567", "1234567"),
            ("2022年1月2,3日", "2022年1月2,3日"),  # not followed by three digits: a list
            ("12,3456", "12,3456"),  # four digits after it: not a thousands separator
            ("中国、俄罗斯,美国", "中国、俄罗斯,美国"),
        ],
    )
    def test_strip_thousands_drops_only_separators_inside_a_number(self, text, stripped):
        assert strip_thousands(text) == stripped

    def test_normalize_folds_width_case_and_thousands(self):
        assert normalize("ＳＣＯ成员国人口约３，２００，０００") == "sco成员国人口约3200000"
        assert normalize("Kassym-Jomart TOKAYEV") == "kassym-jomart tokayev"


class TestBigrams:
    def test_overlapping_pairs_in_text_order_with_repeats(self):
        assert bigrams("哈萨克 哈萨") == ["哈萨", "萨克", "哈萨"]

    def test_a_lone_character_stands_for_itself(self):
        assert bigrams("7月 and 9日") == ["月", "日"]

    def test_latin_text_has_none(self):
        assert bigrams("Kazakhstan 2022") == []

    def test_bigram_set_is_the_set_of_bigrams(self):
        assert bigram_set("边境边境线") == frozenset({"边境", "境边", "境线"})


class TestStopwords:
    def test_keyword_search_holds_chinese_and_english_function_words(self):
        words = stopwords("keyword_search")
        assert {"的", "什么", "the", "which"} <= words
        assert "哈萨克斯坦" not in words and "border" not in words

    def test_english_terms_are_english_only(self):
        words = stopwords("english_terms")
        assert {"the", "according", "sth"} <= words
        assert not any(has_han(word) for word in words)

    def test_an_unknown_list_is_refused_with_the_names_there_are(self):
        with pytest.raises(KeyError, match="english_terms, keyword_search"):
            stopwords("french")
