"""Checksums of a build's files, recorded in the manifest when the build is written and checked
when it is opened: a file changed or cut short afterwards is found before anything reads it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

_CHUNK = 1 << 20  # bytes hashed per read: the largest build file (sentence vectors) is a few MB


class ChecksumMismatch(ValueError):
    """A build file is missing or differs from what was written; the message names the file."""


def file_checksums(folder: Path) -> dict[str, str]:
    """Every file under `folder` (path relative to it, with '/') → its SHA-256."""
    return {path.relative_to(folder).as_posix(): _sha256(path) for path in sorted(folder.rglob("*")) if path.is_file()}


def verify_checksums(folder: Path, expected: Mapping[str, str], *, only: Iterable[str] | None = None) -> None:
    """Raise ChecksumMismatch for the first recorded file that is missing or changed. `only` limits
    the check to files whose path is, or starts with, one of these names (e.g. "sentence_bm25")."""
    prefixes = tuple(only) if only is not None else None
    for name, digest in sorted(expected.items()):
        if prefixes is not None and not any(name == p or name.startswith(p + "/") for p in prefixes):
            continue
        path = folder / name
        if not path.is_file():
            raise ChecksumMismatch(f"{path} is missing")
        if _sha256(path) != digest:
            raise ChecksumMismatch(f"{path} has changed since the build was written (its checksum differs)")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()
