"""The answer stage as one pipeline of small components; `ask`, `chat` and `stream` all run it.

    message + history ─ (traditional → simplified characters) → FollowUpResolver (he/she after a
      who-question: the person its answer names, AnswerReferent) → QuestionAnalyzer
      → CandidateRetriever → EvidenceRanker → AnswerabilityJudge
      → ExtractiveComposer (or LlmGenerator, same evidence) → CitationChecker → Answer

Nothing here keeps per-request state: every call builds its own records, so one pipeline serves
many users and threads.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from chat_app.answer import Answer, GeneratorKind
from chat_app.engine.answerability import AnswerabilityJudge
from chat_app.engine.citation_check import CitationChecker
from chat_app.engine.composer import CompositionSettings, ExtractiveComposer
from chat_app.engine.entities import EntityMatcher
from chat_app.engine.quotable import Quotability
from chat_app.engine.ranker import EvidenceRanker
from chat_app.engine.reading import Reader
from chat_app.engine.records import AnswerType, Draft, LlmOutcome, Question, RankedEvidence, Verdict
from chat_app.engine.referent import AnswerReferent
from chat_app.engine.role_names import RoleNames
from index.hybrid_retriever import HybridRetriever, RetrievalMode
from index.passage import Passage
from index.traditional_chinese import to_simplified, traditional_characters
from ingest.chinese_text import HAN_CLASS

_SPACE_IN_CHINESE = re.compile(rf"(?<=[{HAN_CLASS}])\s+(?=[{HAN_CLASS}])")

if TYPE_CHECKING:  # the generator's module imports the OpenAI client (~20 MB): only when an LLM is configured
    from chat_app.engine.llm_generator import LlmGenerator

History = Sequence[Mapping[str, str]]


@dataclass(frozen=True)
class Request:
    message: str  # already cleaned and cut to the length limit
    history: tuple[Mapping[str, str], ...] = ()
    k: int = 5
    generator: GeneratorKind = GeneratorKind.EXTRACTIVE
    notes: tuple[str, ...] = ()  # what happened to the message before (e.g. it was cut)
    started: float = field(default_factory=time.perf_counter)


@dataclass(frozen=True)
class Understood:
    """A request after the reading stages: what was asked, the evidence, and the verdict on it."""

    request: Request
    question: Question
    evidence: RankedEvidence
    verdict: Verdict
    timings: dict[str, float]


class AnswerPipeline:
    def __init__(
        self,
        retriever: HybridRetriever,
        *,
        mode: RetrievalMode = RetrievalMode.HYBRID,
        llm: LlmGenerator | None = None,
    ):
        self.reader = Reader.over(retriever, mode=mode)
        self.ranker = EvidenceRanker(self.reader.extractor)
        composition = CompositionSettings.load()
        # The judge checks the sentence the composer will open on, so it reads the same settings, the
        # same role reader and the same quotability (one entity matcher for all of them).
        entities = EntityMatcher()
        role_names, quotable = RoleNames(entities=entities), Quotability(entities=entities)
        self.judge = AnswerabilityJudge(vocabulary=self.reader.vocabulary, composition=composition,
                                        role_names=role_names, quotable=quotable)  # fmt: skip
        self.composer = ExtractiveComposer(settings=composition, role_names=role_names, quotable=quotable)
        self.checker = CitationChecker()
        self.referent = AnswerReferent(entities=entities)
        self.llm = llm
        traditional_characters()  # read now, not at the first question

    # -- stages ---------------------------------------------------------------------------------
    def understand(self, request: Request, *, refer: bool = True) -> Understood:
        """The reading stages; with `refer`, he/she after a who-question is read as the person the earlier
        question's answer names (that answer is made again, without looking further back)."""
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        request, message = _read_as_written(request)
        history = _as_written_history(request.history)
        resolved = self.reader.resolver.run(message, history)
        named = self._named_referent(message, history) if refer and resolved.followup else None
        if named is not None:
            resolved = replace(self.reader.resolver.run(named, history), message=resolved.message)
        if request.generator == GeneratorKind.LLM and self.llm is not None and resolved.followup:
            # Only a message the rules read as a follow-up is sent for rewriting: a complete question never is.
            condensed = self.llm.condense(request.message, request.history)
            if condensed:
                resolved = replace(resolved, standalone=condensed)
        question = self.reader.analyzer.run(resolved)
        pool = self.reader.pool(question)
        timings["retrieve"] = _ms(t0)
        t1 = time.perf_counter()
        evidence = self.ranker.run(question, pool)
        verdict = self.judge.run(question, evidence)
        timings["rank"] = _ms(t1)
        return Understood(request, question, evidence, verdict, timings)

    def run(self, request: Request) -> Answer:
        understood = self.understand(request)
        t0 = time.perf_counter()
        draft = self.composer.run(understood.question, understood.evidence, understood.verdict)
        generator = GeneratorKind.EXTRACTIVE
        if self._wants_llm(understood):
            outcome = self.llm.run(understood.question.standalone, self._llm_passages(understood))
            draft, generator = self._choose(draft, outcome)
        understood.timings["answer"] = _ms(t0)
        return self.finish(understood, draft, generator)

    def stream(self, request: Request) -> Iterator[str | Answer]:
        """Previews while the answer is made, then the final Answer (whose text is authoritative)."""
        understood = self.understand(request)
        t0 = time.perf_counter()
        draft = self.composer.run(understood.question, understood.evidence, understood.verdict)
        generator = GeneratorKind.EXTRACTIVE
        if self._wants_llm(understood):
            outcome: LlmOutcome | None = None
            for piece in self.llm.stream(understood.question.standalone, self._llm_passages(understood)):
                if isinstance(piece, LlmOutcome):
                    outcome = piece
                else:
                    yield piece
            if outcome is not None:
                draft, generator = self._choose(draft, outcome)
        else:
            yield from _sentence_pieces(draft.text)
        understood.timings["answer"] = _ms(t0)
        yield self.finish(understood, draft, generator)

    # -- helpers --------------------------------------------------------------------------------
    def _named_referent(self, message: str, history: tuple[dict[str, str], ...]) -> str | None:
        """`message` with he/she replaced by the person the conversation's latest who-question names
        ("马西莫夫是谁？"), or else the person its answer names ("总统是谁？"); None when none asked who."""
        where = self.referent.pronoun(message)
        users = [
            i for i, turn in enumerate(history) if turn.get("role") == "user" and str(turn.get("content", "")).strip()
        ]
        if where is None or not users:
            return None
        # The conversation's latest who-question: "他当过什么职务？" after "马西莫夫是谁？" asks no who of its own.
        asking = next((i for i in reversed(users) if self.referent.asks_who(str(history[i]["content"]))), None)
        if asking is None:
            return None
        previous, earlier = str(history[asking]["content"]).strip(), history[:asking]
        named = self.referent.named_by(previous)
        if named is not None:
            return self.referent.rewrite(message, where, named)  # "马西莫夫是谁？": he is the person it names
        if self.reader.question(previous, earlier).answer_type != AnswerType.PERSON:
            return None  # checked first: answering the earlier question again costs a retrieval
        understood = self.understand(Request(previous, earlier), refer=False)
        if not understood.verdict.answers:
            return None
        draft = self.composer.run(understood.question, understood.evidence, understood.verdict)
        if draft.refused or not draft.citations:
            return None
        person = self.referent.person(draft.citations[0].quote, previous, understood.question.focus_nouns)
        return None if person is None else self.referent.rewrite(message, where, person)

    def _wants_llm(self, understood: Understood) -> bool:
        # Refusals are decided before the LLM is asked: it gets only questions the evidence answers.
        return understood.request.generator == GeneratorKind.LLM and self.llm is not None and understood.verdict.answers

    def _llm_passages(self, understood: Understood) -> list[Passage]:
        return understood.evidence.top_passages(understood.request.k)

    @staticmethod
    def _choose(extractive: Draft, outcome: LlmOutcome) -> tuple[Draft, GeneratorKind]:
        if outcome.draft is not None and outcome.draft.text:
            return outcome.draft, GeneratorKind.LLM
        return replace(extractive, notes=(*extractive.notes, *outcome.notes)), GeneratorKind.EXTRACTIVE

    def finish(self, understood: Understood, draft: Draft, generator: GeneratorKind) -> Answer:
        passages = _shown_passages(understood, draft)
        checked = self.checker.run(draft, passages)
        understood.timings["total"] = _ms(understood.request.started)
        notes = [*understood.request.notes, *checked.notes]
        return Answer(
            question=understood.request.message,
            text=checked.text,
            refused=checked.refused,
            citations=[] if checked.refused else list(checked.citations),
            related=list(checked.related),
            passages=passages,
            generator=generator,
            notes=notes,
            timings_ms=dict(understood.timings),
            standalone_question=understood.question.standalone,
        )


def _read_as_written(request: Request) -> tuple[Request, str]:
    """(the request, noting how a message typed in traditional characters is read; its message as the
    articles would write it)."""
    simplified = to_simplified(request.message)
    if simplified != request.message:
        request = replace(request, notes=(*request.notes, f"read in simplified characters: {simplified}"))
    return request, _SPACE_IN_CHINESE.sub("", simplified)


def _as_written(text: str) -> str:
    """`text` as the articles would write it: simplified characters, no spaces between Chinese ones
    ("俄 哈 边境 有 多 长" asks 多长)."""
    return _SPACE_IN_CHINESE.sub("", to_simplified(text))


def _as_written_history(history: Sequence[Mapping[str, str]]) -> tuple[dict[str, str], ...]:
    return tuple({**turn, "content": _as_written(str(turn.get("content", "")))} for turn in history)


def _shown_passages(understood: Understood, draft: Draft) -> list[Passage]:
    """The passages the answer was read from, best first; every cited one is among them."""
    k = understood.request.k
    top = understood.evidence.top_passages(max(k, 1))
    by_chunk = {p.chunk_id: p for p in understood.evidence.pool.passages.values()}
    cited = [by_chunk[c.chunk_id] for c in (*draft.citations, *draft.related) if c.chunk_id in by_chunk]
    ordered = list(dict.fromkeys([*cited, *top]))
    return ordered[: max(k, len(dict.fromkeys(cited)))]


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


def _sentence_pieces(text: str) -> Iterator[str]:
    """Split an answer into sentence-sized previews (markers stay with their sentence)."""
    piece = ""
    for char in text:
        piece += char
        if char in "]\n" and piece.strip():
            yield piece
            piece = ""
    if piece:
        yield piece
