"""The typed, frozen records that pass between the answer engine's components.

resolve (FollowUpResolver) → ResolvedQuestion → analyse (QuestionAnalyzer) → Question
→ gather (CandidateRetriever) → CandidatePool → rank (EvidenceRanker) → RankedEvidence
→ judge (AnswerabilityJudge) → Verdict → compose (ExtractiveComposer / LlmGenerator) → Draft
→ check (CitationChecker) → Draft with verified citations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from chat_app.answer import Citation
from index.passage import Passage


class AnswerType(StrEnum):
    NUMBER = "number"
    DATE = "date"
    PERSON = "person"
    PLACE = "place"
    REASON = "reason"
    MANNER = "manner"
    COMPARE = "compare"
    OTHER = "other"

    @property
    def names(self) -> bool:
        """Answered by naming someone or somewhere, which the question must not have named already."""
        return self in (AnswerType.PERSON, AnswerType.PLACE)

    @property
    def factoid(self) -> bool:
        return self in (AnswerType.NUMBER, AnswerType.DATE, AnswerType.PERSON, AnswerType.PLACE)

    @property
    def explanatory(self) -> bool:
        """Asks for reasons or ways: answered with several distinct points."""
        return self in (AnswerType.REASON, AnswerType.MANNER, AnswerType.COMPARE)


@dataclass(frozen=True)
class ResolvedQuestion:
    """A message read in its conversation."""

    message: str  # what the user typed (cleaned)
    standalone: str  # what is searched for: the message, or the message with the topic it leans on
    focus: str  # what the answer must address: the message, or the earlier question with its subject swapped
    context: str = ""  # the earlier question a follow-up leans on
    followup: str = ""  # why it was read as a follow-up: "swap", "pointer", "bare", "opener" ("" = it stands alone)


@dataclass(frozen=True)
class Term:
    """One thing the question names; any alternative present in a text counts as the term present."""

    alternatives: tuple[str, ...]
    weight: float  # rarer words tell more (IDF over the indexed chunks)
    known: bool  # the indexed texts use it


@dataclass(frozen=True)
class Question:
    resolved: ResolvedQuestion
    language: str  # "zh" or "en"
    answer_type: AnswerType
    terms: tuple[Term, ...]  # content terms of the focus
    context_terms: tuple[Term, ...] = ()  # terms only the conversation's earlier question names
    focus_nouns: tuple[str, ...] = ()  # the noun asked for: 州 in 哪个州, 首都 in 首都叫什么
    entities: tuple[str, ...] = ()  # countries, blocs, leaders named (the ignored ones left out)
    years: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()  # content words no indexed text uses
    unknown_nouns: tuple[str, ...] = ()  # … of them, the nouns (小麦, 常住人口): a thing the articles never name
    search_tokens: tuple[str, ...] = ()  # BM25 tokens (Chinese; English questions translated)
    parts: tuple[str, ...] = ()  # the separate asks of a compound question, each with its own terms
    sources: tuple[str, ...] = ()  # outlets the question names as where to look ("WSJ"): only they are read

    @property
    def text(self) -> str:
        return self.resolved.focus

    @property
    def standalone(self) -> str:
        return self.resolved.standalone

    @property
    def names_text(self) -> str:
        """The question with its terms as the articles write them: what it names, in Chinese too when
        it is asked in English ("China's defense minister" names 中国)."""
        written = "".join(a for term in self.terms for a in term.alternatives)
        return f"{self.text} {written}" if self.language == "en" else self.text


@dataclass(frozen=True)
class Candidate:
    """One sentence that might answer: where it is, and the raw signals retrieval gave it."""

    row: int  # its row in the SentenceStore
    chunk_id: str
    start: int  # offsets within the chunk's text
    end: int
    text: str
    cosine: float
    cosine_rank: int  # 1-based rank among all sentences of the index
    keyword_score: float
    keyword_rank: int
    passage_rank: int | None  # fused rank of its chunk in hybrid retrieval (None: not in the pool)


@dataclass(frozen=True)
class CandidatePool:
    candidates: tuple[Candidate, ...]
    passages: dict[str, Passage]  # chunk id → passage, for every candidate's chunk
    hybrid_order: tuple[str, ...]  # chunk ids in fused retrieval order
    max_cosine: float
    max_keyword: float


@dataclass(frozen=True)
class ScoredSentence:
    candidate: Candidate
    probability: float  # the ranker's P(this sentence states the answer)
    features: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class RankedEvidence:
    sentences: tuple[ScoredSentence, ...]  # best first
    pool: CandidatePool

    def passage(self, sentence: ScoredSentence) -> Passage:
        return self.pool.passages[sentence.candidate.chunk_id]

    def top_passages(self, k: int) -> list[Passage]:
        """The chunks holding the best sentences, best first: what the answer was read from."""
        seen: dict[str, Passage] = {}
        for sentence in self.sentences:
            chunk_id = sentence.candidate.chunk_id
            if chunk_id not in seen:
                seen[chunk_id] = self.pool.passages[chunk_id]
            if len(seen) >= k:
                break
        return list(seen.values())


class Decision(StrEnum):
    ANSWER = "answer"
    PARTIAL = "partial"  # related evidence exists, but it does not answer the question
    NONE = "none"  # nothing related


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    probability: float  # P(the evidence answers the question)
    reason: str  # for the retrieval-details view: which signal decided
    signals: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def answers(self) -> bool:
        return self.decision == Decision.ANSWER


@dataclass(frozen=True)
class Draft:
    """An answer before it becomes an Answer: text with [n] markers and what each marker cites."""

    text: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    related: tuple[Citation, ...] = ()  # a partial refusal's quotes: related, but not an answer
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LlmOutcome:
    """What the LLM generator gives back: its draft, or None (show the extractive answer) and why."""

    draft: Draft | None
    notes: tuple[str, ...] = ()
