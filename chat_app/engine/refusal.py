"""Whether the retrieved evidence answers the question, or kzqa should say the articles do not.

Hand-written because it is the product's judgement, not a library feature. Four signals, each
with a threshold calibrated on the dev set (benchmarks/calibrate_refusal.py):
- meaning: how close the best sentence is to the question;
- coverage: how much of the question's rare, telling words the best evidence contains;
- unknown words: how much of the question the corpus never talks about (出生, 失业率, 小麦 …);
- answer type: a "how many" question needs a number in the evidence, a "why" one a reason.
A very close best sentence overrides the word signals: paraphrases share meaning, not words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from chat_app.engine.evidence import EvidenceSentence, has_answer_type, term_coverage
from chat_app.engine.question import AnswerType, QuestionProfile
from index.term_stats import TermStats

EVIDENCE_WINDOW = 3  # top sentences read together when judging coverage and answer type


@dataclass(frozen=True)
class RefusalThresholds:
    """Calibrated on the dev set by benchmarks/calibrate_refusal.py (85% of unanswerable
    questions refused, 2.5% of answerable ones; see benchmarks/results/refusal_calibration.md)."""

    # Cross-lingual cosine runs lower than same-language cosine, so English has its own pair.
    min_semantic: float = 0.8
    strong_semantic: float = 0.86
    min_semantic_en: float = 0.73
    strong_semantic_en: float = 0.85
    min_coverage: float = 0.4
    max_unknown_share: float = 0.4

    def semantic_bounds(self, language: str) -> tuple[float, float]:
        if language == "en":
            return self.min_semantic_en, self.strong_semantic_en
        return self.min_semantic, self.strong_semantic


@dataclass(frozen=True)
class RefusalSignals:
    semantic: float
    coverage: float
    unknown_share: float
    type_ok: bool
    entities_ok: bool = True


@dataclass(frozen=True)
class RefusalDecision:
    refuse: bool
    reason: str
    signals: RefusalSignals | None = None
    unknown_terms: tuple[str, ...] = field(default_factory=tuple)


# Only these answer types can be recognised in text reliably enough to refuse on their absence.
CHECKED_TYPES = (AnswerType.NUMBER, AnswerType.DATE)


def measure(profile: QuestionProfile, evidence: Sequence[EvidenceSentence], stats: TermStats) -> RefusalSignals:
    window = " ".join(e.text for e in evidence[:EVIDENCE_WINDOW])
    return RefusalSignals(
        semantic=evidence[0].semantic if evidence else 0.0,
        coverage=group_coverage(profile.groups, window, stats),
        unknown_share=_unknown_share(profile, stats),
        type_ok=profile.answer_type not in CHECKED_TYPES or has_answer_type(window, profile.answer_type),
        entities_ok=not evidence or evidence[0].entities == 1.0,
    )


def group_coverage(groups: Sequence[Sequence[str]], text: str, stats: TermStats) -> float:
    """IDF-weighted share of concepts with at least one alternative present in `text`."""
    if not groups:
        return 0.0
    weights = [min(stats.idf(term) for term in group) for group in groups]
    found = sum(w for group, w in zip(groups, weights, strict=True) if term_coverage(group, text, stats) > 0)
    return found / sum(weights)


def decide(
    profile: QuestionProfile,
    evidence: Sequence[EvidenceSentence],
    stats: TermStats,
    thresholds: RefusalThresholds | None = None,
) -> RefusalDecision:
    thresholds = thresholds or RefusalThresholds()
    if not evidence:
        return RefusalDecision(True, "nothing relevant was retrieved")
    signals = measure(profile, evidence, stats)
    unknown = _unknown_terms(profile, stats)
    min_semantic, strong_semantic = thresholds.semantic_bounds(profile.language)
    close = signals.semantic >= strong_semantic
    never = tuple(w for w in (*profile.years, *profile.measured, *profile.specific_nouns) if not stats.known(w))
    if never:
        # The year asked about, the quantity measured or the specific topic never occurs in any article.
        return RefusalDecision(True, f"the articles never mention {'、'.join(never)}", signals, unknown)
    if signals.semantic < min_semantic:
        return RefusalDecision(True, "no sentence in the articles is close to the question", signals, unknown)
    if not close and signals.unknown_share > thresholds.max_unknown_share:
        return RefusalDecision(True, f"the articles never mention {'、'.join(unknown)}", signals, unknown)
    if not close and signals.coverage < thresholds.min_coverage:
        return RefusalDecision(True, "the best evidence lacks the question's key terms", signals, unknown)
    if not signals.entities_ok:
        return RefusalDecision(True, "the best evidence is about another country or person", signals, unknown)
    if not signals.type_ok:
        return RefusalDecision(
            True, f"the evidence holds no {profile.answer_type.value} to answer with", signals, unknown
        )
    return RefusalDecision(False, "", signals, unknown)


def _unknown_terms(profile: QuestionProfile, stats: TermStats) -> tuple[str, ...]:
    """Words of the question the corpus never uses (single characters say too little to count)."""
    if profile.language == "en":
        # Translations come from the corpus vocabulary by construction; Latin names ("Kadri Liik")
        # may appear in the Chinese text as they are.
        return tuple(word for word in profile.untranslated if not stats.known(word))
    return tuple(term for term in profile.terms if len(term) > 1 and not stats.known(term))


def _unknown_share(profile: QuestionProfile, stats: TermStats) -> float:
    """Share of the question's concepts the corpus never mentions (all concepts weigh the same:
    an unknown word has no document frequency to weigh it by)."""
    unknown = len(_unknown_terms(profile, stats))
    known = len(profile.groups) if profile.language == "en" else sum(1 for t in profile.terms if stats.known(t))
    return unknown / (unknown + known) if unknown + known else 1.0
