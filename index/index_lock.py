"""One writer at a time per data dir: `kzqa index`, an upload's re-index, and the cleanup a reader
runs after moving to a new build all take this lock (an advisory flock, released if the process dies)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.errors import IndexBeingUpdated

LOCK_FILE = ".index.lock"


class IndexBusy(IndexBeingUpdated):
    """Another `kzqa index` is writing this data directory."""


@contextmanager
def exclusive(data_dir: Path) -> Iterator[None]:
    """Hold the lock, or raise IndexBusy at once if another writer holds it."""
    with _locked(data_dir) as held:
        if not held:
            raise IndexBusy(f"another `kzqa index` is updating {data_dir}; wait for it to finish")
        yield


@contextmanager
def exclusive_if_free(data_dir: Path) -> Iterator[bool]:
    """Hold the lock if nobody else does; yields whether it is held (work that can wait skips)."""
    with _locked(data_dir) as held:
        yield held


@contextmanager
def _locked(data_dir: Path) -> Iterator[bool]:
    with (data_dir / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
