"""Tokens for keyword search over Chinese text with English words and numbers mixed in.

jieba segments words; character bigrams catch names jieba cuts oddly ("托/卡耶夫"), and numbers
lose their thousands separators so "7,644" and "7644" match. Which mix works best is measured
on the dev set (`kzqa eval --retrieval`), not assumed.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import jieba

from ingest.choices import parse_choice

jieba.setLogLevel(logging.WARNING)

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORDLIKE = re.compile(r"[\w.%:/-]*\w[\w.%:/-]*")
# Function words and question words: they match everywhere and say nothing about the topic.
STOPWORDS = frozenset(
    """
    的 了 着 是 在 和 与 及 或 也 都 而 并 但 就 对 于 为 以 被 把 从 向 等 这 那 其 之 所 上 中 下
    个 一个 这个 那个 这些 那些 我们 你们 他们 她们 它们 我 你 他 她 它 自己 吗 呢 吧 啊 呀 么
    什么 怎么 怎样 如何 为什么 为何 多少 几 哪 哪个 哪些 哪里 哪儿 哪一年 谁 是否 是不是 有没有 请问
    将 已 已经 曾 曾经 会 能 可以 要 有 没有 不 又 还 更 很 最 该 此 因为 所以 如果 虽然 但是 以及
    a an the of to in on at by for with from as is are was were be been being do does did
    what which who whom whose when where why how that this these those it its and or not no
    """.split()
)


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
        text = _THOUSANDS.sub("", unicodedata.normalize("NFKC", text)).lower()
        tokens: list[str] = []
        if self.mode in (TokenizerMode.WORDS, TokenizerMode.SEARCH, TokenizerMode.SEARCH_BIGRAMS):
            cut = jieba.cut if self.mode == TokenizerMode.WORDS else jieba.cut_for_search
            tokens.extend(t for t in cut(text) if _WORDLIKE.fullmatch(t))
        if self.mode in (TokenizerMode.BIGRAMS, TokenizerMode.SEARCH_BIGRAMS):
            tokens.extend(_bigrams(text))
            if self.mode == TokenizerMode.BIGRAMS:
                tokens.extend(t for t in _WORDLIKE.findall(_HAN_RUN.sub(" ", text)))
        return [t for t in tokens if t not in STOPWORDS]


def _bigrams(text: str) -> list[str]:
    grams = []
    for run in _HAN_RUN.findall(text):
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams
