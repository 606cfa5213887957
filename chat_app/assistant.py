"""The Python API: one Assistant loads the model and index once and answers many questions.

from chat_app import Assistant
bot = Assistant()
ans = bot.ask("哈萨克斯坦为什么没有支持俄罗斯？")
ans.text, ans.refused, ans.citations, ans.passages, ans.to_dict()
for piece in bot.stream("…"): ...      # str previews, then the final Answer
bot.chat("那中国呢？", history)          # history: [{"role": "user"|"assistant", "content": …}]
bot.ask("…", owner="alice")             # also reads alice's private documents (as with --auth)

Without `owner`, questions read the corpus and shared documents only, never anyone's private ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from chat_app.answer import Answer, Citation, GeneratorKind
from chat_app.config import ConfigError, KzqaConfig, load_config
from chat_app.engine.pipeline import AnswerPipeline, Request
from chat_app.index_settings import index_settings
from chat_app.owners import Owner, as_owner
from chat_app.question_input import History, QuestionError, clean_history, clean_question, passage_count
from chat_app.reader_pipelines import ReaderPipelines
from chat_app.search_scope import SearchScope
from chat_app.source_origin import SourceOrigins
from index.article_text import article_text
from index.embedder import Embedder
from index.hybrid_retriever import HybridRetriever
from index.indexer import IndexSummary, build_index
from index.live_index import LiveIndex
from index.manifest import IndexCorrupt, IndexMissing
from index.visibility import PUBLIC_ONLY, Visibility

Reader = Owner | str | None  # whose private documents a question may read besides the public ones


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
        self._status = status or (lambda _message: None)
        self._progress = progress
        self._embedder = embedder or Embedder.load(self._settings, progress=self._status)
        self._llm = None  # made with the first build opened (its citation check reads the build's lexicon)
        self._origins = SourceOrigins(self.config.corpus_dir)
        # Answers come from the build opened here until `kzqa index` switches in a newer one.
        self._index = self._open_or_build_index()

    # -- public API -------------------------------------------------------------------------
    @property
    def llm_available(self) -> bool:
        return self._llm is not None

    @property
    def chunk_count(self) -> int:
        return self._index.retriever.chunk_count

    def ask(self, question: str, *, k: int | None = None, generator: str | None = None, owner: Reader = None) -> Answer:
        """`owner`: whose private documents may be read too (an Owner, or a user name as with --auth)."""
        return self.chat(question, (), k=k, generator=generator, owner=owner)

    def chat(
        self,
        question: str,
        history: History,
        *,
        k: int | None = None,
        generator: str | None = None,
        owner: Reader = None,
    ) -> Answer:
        request = self._request(question, history, k, generator)
        visibility = _visibility(owner)
        with self._index.use() as pipelines:
            return self._finish(pipelines.for_reader(visibility).run(request), pipelines, visibility)

    def stream(
        self,
        question: str,
        history: History = (),
        *,
        k: int | None = None,
        generator: str | None = None,
        owner: Reader = None,
    ) -> Iterator[str | Answer]:
        """Text previews as they are produced, then the final Answer (whose text is authoritative:
        an LLM's streamed draft may lose markers its citations cannot back)."""
        request = self._request(question, history, k, generator)
        visibility = _visibility(owner)
        with self._index.use() as pipelines:
            scope = pipelines.scope(visibility, self._origins.corpus_names())
            for item in pipelines.for_reader(visibility).stream(request):
                yield self._finish(item, pipelines, visibility) if isinstance(item, Answer) else scope.fit(item)

    def scope(self, *, owner: Reader = None) -> SearchScope:
        """What questions from `owner` are answered from, counted: articles, shared and own documents."""
        with self._index.use() as pipelines:
            return pipelines.scope(_visibility(owner), self._origins.corpus_names())

    def article_text(self, source: str, *, owner: Reader = None) -> str | None:
        """The cleaned text of `source` that citations' offsets point into; None if no build chunk is from it.
        Of the documents `owner` reads only: another owner's file of the same name is never part of it."""
        return article_text(self._index.retriever.records_visible_to(_visibility(owner)), source)

    def reindex(self, *, rebuild: bool = False) -> IndexSummary:
        """Bring the index up to date with the corpus and documents folders, then reload it."""
        summary = build_index(
            self._settings, embedder=self._embedder, rebuild=rebuild, progress=self._progress, status=self._status
        )
        self._index.refresh()
        return summary

    # -- internals --------------------------------------------------------------------------
    def _open_or_build_index(self) -> LiveIndex[ReaderPipelines]:
        try:
            return self._open_index()
        except IndexMissing:
            self._status(
                "no index yet: building it once from the corpus (how long depends on the CPU and on how many "
                "passages there are to embed)"
            )
        except IndexCorrupt as problem:
            # e.g. a build from before sentence vectors existed, or damaged files: `kzqa index`
            # writes them again from the corpus, reusing the vectors
            self._status(f"completing the index ({problem})")
        summary = build_index(self._settings, embedder=self._embedder, progress=self._progress, status=self._status)
        # Whoever started this build (`kzqa ask`, `kzqa chat`) learns which files are not answerable and why.
        # Private documents are left out: their names are their owners' business, not the server log's.
        for skipped in summary.skipped:
            self._status(f"skipped {skipped.source}: {skipped.reason}")
        return self._open_index()

    def _open_index(self) -> LiveIndex[ReaderPipelines]:
        return LiveIndex(self._settings, embedder=self._embedder, derive=self._pipeline_over, say=self._status)

    def _pipeline_over(self, retriever: HybridRetriever) -> ReaderPipelines:
        """The answer pipelines over one build; made again for each newer build switched in."""
        if self.config.llm_configured:
            self._llm = self._make_llm(retriever)
        llm = self._llm
        return ReaderPipelines(retriever, lambda view: AnswerPipeline(view, mode=self.config.retrieval_mode, llm=llm))

    def _finish(self, answer: Answer, pipelines: ReaderPipelines, visibility: Visibility) -> Answer:
        scope = pipelines.scope(visibility, self._origins.corpus_names())
        return scope.fit_answer(self._origins.mark(answer))

    def _make_llm(self, retriever: HybridRetriever):
        from chat_app.engine.llm_generator import LlmGenerator  # loads the OpenAI client only when configured

        return LlmGenerator.from_config(self.config, embedder=self._embedder, lexicon=retriever.lexicon)

    def _request(self, question: str, history: History, k: int | None, generator: str | None) -> Request:
        limit = self.config.max_question_chars
        cleaned = clean_question(question, limit=limit)
        kind = _generator_kind(generator) if generator else self.config.generator
        if kind == GeneratorKind.LLM and self._llm is None:
            raise ConfigError("the LLM generator needs llm_base_url and llm_model (KZQA_LLM_BASE_URL, KZQA_LLM_MODEL)")
        return Request(
            message=cleaned.text,
            history=clean_history(history, limit=limit),
            k=passage_count(k, self.config.top_k),
            generator=kind,
            notes=cleaned.notes,
        )


def _visibility(owner: Reader) -> Visibility:
    reader = as_owner(owner)
    return PUBLIC_ONLY if reader is None else reader.visibility


def _generator_kind(value: str | GeneratorKind) -> GeneratorKind:
    """The generator asked for in one call; the configured one was read at load."""
    try:
        return GeneratorKind.from_str(str(value))
    except ValueError as error:
        raise ConfigError(str(error)) from None


__all__ = ["Answer", "Assistant", "Citation", "QuestionError"]
