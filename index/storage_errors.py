"""Recognise a full or read-only disk behind the errors the index's storage raises.

Chroma reports these as its own error types (SQLite codes 8, 10 and 13, or Rust os errors 28 and
30), not as OSError, so they can only be recognised by their text. One names no cause at all:
Chroma failing to apply its write-ahead log to a segment on a full disk ("Error in compaction:
Failed to apply logs to the metadata segment" when adding, "Error sending backfill request to
compactor: Failed to apply logs …" when reading afterwards). That one is put down to the disk only
when the disk holding the store is in fact (nearly) full.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

_STORAGE_FAILURE_TEXTS = (
    "disk is full",
    "no space left",
    "readonly database",
    "read-only file system",
    "disk i/o error",
    "os error 28",
    "os error 30",
)
_UNEXPLAINED_WRITE_FAILURES = ("error in compaction", "failed to apply logs")
# Compaction rewrites a segment, which for this index takes a few MB: less free space than this
# means the disk is why it failed. (Checked once, after the failure: not a measured budget.)
LOW_DISK_BYTES = 64 * 1024 * 1024
# OS errors that mean the disk refused the write, as opposed to a path problem (a folder where a
# file should be, a name too long …), which freeing space would not fix.
_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG})


def storage_failure(error: BaseException, *, folder: Path | None = None) -> str | None:
    """Why the disk refused a write, or None when `error` is not a storage failure. `folder`, where
    the store lives, lets an error that names no cause be checked against the free space there."""
    if isinstance(error, OSError):
        if error.errno is not None and error.errno not in _DISK_ERRNOS:
            return None
        return error.strerror or str(error)
    text = str(error)
    lowered = text.lower()
    if any(marker in lowered for marker in _STORAGE_FAILURE_TEXTS):
        return text
    if folder is not None and any(marker in lowered for marker in _UNEXPLAINED_WRITE_FAILURES):
        free = _free_bytes(folder)
        if free is not None and free < LOW_DISK_BYTES:
            return f"the disk is full ({free // 1024} KB free; Chroma said: {text})"
    return None


def _free_bytes(folder: Path) -> int | None:
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            try:
                return shutil.disk_usage(candidate).free
            except OSError:
                return None
    return None
