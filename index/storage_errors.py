"""Recognise a full or read-only disk behind the errors the index's storage raises.

Chroma reports these as its own error types (SQLite codes 8, 10 and 13, or Rust os errors 28 and
30), not as OSError, so they can only be recognised by their text.
"""

from __future__ import annotations

_STORAGE_FAILURE_TEXTS = (
    "disk is full",
    "no space left",
    "readonly database",
    "read-only file system",
    "disk i/o error",
    "os error 28",
    "os error 30",
)


def storage_failure(error: BaseException) -> str | None:
    """Why the disk refused a write, or None when `error` is not a storage failure."""
    if isinstance(error, OSError):
        return error.strerror or str(error)
    text = str(error)
    if any(marker in text.lower() for marker in _STORAGE_FAILURE_TEXTS):
        return text
    return None
