"""Tokens for keyword search over Chinese text with English words and numbers mixed in.

jieba segments words; character bigrams catch names jieba cuts oddly ("托/卡耶夫"), and numbers
lose their thousands separators so "7,644" and "7644" match. Which mix works best is measured
on the dev set (`kzqa eval --retrieval`), not assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import jieba

# jieba cuts with the dictionary tables it shares with posseg (installed on import, loaded at the first cut).
from index import jieba_dictionary  # noqa: F401
from ingest.chinese_text import HAN_RUN, bigrams, normalize, stopwords
from ingest.choices import parse_choice

_WORDLIKE = re.compile(r"[\w.%:/-]*\w[\w.%:/-]*")
_STOPWORDS = stopwords("keyword_search")


class TokenizerMode(StrEnum):
    WORDS = "words"  # jieba.cut
    SEARCH = "search"  # jieba.cut_for_search: words plus their shorter dictionary parts
    BIGRAMS = "bigrams"  # overlapping Han character pairs, no segmentation
    SEARCH_BIGRAMS = "search+bigrams"

    @classmethod
    def from_str(cls, value: str) -> TokenizerMode:
        return parse_choice(cls, value, what="BM25 tokenizer", valid_label="valid")


@dataclass(frozen=True)
class ChineseTokenizer:
    mode: TokenizerMode = TokenizerMode.SEARCH

    def __call__(self, text: str) -> list[str]:
        text = normalize(text)
        tokens: list[str] = []
        if self.mode in (TokenizerMode.WORDS, TokenizerMode.SEARCH, TokenizerMode.SEARCH_BIGRAMS):
            cut = jieba.cut if self.mode == TokenizerMode.WORDS else jieba.cut_for_search
            tokens.extend(t for t in cut(text) if _WORDLIKE.fullmatch(t))
        if self.mode in (TokenizerMode.BIGRAMS, TokenizerMode.SEARCH_BIGRAMS):
            tokens.extend(bigrams(text))
            if self.mode == TokenizerMode.BIGRAMS:
                tokens.extend(t for t in _WORDLIKE.findall(HAN_RUN.sub(" ", text)))
        return [t for t in tokens if t not in _STOPWORDS]

