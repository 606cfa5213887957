"""Lookup tables built once from a package's data file and kept in the user cache.

A table (jieba's dictionary, CC-CEDICT's English names) is built from its source file the first time
any kzqa process needs it, into a folder named after the source's checksum, and every later process
memory-maps the files there instead of reading the source into Python objects again. Building goes
into a temporary folder renamed into place, so a process never sees half a table, and two processes
building at once both end up with a whole one.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

import platformdirs

CACHE_ROOT = Path(platformdirs.user_cache_dir("kzqa")) / "tables"

Table = TypeVar("Table")
TrieType = TypeVar("TrieType")


def stream_digest(source: BinaryIO) -> str:
    return hashlib.file_digest(source, "sha256").hexdigest()


def cached_table(
    name: str,
    digest: str,
    build: Callable[[Path], None],
    load: Callable[[Path], Table],
    root: Path | None = None,
) -> Table:
    """`load(folder)` of the folder `build(folder)` filled for this source digest.

    A folder that fails to load (cut short by a full disk, edited by hand) is built again. Where the
    cache can't be written (read-only, or full), the table is built in a temporary folder for this
    process alone (its files stay mapped after the folder is removed)."""
    root = CACHE_ROOT if root is None else root
    folder = root / f"{name}-{digest[:16]}"
    if folder.is_dir():
        try:
            return load(folder)
        except (OSError, ValueError):
            shutil.rmtree(folder, ignore_errors=True)
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root))
    except OSError:
        return _private_table(name, build, load)
    try:
        build(staging)
        _move_into_place(staging, folder)
    except OSError:  # the cache's disk is full or turned read-only: build one for this process alone
        shutil.rmtree(staging, ignore_errors=True)
        return _private_table(name, build, load)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        release_freed_memory()
    return load(folder)


def _move_into_place(staging: Path, folder: Path) -> None:
    try:
        staging.rename(folder)
    except OSError:  # another process put its folder there first: use that one
        if not folder.is_dir():
            raise


def mapped_trie(trie: TrieType, path: Path) -> TrieType:
    """`trie` (an empty marisa_trie Trie or BytesTrie) mapped onto the file at path; ValueError if the
    file is not a whole trie (marisa reports that as a RuntimeError)."""
    try:
        trie.mmap(str(path))
    except RuntimeError as error:
        raise ValueError(f"{path} is not a complete trie: {error}") from None
    return trie


def _private_table(name: str, build: Callable[[Path], None], load: Callable[[Path], Table]) -> Table:
    with tempfile.TemporaryDirectory(prefix=f"kzqa-{name}-") as folder:
        build(Path(folder))
        release_freed_memory()
        return load(Path(folder))


def release_freed_memory() -> None:
    """Give the C heap's freed pages back to the system (glibc only).

    A build frees several hundred thousand temporary strings and the trie builder's work arrays; glibc
    keeps that memory (~35 MB for jieba's dictionary) in the process unless asked to return it."""
    if os.name != "posix":
        return
    with contextlib.suppress(AttributeError, OSError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)
