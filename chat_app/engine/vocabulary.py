"""How many indexed chunks contain a word, by substring: the weight of a question's term.

Substring rather than token counts because jieba cuts questions and articles differently (总兵力
as one word in a question, 总/兵力 in an article), and a single character (死 in 死了几个人) is only
ever part of a longer word in the text. Counted lazily and cached: a corpus of ten thousand chunks
costs a few milliseconds per new word.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

from chat_app.engine.text import normalize

_CACHE_WORDS = 50_000


class Vocabulary:
    def __init__(self, texts: Iterable[str]):
        self._texts = tuple(normalize(text) for text in texts)
        self._count = lru_cache(maxsize=_CACHE_WORDS)(self._document_frequency)

    def __len__(self) -> int:
        return len(self._texts)

    def document_frequency(self, word: str) -> int:
        return self._count(normalize(word))

    def known(self, word: str) -> bool:
        return self.document_frequency(word) > 0

    def idf(self, word: str) -> float:
        """Smoothed inverse document frequency; a word no chunk contains gets the largest weight."""
        return math.log((len(self._texts) + 1) / (self.document_frequency(word) + 0.5))

    def _document_frequency(self, word: str) -> int:
        return sum(1 for text in self._texts if word in text) if word else 0
