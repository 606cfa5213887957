"""How well a piece of evidence supports a claim: lexical overlap, embedding similarity, and numbers.

Used to check an answer's citation markers (does passage [n] state this sentence?) and by the
extractive answerer to find corroboration (does passage B state what a sentence of A says?).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise

from chat_app.answer_wording import strip_markers
from chat_app.engine.resources import language
from chat_app.engine.text import normalize
from index.caching_embedder import CachingEmbedder, PassageEmbedder
from index.chinese_tokenizer import ChineseTokenizer, TokenizerMode
from index.cross_lingual import Lexicon
from ingest.chinese_text import HAN, bigram_set
from ingest.sentences import split_sentences

# Calibrated with multilingual-e5-small on real corpus pairs (the 118 chunks of the five articles; pinned
# cases are in tests/chat_app/engine/test_support.py). Measured scores:
#   supported:     a sentence vs its own chunk (150 sampled): min 0.73, median 0.93
#                  28 hand-written paraphrases and summaries vs their chunk: 0.57–0.94, median 0.74
#   unsupported:   12 same-topic claims vs a chunk that does not state them: 0.24–0.52, median 0.38
#                  8 claims with one number changed vs their chunk: 0.23–0.33
#                  a sentence vs a random chunk of another article: median 0.10, p99 0.46, max 0.58
#   not separated: contradictions that reuse the chunk's words ("投了赞成票" where it says 弃权): 0.51–0.85
# Without an embedder the classes touch: paraphrases from 0.52, not-stated claims up to 0.56.
# English claims vs Chinese chunks (lexical, with a Lexicon): 12 supported 0.57–1.00, 4 not stated ≤ 0.50.
SUPPORT_THRESHOLD = 0.55

_LEXICAL_WEIGHT = 0.7  # word overlap separates the classes better than e5 cosine on this corpus
# e5 cosines of any two Chinese texts about Kazakhstan are high (unrelated chunks median 0.87,
# supported pairs 0.89–0.95), so [0.85, 0.95] is stretched to [0, 1] before mixing.
_COSINE_FLOOR, _COSINE_CEILING = 0.85, 0.95
# Each number of the claim missing from the evidence multiplies support by this: "6846公里" is a
# different fact from "7,644公里" however many words they share, and even a verbatim sentence with
# one number changed must fall below the threshold.
_MISSING_NUMBER_FACTOR = 0.4
_SPAN_SHORTLIST = 2  # sentences (and pairs) of a passage embedded in best_span; lexical ranks the rest
_CACHE_SIZE = 4096  # embeddings kept: retrieved passages repeat across sentences and turns

_SCALES = {word: Decimal(value) for word, value in language().scales.items()}
_SCALE_WORDS = "|".join(sorted(map(re.escape, _SCALES), key=len, reverse=True))
_NUMBER = re.compile(rf"(\d+(?:\.\d+)?)(?:\s*({_SCALE_WORDS})(?![a-z]))?")


class SupportScorer:
    """How well a piece of evidence supports a claim: lexical overlap and embedding similarity.

    `lexicon` lets English claims (the LLM answers English questions in English) be matched
    word by word against Chinese evidence; e5-small's cosine does not separate supported from
    unsupported pairs across languages (both 0.74–0.78), so such pairs are scored lexically.
    """

    def __init__(
        self,
        embedder: PassageEmbedder | None,
        *,
        tokenizer: ChineseTokenizer | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        # None: lexical only. Retrieved passages recur across an answer's sentences and across turns.
        self._embedder = CachingEmbedder(embedder, size=_CACHE_SIZE) if embedder is not None else None
        self._tokenizer = tokenizer or ChineseTokenizer(TokenizerMode.WORDS)
        self._lexicon = lexicon
        self._translations: dict[str, tuple[str, ...]] = {}

    def support(self, claim: str, evidence: str) -> float:
        """0..1; a claim is supported at SUPPORT_THRESHOLD or above."""
        return self.support_many(claim, [evidence])[0]

    def support_many(self, claim: str, evidences: Sequence[str]) -> list[float]:
        claim = strip_markers(claim)
        parts = self._parts(claim, evidences)
        if self._embedder is None or not claim:
            return [lexical * penalty for lexical, penalty in parts]
        embeddable = [e for e in evidences if _same_language(claim, e)]
        cosine = dict(zip(embeddable, self._cosines(claim, embeddable), strict=True))
        return [
            penalty * (_mix(lexical, cosine[e]) if e in cosine else lexical)
            for (lexical, penalty), e in zip(parts, evidences, strict=True)
        ]

    def best_span(self, claim: str, passage_text: str) -> tuple[int, int, float]:
        """The sentence, or two adjacent sentences, of passage_text that best support claim.

        Returns (start, end, score) with offsets into passage_text; (0, 0, 0.0) if it has no sentence.
        """
        sentences = split_sentences(passage_text)
        if not sentences:
            return 0, 0, 0.0
        claim = strip_markers(claim)
        singles = [(s.start, s.end) for s in sentences]
        pairs = [(a.start, b.end) for a, b in pairwise(sentences)]
        lexical = self._parts(claim, [passage_text[a:b] for a, b in singles + pairs])
        parts = dict(zip(singles + pairs, lexical, strict=True))
        # Embedding every sentence of every cited passage is the slow part; words and numbers rank them well.
        singles, pairs = _top(singles, parts), _top(pairs, parts)
        spans = singles + pairs
        scores = dict(zip(spans, self.support_many(claim, [passage_text[a:b] for a, b in spans]), strict=True))
        single = max(singles, key=scores.__getitem__)
        # The shortest quote that supports the claim on its own: two sentences only when no one does.
        if scores[single] < SUPPORT_THRESHOLD and pairs:
            pair = max(pairs, key=scores.__getitem__)
            if scores[pair] >= SUPPORT_THRESHOLD:
                return (*pair, scores[pair])
        return (*single, scores[single])

    def _parts(self, claim: str, evidences: Sequence[str]) -> list[tuple[float, float]]:
        """(lexical overlap, missing-number penalty) per evidence.

        Overlap is the mean of two shares of the claim found in the evidence: its words and numbers,
        and its Han character bigrams (robust to jieba cutting the two texts differently).
        """
        if not claim:
            return [(0.0, 0.0)] * len(evidences)
        claim_norm = normalize(claim)
        words = [w for w in dict.fromkeys(self._tokenizer(claim_norm)) if _is_word(w)]
        numbers = _numbers(claim_norm)
        grams = bigram_set(claim_norm)
        parts = []
        for evidence in evidences:
            evidence_norm = normalize(evidence)
            present = {form for number in _numbers(evidence_norm) for form in number}
            number_hits = [not present.isdisjoint(number) for number in numbers]
            hits = [found for w in words if (found := self._found(w, evidence_norm)) is not None] + number_hits
            shares = [sum(hits) / len(hits)] if hits else []
            if grams:
                shares.append(len(grams & bigram_set(evidence_norm)) / len(grams))
            lexical = sum(shares) / len(shares) if shares else 0.0
            parts.append((lexical, _MISSING_NUMBER_FACTOR ** number_hits.count(False)))
        return parts

    def _found(self, word: str, evidence: str) -> bool | None:
        """Whether evidence contains word; None when that cannot be told (an English word the lexicon lacks)."""
        if HAN.search(word):
            return word in evidence  # a substring: jieba may cut the evidence differently
        if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", evidence):
            return True  # English names often stay in the Chinese text: 托卡耶夫（Kassym-Jomart Tokayev）
        if self._lexicon is None:
            return False
        if word not in self._translations:
            self._translations[word] = tuple(self._lexicon.translate(word))
        # Words the lexicon lacks are mostly function words ("about", "than"), not facts: skipped.
        translations = self._translations[word]
        return any(chinese in evidence for chinese in translations) if translations else None

    def _cosines(self, claim: str, evidences: Sequence[str]) -> list[float]:
        if not evidences:
            return []
        assert self._embedder is not None
        claim_vector, *vectors = self._embedder.embed_passages([claim, *evidences])
        return [sum(x * y for x, y in zip(claim_vector, vector, strict=True)) for vector in vectors]


@lru_cache(maxsize=_CACHE_SIZE)
def _numbers(text: str) -> frozenset[tuple[str, ...]]:
    """The numbers of a normalized text, each as its written value and, with a scale word, its full value.

    "7,644" (already "7644") gives ("7644",); "4410亿" and "441 billion" both give 441000000000 as a
    form, so an English answer's converted number still matches the Chinese passage.
    """
    numbers = set()
    for match in _NUMBER.finditer(text):
        written = Decimal(match[1])
        forms = [written]
        if match[2]:
            forms.append(written * _SCALES[match[2]])
        numbers.add(tuple(format(value.normalize(), "f") for value in forms))
    return frozenset(numbers)


def _is_word(token: str) -> bool:
    """Numbers are compared as values (with their scale word), and a lone Latin letter is a tokenizer leftover."""
    return not any(c.isdigit() for c in token) and token not in _SCALES and (len(token) > 1 or not token.isascii())


def _top(spans: list[tuple[int, int]], parts: dict[tuple[int, int], tuple[float, float]]) -> list[tuple[int, int]]:
    """The spans with the most lexical support (numbers counted), in text order."""
    ranked = sorted(spans, key=lambda span: -parts[span][0] * parts[span][1])[:_SPAN_SHORTLIST]
    return sorted(ranked)


def _same_language(claim: str, evidence: str) -> bool:
    return bool(HAN.search(claim)) == bool(HAN.search(evidence))


def _mix(lexical: float, cosine: float) -> float:
    stretched = min(1.0, max(0.0, (cosine - _COSINE_FLOOR) / (_COSINE_CEILING - _COSINE_FLOOR)))
    return _LEXICAL_WEIGHT * lexical + (1 - _LEXICAL_WEIGHT) * stretched
