"""The one Assistant every browser session shares: loaded once, answering one question at a time.

Questions and document updates have separate locks (and separate gradio queues). An update parses
and embeds its documents into a new index build while questions keep being answered from the
current one; the Assistant switches to the new build only once it is complete. So a slow upload
never makes anyone wait for an answer, only the next upload waits for it; and it runs at a lower
CPU priority, so answers stay quick while it works.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from chat_app.answer import Answer
from chat_app.assistant import Assistant, History, QuestionError
from chat_app.config import KzqaConfig
from chat_app.owners import Owner
from chat_app.search_scope import SearchScope
from chat_app.ui.documents import DocumentFolder, UploadRejected, UserDocument
from chat_app.ui.errors import friendly_message
from chat_app.ui.low_priority import run_at_low_priority
from index.cross_lingual import load_english_names
from index.embedder import Embedder
from ingest import corpus_files
from ingest.errors import KzqaError

log = logging.getLogger(__name__)

WARM_UP_QUESTION = "哈萨克斯坦与俄罗斯的关系"
NO_OWNER = "this page session has no identity yet (it did not finish loading); reload the page, then add it again"
Progress = Callable[[int, int], None]  # (chunks embedded so far, chunks to embed)
Status = Callable[[str], None]


class ServiceError(KzqaError):
    """A request failed; the message is meant for the person who made it."""


class QuestionRejected(ServiceError):
    """Nothing failed: the question cannot be answered as asked (only punctuation, …); the message says why."""


@dataclass
class LibraryUpdate:
    """What one upload or removal did to the user documents and the index."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # one user-readable reason per file
    indexed_chunks: int | None = None  # chunks in the index afterwards (None: the index was not updated)
    error: str | None = None  # the update failed; the files are stored and are indexed by the next update


@dataclass(frozen=True)
class StartupStatus:
    """How far loading the model and building or opening the index has got, for the page to show."""

    started: bool  # finished, successfully or not
    message: str  # the latest step, e.g. "embedding 118 new chunks"
    done: int = 0  # chunks embedded so far, while the index is being built
    total: int = 0
    error: str | None = None


class AssistantService:
    def __init__(self, config: KzqaConfig, assistant: Assistant | None, startup_error: str | None):
        self.config = config
        self.startup_error = startup_error
        self._assistant = assistant
        self._answering = threading.Lock()  # one question at a time: 2 cores, and answers stream
        self._updating = threading.Lock()  # one library change (and index build) at a time
        self._progress: Progress | None = None  # the current request's progress bar, if it shows one
        self._started = threading.Event()
        if assistant is not None or startup_error is not None:
            self._started.set()
        self._startup_message = "loading the embedding model"
        self._startup_counts = (0, 0)
        self.documents = DocumentFolder(
            config.documents_dir, reserved_names=_corpus_names(config), corpus_dir=config.corpus_dir
        )
        # Uploads go to one library everyone reads only when the operator asked for it.
        self.shared_library = config.shared_library

    @classmethod
    def start(
        cls, config: KzqaConfig, *, status: Status | None = None, embedder: Embedder | None = None
    ) -> AssistantService:
        """Load the model and index (building the index if missing), then return. A failure is kept,
        not raised: the UI still opens and says what went wrong."""
        service = cls(config, None, None)
        service._load(status, embedder)
        return service

    @classmethod
    def start_in_background(
        cls,
        config: KzqaConfig,
        *,
        status: Status | None = None,
        embedder: Embedder | None = None,
        on_started: Callable[[AssistantService], None] | None = None,
    ) -> AssistantService:
        """Return at once and load in a thread, so the page can open and show the progress of a
        first index build (minutes on a large corpus) instead of a browser that cannot connect."""
        service = cls(config, None, None)

        def load() -> None:
            service._load(status, embedder)
            if on_started is not None:
                on_started(service)

        threading.Thread(target=load, name="kzqa-startup", daemon=True).start()
        return service

    def _load(self, status: Status | None, embedder: Embedder | None) -> None:
        def note(message: str) -> None:
            self._startup_message = message
            if status is not None:
                status(message)

        try:
            assistant = Assistant(self.config, status=note, progress=self._forward_progress, embedder=embedder)
            # The first question pays for the first model calls (~1 s), and the first English answer
            # for CC-CEDICT's names (1-2 s while they are built into the cache, once): pay both here.
            note("warming up")
            assistant.ask(WARM_UP_QUESTION)
            load_english_names()
            self._assistant = assistant
        except Exception as error:
            log.exception("the assistant could not start")
            self.startup_error = friendly_message(error)
        finally:
            self._started.set()

    # -- what the UI reads ------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self._assistant is not None

    @property
    def llm_offered(self) -> bool:
        """Whether the page offers the LLM: before start-up has finished, the configuration says."""
        return self.llm_available if self.started else self.config.llm_configured

    @property
    def started(self) -> bool:
        return self._started.is_set()

    def startup_status(self) -> StartupStatus:
        done, total = self._startup_counts
        return StartupStatus(self.started, self._startup_message, done, total, self.startup_error)

    def wait_until_started(self, timeout: float | None = None) -> bool:
        return self._started.wait(timeout)

    @property
    def llm_available(self) -> bool:
        return self._assistant is not None and self._assistant.llm_available

    def scope(self, owner: Owner | None) -> SearchScope:
        """What `owner`'s questions are answered from (before start-up: the articles)."""
        if self._assistant is None:
            return SearchScope(articles=len(_corpus_names(self.config)))
        try:
            return self._assistant.scope(owner=owner)
        except Exception:  # the count is decoration: never fail a page over it
            log.exception("counting what %s searches failed", owner)
            return SearchScope(articles=len(_corpus_names(self.config)))

    def library(self, owner: Owner | None) -> list[UserDocument]:
        """The added documents `owner` reads: the shared ones, then their own."""
        return self.documents.documents(owner)

    def removable(self, document: UserDocument) -> bool:
        """Whether the reader may remove `document`: their own, or any in a shared library."""
        return self.shared_library or not document.shared

    # -- requests ---------------------------------------------------------------------------
    def stream(
        self, question: str, history: History, *, k: int, generator: str, owner: Owner | None = None
    ) -> Iterator[str | Answer]:
        """Previews, then the final Answer; any failure becomes a ServiceError with a friendly message.
        `owner`: whose private documents are read besides the public ones."""
        assistant = self._running()
        with self._answering:
            try:
                yield from assistant.stream(question, history, k=k, generator=generator, owner=owner)
            except QuestionError as problem:
                raise QuestionRejected(str(problem)) from None
            except Exception as error:
                log.exception("answering %r failed", question)
                raise ServiceError(friendly_message(error)) from None

    def article_text(self, source: str, *, owner: Owner | None = None) -> str | None:
        """The cleaned text a citation of `source` points into (None: no longer indexed), for the article
        viewer: of the document `owner` reads under that name, never another owner's of the same name."""
        return self._running().article_text(source, owner=owner)

    def add_documents(
        self, uploads: Sequence[Path], *, owner: Owner | None, progress: Progress | None = None
    ) -> LibraryUpdate:
        """Store `uploads` as `owner`'s private documents (in a shared library: everyone's), then re-index."""
        self._started.wait()  # the start-up build reads the documents folder: change it only afterwards
        with self._updating:
            return run_at_low_priority(lambda: self._add(uploads, owner, progress), name="kzqa-add-documents")

    def remove_documents(
        self, names: Sequence[str], *, owner: Owner | None, progress: Progress | None = None
    ) -> LibraryUpdate:
        """Remove the documents `owner` may remove (their own; in a shared library, shared ones too)."""
        self._started.wait()  # the start-up build reads the documents folder: change it only afterwards
        with self._updating:
            return run_at_low_priority(lambda: self._remove(names, owner, progress), name="kzqa-remove-documents")

    # -- internals --------------------------------------------------------------------------
    def _running(self) -> Assistant:
        self._started.wait()  # a request during start-up is answered once the index is ready
        if self._assistant is None:
            raise ServiceError(f"kzqa could not start, so it cannot answer: {self.startup_error}")
        return self._assistant

    def _add(self, uploads: Sequence[Path], owner: Owner | None, progress: Progress | None) -> LibraryUpdate:
        update = LibraryUpdate()
        if owner is None and not self.shared_library:
            update.rejected = [f"{upload.name}: {NO_OWNER}" for upload in uploads]
            return update
        keeper = None if self.shared_library else owner
        for upload in uploads:
            try:
                update.added.append(self.documents.add(upload, keeper).name)
            except UploadRejected as problem:
                update.rejected.append(str(problem))
        if update.added:
            self._reindex(update, owner, progress)
        return update

    def _remove(self, names: Sequence[str], owner: Owner | None, progress: Progress | None) -> LibraryUpdate:
        update = LibraryUpdate()
        for name in names:
            try:
                self.documents.remove(name, self._keeper_of(name, owner))
                update.removed.append(name)
            except UploadRejected as problem:
                update.rejected.append(str(problem))
        if update.removed:
            self._reindex(update, owner, progress)
        return update

    def _keeper_of(self, name: str, owner: Owner | None) -> Owner | None:
        """Whose folder `owner`'s removal of `name` acts on: their own, or the shared library's when it is
        shared and they have no document of that name. Anyone else's folder is never looked at."""
        if owner is not None and self.documents.owns(owner, name):
            return owner
        if self.shared_library:
            return None
        raise UploadRejected(f"{name}: not in the added documents (already removed?)")  # theirs to remove: none

    def _reindex(self, update: LibraryUpdate, owner: Owner | None, progress: Progress | None) -> None:
        if self._assistant is None:
            update.error = f"kzqa could not start: {self.startup_error}"
            return
        self._progress = progress
        try:
            # Builds beside the index in use, then switches: questions meanwhile are answered from the old one.
            summary = self._assistant.reindex()
        except Exception as error:
            log.exception("updating the index failed")
            update.error = friendly_message(error)
            return
        finally:
            self._progress = None
        update.indexed_chunks = summary.chunks
        update.rejected.extend(f"{skipped.source}: {skipped.reason}" for skipped in summary.skipped)
        mine = [p.skipped for p in summary.private_skipped if owner is not None and p.owner == owner.key]
        update.rejected.extend(f"{skipped.source}: {skipped.reason}" for skipped in mine)  # nobody else's

    def _forward_progress(self, done: int, total: int) -> None:
        if not self.started:
            self._startup_counts = (done, total)
        elif self._progress is not None:
            self._progress(done, total)


def _corpus_names(config: KzqaConfig) -> set[str]:
    return {path.name for path in corpus_files(config.corpus_dir)} if config.corpus_dir.is_dir() else set()
