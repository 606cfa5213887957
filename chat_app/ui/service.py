"""The one Assistant every browser session shares: loaded once, used by one request at a time.

Gradio already queues the events that reach it (one shared concurrency slot); the lock makes the
service safe on its own, whoever calls it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from chat_app.answer import Answer
from chat_app.assistant import Assistant, History
from chat_app.config import KzqaConfig
from chat_app.ui.documents import DocumentFolder, UploadRejected
from chat_app.ui.errors import friendly_message
from index.embedder import Embedder
from ingest import corpus_files

log = logging.getLogger(__name__)

WARM_UP_QUESTION = "哈萨克斯坦与俄罗斯的关系"
Progress = Callable[[int, int], None]  # (chunks embedded so far, chunks to embed)
Status = Callable[[str], None]


class ServiceError(Exception):
    """A request failed; the message is meant for the person who made it."""


@dataclass
class LibraryUpdate:
    """What one upload or removal did to the user documents and the index."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # one user-readable reason per file
    indexed_chunks: int | None = None  # chunks in the index afterwards (None: the index was not updated)
    error: str | None = None  # the update failed; the files are stored and are indexed by the next update


class AssistantService:
    def __init__(self, config: KzqaConfig, assistant: Assistant | None, startup_error: str | None):
        self.config = config
        self.startup_error = startup_error
        self._assistant = assistant
        self._lock = threading.Lock()
        self._progress: Progress | None = None  # the current request's progress bar, if it shows one
        self.documents = DocumentFolder(
            config.documents_dir, reserved_names=_corpus_names(config), corpus_dir=config.corpus_dir
        )

    @classmethod
    def start(
        cls, config: KzqaConfig, *, status: Status | None = None, embedder: Embedder | None = None
    ) -> AssistantService:
        """Load the model and index (building the index if missing). A failure is kept, not raised:
        the UI still opens and says what went wrong."""
        service = cls(config, None, None)
        try:
            assistant = Assistant(config, status=status, progress=service._forward_progress, embedder=embedder)
            # The first question pays for jieba's dictionary and the first model calls (~2 s); pay it here.
            assistant.ask(WARM_UP_QUESTION)
            service._assistant = assistant
        except Exception as error:
            log.exception("the assistant could not start")
            service.startup_error = friendly_message(error)
        return service

    # -- what the UI reads ------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self._assistant is not None

    @property
    def llm_available(self) -> bool:
        return self._assistant is not None and self._assistant.llm_available

    # -- requests ---------------------------------------------------------------------------
    def stream(self, question: str, history: History, *, k: int, generator: str) -> Iterator[str | Answer]:
        """Previews, then the final Answer; any failure becomes a ServiceError with a friendly message."""
        assistant = self._running()
        with self._lock:
            try:
                yield from assistant.stream(question, history, k=k, generator=generator)
            except Exception as error:
                log.exception("answering %r failed", question)
                raise ServiceError(friendly_message(error)) from None

    def add_documents(self, uploads: Sequence[Path], *, progress: Progress | None = None) -> LibraryUpdate:
        update = LibraryUpdate()
        with self._lock:
            for upload in uploads:
                try:
                    update.added.append(self.documents.add(upload).name)
                except UploadRejected as problem:
                    update.rejected.append(str(problem))
            if update.added:
                self._reindex(update, progress)
        return update

    def remove_documents(self, names: Sequence[str], *, progress: Progress | None = None) -> LibraryUpdate:
        update = LibraryUpdate()
        with self._lock:
            for name in names:
                try:
                    self.documents.remove(name)
                    update.removed.append(name)
                except UploadRejected as problem:
                    update.rejected.append(str(problem))
            if update.removed:
                self._reindex(update, progress)
        return update

    # -- internals --------------------------------------------------------------------------
    def _running(self) -> Assistant:
        if self._assistant is None:
            raise ServiceError(f"kzqa could not start, so it cannot answer: {self.startup_error}")
        return self._assistant

    def _reindex(self, update: LibraryUpdate, progress: Progress | None) -> None:
        if self._assistant is None:
            update.error = f"kzqa could not start: {self.startup_error}"
            return
        self._progress = progress
        try:
            summary = self._assistant.reindex()
        except Exception as error:
            log.exception("updating the index failed")
            update.error = friendly_message(error)
            return
        finally:
            self._progress = None
        update.indexed_chunks = summary.chunks
        update.rejected.extend(f"{skipped.source}: {skipped.reason}" for skipped in summary.skipped)

    def _forward_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(done, total)


def _corpus_names(config: KzqaConfig) -> set[str]:
    return {path.name for path in corpus_files(config.corpus_dir)} if config.corpus_dir.is_dir() else set()
