"""What reading a file's content produced, remembered by that content, so a long-running server
parses only new or changed files: every library update re-reads all stored documents, and without
this each one was parsed again (seconds each for a large upload, minutes before parsing was linear).

Hand-written: llama-index's IngestionCache keys on node text after reading, so it cannot skip the
decoding and parsing this is for, and it does not remember why a file was skipped.

Entries are keyed by a digest of the raw bytes plus everything else the result depends on (the
name it is cited under, the budget, the chunker's settings); a hit returns a deep copy, because
callers tag chunks in place (owners, ids). A skipped file is remembered with its reason, a timeout
included: a file that used up its time once would use it up again on every update. A new process
starts empty, so `kzqa index` and a restarted server read every file afresh.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from ingest.errors import UnusableFile

Result = TypeVar("Result")
# An upload is at most 20 MB and a server keeps ≤ a few hundred documents; 64 MB of source bytes
# holds every realistic library while bounding what a flood of distinct uploads can pin in memory.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 512


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


class ParseCache:
    """A bounded, thread-safe, least-recently-used memory of parse results and parse failures."""

    def __init__(self, *, max_bytes: int = DEFAULT_MAX_BYTES, max_entries: int = DEFAULT_MAX_ENTRIES):
        self.max_bytes, self.max_entries = max_bytes, max_entries
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def remember(self, key: Hashable, size: int, make: Callable[[], Result]) -> Result:
        """`make()`'s result for `key` (a copy of the remembered one when there is one). An
        UnusableFile it raises is remembered and raised again; any other error is not remembered."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
        if entry is not None:
            return _replayed(entry[0])
        try:
            made: object = make()
        except UnusableFile as problem:
            self._store(key, problem.with_traceback(None), size)
            raise
        self._store(key, copy.deepcopy(made), size)  # the caller may change what it was given
        return made  # type: ignore[return-value]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def entries(self) -> int:
        return len(self._entries)

    def _store(self, key: Hashable, value: object, size: int) -> None:
        if size > self.max_bytes:
            return  # larger than the whole cache: parsing it again is the only bounded choice
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= previous[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes or len(self._entries) > self.max_entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped


def remembered(cache: ParseCache | None, key: Hashable, size: int, make: Callable[[], Result]) -> Result:
    """`make()`, through `cache` when there is one (None: always made afresh)."""
    return make() if cache is None else cache.remember(key, size, make)


def _replayed(value: object):
    if isinstance(value, UnusableFile):
        raise value
    return copy.deepcopy(value)


# The one cache of this process: the server's updates and its upload checks share what each parsed.
PARSE_CACHE = ParseCache()
