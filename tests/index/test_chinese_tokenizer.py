"""Keyword tokens for mixed Chinese/English text (real jieba)."""

import pytest

from index.chinese_tokenizer import ChineseTokenizer, TokenizerMode
from ingest.chinese_text import stopwords

TEXT = "俄哈两国边境线长达4,750英里（约合7,644公里），比值9.2:1。What is the border length?"


@pytest.mark.parametrize("mode", list(TokenizerMode))
def test_every_mode_drops_punctuation_and_stopwords(mode):
    tokens = ChineseTokenizer(mode)(TEXT)
    assert tokens
    assert not any(t in stopwords("keyword_search") for t in tokens)
    assert not any(t in "，。（）?" for t in tokens)
    assert "border" in tokens and "length" in tokens and "what" not in tokens


@pytest.mark.parametrize("mode", list(TokenizerMode))
def test_thousands_separators_are_dropped_so_both_spellings_match(mode):
    tokenize = ChineseTokenizer(mode)
    assert "7644" in tokenize("约合7,644公里") and "7644" in tokenize("约合7644公里")


def test_search_mode_adds_the_parts_of_long_words():
    tokens = ChineseTokenizer(TokenizerMode.SEARCH)("哈萨克斯坦总统")
    assert "哈萨克斯坦" in tokens and "哈萨克" in tokens


def test_bigrams_catch_names_jieba_splits():
    words = ChineseTokenizer(TokenizerMode.WORDS)("托卡耶夫表示")
    bigrams = ChineseTokenizer(TokenizerMode.BIGRAMS)("托卡耶夫表示")
    assert "托卡耶夫" not in words  # jieba cuts it as 托 / 卡耶夫
    assert {"托卡", "卡耶", "耶夫"} <= set(bigrams)


def test_full_width_characters_are_normalized():
    assert ChineseTokenizer(TokenizerMode.WORDS)("ＧＤＰ") == ["gdp"]


def test_unknown_mode_lists_the_valid_ones():
    with pytest.raises(ValueError, match="valid: words, search, bigrams, search\\+bigrams"):
        TokenizerMode.from_str("chars")
