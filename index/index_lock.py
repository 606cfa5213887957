"""One writer at a time per data dir: `kzqa index`, an upload's re-index, and the cleanup a reader
runs after moving to a new build all take this lock (an advisory flock, released if the process dies)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.errors import IndexBeingUpdated
from index.file_lock import file_lock

LOCK_FILE = ".index.lock"


class IndexBusy(IndexBeingUpdated):
    """Another `kzqa index` is writing this data directory."""


@contextmanager
def exclusive(data_dir: Path) -> Iterator[None]:
    """Hold the lock, or raise IndexBusy at once if another writer holds it."""
    with file_lock(data_dir / LOCK_FILE, wait=False) as held:
        if not held:
            raise IndexBusy(f"another `kzqa index` is updating {data_dir}; wait for it to finish")
        yield


@contextmanager
def exclusive_if_free(data_dir: Path) -> Iterator[bool]:
    """Hold the lock if nobody else does; yields whether it is held (work that can wait skips)."""
    with file_lock(data_dir / LOCK_FILE, wait=False) as held:
        yield held

