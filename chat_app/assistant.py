"""The Python API: one Assistant loads the model and index once and answers many questions.

from chat_app import Assistant
bot = Assistant()
ans = bot.ask("哈萨克斯坦为什么没有支持俄罗斯？")
ans.text, ans.refused, ans.citations, ans.passages, ans.to_dict()
for piece in bot.stream("…"): ...      # str previews, then the final Answer
bot.chat("那中国呢？", history)          # history: [{"role": "user"|"assistant", "content": …}]
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence

from chat_app.answer import Answer, Citation, GeneratorKind
from chat_app.config import ConfigError, KzqaConfig, load_config
from chat_app.engine import condenser
from chat_app.engine.evidence import EmbeddingCache
from chat_app.engine.extractive import Draft, ExtractiveAnswerer
from chat_app.index_settings import index_settings
from index.embedder import Embedder
from index.hybrid_retriever import HybridRetriever, RetrievalMode
from index.indexer import IndexSummary, build_index
from index.manifest import IndexMissing

History = Sequence[Mapping[str, str]]


class QuestionError(ValueError):
    """The question cannot be answered as given (empty, …); the message says what to do."""


class Assistant:
    def __init__(
        self,
        config: KzqaConfig | None = None,
        *,
        status: Callable[[str], None] | None = None,
        progress: Callable[[int, int], None] | None = None,
        embedder: Embedder | None = None,
        **overrides,
    ):
        """Load the embedding model and the index, building the index first if there is none.

        `overrides` are configuration settings (e.g. data_dir=…, generator="llm") that win over
        kzqa.toml and the environment. `embedder` shares an already loaded model (tests, servers).
        """
        self.config = config.with_overrides(**overrides) if config else load_config(**overrides)
        self._settings = index_settings(self.config)
        self._mode = _retrieval_mode(self.config.retrieval_mode)
        self._status = status or (lambda _message: None)
        self._progress = progress
        self._embedder = embedder or Embedder.load(self._settings, progress=self._status)
        self._retriever = self._open_or_build_index()
        self._extractive = self._make_extractive()
        self._llm = self._make_llm() if self.config.llm_configured else None

    # -- public API -------------------------------------------------------------------------
    @property
    def llm_available(self) -> bool:
        return self._llm is not None

    @property
    def chunk_count(self) -> int:
        return self._retriever.chunk_count

    def ask(self, question: str, *, k: int | None = None, generator: str | None = None) -> Answer:
        return self._respond(question, (), k=k, generator=generator)

    def chat(self, question: str, history: History, *, k: int | None = None, generator: str | None = None) -> Answer:
        return self._respond(question, history, k=k, generator=generator)

    def stream(
        self, question: str, history: History = (), *, k: int | None = None, generator: str | None = None
    ) -> Iterator[str | Answer]:
        """Text previews as they are produced, then the final Answer (whose text is authoritative:
        an LLM's streamed draft may lose markers its citations cannot back)."""
        prepared = self._prepare(question, history, generator)
        kind = prepared["generator"]
        if kind == GeneratorKind.LLM and self._llm is not None:
            yield from self._llm_stream(prepared, k)
            return
        answer = self._answer(prepared, k)
        yield from _sentence_pieces(answer.text)
        yield answer

    def reindex(self, *, rebuild: bool = False) -> IndexSummary:
        """Bring the index up to date with the corpus and documents folders, then reload it."""
        summary = build_index(
            self._settings, embedder=self._embedder, rebuild=rebuild, progress=self._progress, status=self._status
        )
        self._retriever = HybridRetriever(self._settings, embedder=self._embedder)
        self._extractive = self._make_extractive()
        return summary

    # -- internals --------------------------------------------------------------------------
    def _open_or_build_index(self) -> HybridRetriever:
        try:
            return HybridRetriever(self._settings, embedder=self._embedder)
        except IndexMissing:
            self._status("no index yet: building it from the corpus (one time, about 20 s)")
            build_index(self._settings, embedder=self._embedder, progress=self._progress, status=self._status)
            return HybridRetriever(self._settings, embedder=self._embedder)

    def _make_llm(self):
        from chat_app.engine.llm_answerer import LlmAnswerer  # loads the OpenAI client only when configured

        return LlmAnswerer.from_config(self.config, embedder=self._embedder, lexicon=self._retriever.lexicon)

    def _make_extractive(self) -> ExtractiveAnswerer:
        return ExtractiveAnswerer(
            embeddings=EmbeddingCache(self._embedder),
            term_stats=self._retriever.term_stats,
            lexicon=self._retriever.lexicon,
        )

    def _respond(self, question: str, history: History, *, k: int | None, generator: str | None) -> Answer:
        prepared = self._prepare(question, history, generator)
        return self._answer(prepared, k)

    def _prepare(self, question: str, history: History, generator: str | None) -> dict:
        started = time.perf_counter()
        text = " ".join(_printable(str(question or "")).split())
        if not text:
            raise QuestionError("the question is empty: type a question about Kazakhstan, Russia, China or the West")
        notes = []
        limit = self.config.max_question_chars
        if len(text) > limit:
            text = text[:limit]
            notes.append(
                f"the question was {len(' '.join(str(question).split()))} characters; only the first {limit} were used"
            )
        kind = _generator_kind(generator or self.config.generator)
        if kind == GeneratorKind.LLM and self._llm is None:
            raise ConfigError("the LLM generator needs llm_base_url and llm_model (KZQA_LLM_BASE_URL, KZQA_LLM_MODEL)")
        standalone = text
        if history:
            standalone = self._llm.condense(text, history) if kind == GeneratorKind.LLM else None
            standalone = standalone or condenser.condense(text, history)
        return {"question": text, "standalone": standalone, "history": history, "generator": kind,
                "notes": notes, "started": started}  # fmt: skip

    def _answer(self, prepared: dict, k: int | None) -> Answer:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        passages = self._retriever.retrieve(prepared["standalone"], k=k or self.config.top_k, mode=self._mode)
        timings["retrieve"] = (time.perf_counter() - t0) * 1000
        t1 = time.perf_counter()
        draft = self._extractive_draft(prepared, passages)
        generator = GeneratorKind.EXTRACTIVE
        if prepared["generator"] == GeneratorKind.LLM and not draft.refused and self._llm is not None:
            llm_draft = self._llm.answer(prepared["standalone"], passages)
            if llm_draft is not None and llm_draft.text:
                draft, generator = llm_draft, GeneratorKind.LLM
            else:
                draft.notes.extend(self._llm.last_notes)
        timings["answer"] = (time.perf_counter() - t1) * 1000
        timings["total"] = (time.perf_counter() - prepared["started"]) * 1000
        return self._finish(prepared, passages, draft, generator, timings)

    def _extractive_draft(self, prepared: dict, passages) -> Draft:
        draft = self._extractive.answer(prepared["standalone"], passages, focus=prepared["question"])
        if prepared["standalone"] != prepared["question"] and draft.refused is False:
            draft.notes.append(f"follow-up read as: {prepared['standalone']}")
        return draft

    def _llm_stream(self, prepared: dict, k: int | None) -> Iterator[str | Answer]:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        passages = self._retriever.retrieve(prepared["standalone"], k=k or self.config.top_k, mode=self._mode)
        timings["retrieve"] = (time.perf_counter() - t0) * 1000
        t1 = time.perf_counter()
        fallback = self._extractive_draft(prepared, passages)
        if fallback.refused:
            yield fallback.text
            timings["answer"] = (time.perf_counter() - t1) * 1000
            yield self._finish(prepared, passages, fallback, GeneratorKind.EXTRACTIVE, timings)
            return
        pieces: list[str] = []
        for piece in self._llm.stream(prepared["standalone"], passages):
            pieces.append(piece)
            yield piece
        llm_draft = self._llm.finish_stream("".join(pieces), passages)
        draft, generator = (
            (llm_draft, GeneratorKind.LLM) if llm_draft is not None else (fallback, GeneratorKind.EXTRACTIVE)
        )
        if llm_draft is None:
            draft.notes.extend(self._llm.last_notes)
        timings["answer"] = (time.perf_counter() - t1) * 1000
        yield self._finish(prepared, passages, draft, generator, timings)

    def _finish(self, prepared, passages, draft: Draft, generator: GeneratorKind, timings) -> Answer:
        timings.setdefault("total", (time.perf_counter() - prepared["started"]) * 1000)
        return Answer(
            question=prepared["question"],
            text=draft.text,
            refused=draft.refused,
            citations=[] if draft.refused else list(draft.citations),
            passages=list(passages),
            generator=generator,
            notes=[*prepared["notes"], *draft.notes],
            timings_ms=timings,
            standalone_question=prepared["standalone"],
        )


def _printable(text: str) -> str:
    """Drop control and format characters (NUL, bell, zero-width …); keep letters, emoji, spaces."""
    return "".join(c for c in text if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co"))


def _retrieval_mode(value: str) -> RetrievalMode:
    try:
        return RetrievalMode.from_str(value)
    except ValueError as error:
        raise ConfigError(f"retrieval_mode: {error}") from None


def _generator_kind(value: str | GeneratorKind) -> GeneratorKind:
    try:
        return GeneratorKind.from_str(str(value))
    except ValueError as error:
        raise ConfigError(str(error)) from None


def _sentence_pieces(text: str) -> Iterator[str]:
    """Split an answer into sentence-sized previews for streaming (markers stay with their sentence)."""
    piece = ""
    for char in text:
        piece += char
        if char in "]\n" and piece.strip():
            yield piece
            piece = ""
    if piece:
        yield piece


__all__ = ["Answer", "Assistant", "Citation", "QuestionError"]
