"""The index a long-running reader (the chat server, an Assistant) answers from.

It answers from the build it opened until a newer build is switched in by `kzqa index` (in this
process or another), then moves to that build at the start of the next request. Noticing costs
one stat of manifest.json per request: the manifest is replaced, never edited, on every switch.
Requests already running finish on the build they started with; the old build's lease is given
up when the last of them ends, and its folder and collection are then dropped if no other reader
holds them. A newer build that cannot be opened (damaged, half-copied) is reported and the
current one kept.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from index.cleanup import remove_unused_if_idle
from index.embedder import Embedder
from index.hybrid_retriever import HybridRetriever
from index.manifest import IndexCorrupt, IndexMissing, manifest_stamp, read_manifest
from index.settings import IndexSettings
from index.vector_store import forget_cached_clients

log = logging.getLogger(__name__)

Served = TypeVar("Served")  # what the caller builds over a retriever (the answer pipeline)


@dataclass
class _Build(Generic[Served]):
    retriever: HybridRetriever
    served: Served
    users: int = 0
    retired: bool = False  # a newer build is in use; close this one when its last user is done


class LiveIndex(Generic[Served]):
    def __init__(
        self,
        settings: IndexSettings,
        *,
        embedder: Embedder,
        derive: Callable[[HybridRetriever], Served],
        say: Callable[[str], None] | None = None,
    ):
        """Open the current build (raising IndexMissing, IndexCorrupt … as HybridRetriever does);
        `derive(retriever)` makes what requests use, once per build."""
        self._settings = settings
        self._embedder = embedder
        self._derive = derive
        self._say = say or (lambda _message: None)
        self._lock = threading.Lock()  # guards the current build and the user counts
        self._reloading = threading.Lock()  # one reload at a time; other requests keep answering
        self._stamp = manifest_stamp(settings.data_dir)
        retriever = HybridRetriever(settings, embedder=embedder)
        self._current = _Build(retriever, derive(retriever))

    @property
    def retriever(self) -> HybridRetriever:
        """The build in use now (for counts and vocabularies, not for a whole request: use `use`)."""
        return self._current.retriever

    @contextmanager
    def use(self) -> Iterator[Served]:
        """What to answer one request with: from the newest build, kept open until the request ends."""
        self.refresh()
        with self._lock:
            build = self._current
            build.users += 1
        try:
            yield build.served
        finally:
            with self._lock:
                build.users -= 1
                done = build.retired and build.users == 0
            if done:
                self._close(build)

    def refresh(self) -> bool:
        """Move to the current build if a newer one was switched in; True when it moved."""
        if manifest_stamp(self._settings.data_dir) == self._stamp:
            return False
        with self._reloading:
            stamp = manifest_stamp(self._settings.data_dir)  # taken before reading: a later switch is seen next time
            if stamp == self._stamp:
                return False  # another request has just reloaded
            self._stamp = stamp  # also when the reload fails: retry only when the manifest changes again
            opened = self._open_newer()
            if opened is None:
                return False
            with self._lock:
                old, self._current = self._current, opened
                old.retired = True
                idle = old.users == 0
            self._say(f"now answering from index build {opened.retriever.build_id}")
            if idle:
                self._close(old)
            return True

    def _open_newer(self) -> _Build[Served] | None:
        current = self._current.retriever.build_id
        try:
            if read_manifest(self._settings.data_dir).build_id == current:
                return None
        except (IndexMissing, IndexCorrupt) as problem:
            self._report(f"the index manifest cannot be read ({problem}); still answering from build {current}")
            return None
        if not self._settings.chroma_url:
            forget_cached_clients()  # a fresh view of the store: another process may have added vectors
        try:
            retriever = HybridRetriever(self._settings, embedder=self._embedder)
        except Exception as problem:  # whatever went wrong, the build in use still answers
            self._report(f"the new index build cannot be opened ({problem}); still answering from build {current}")
            return None
        try:
            return _Build(retriever, self._derive(retriever))
        except BaseException:
            retriever.close()
            raise

    def _close(self, build: _Build[Served]) -> None:
        build.retriever.close()
        remove_unused_if_idle(self._settings)

    def _report(self, message: str) -> None:
        log.warning("%s", message)
        self._say(message)
