"""Give back the pages of the model's word-embedding table after each forward pass.

transformers maps a safetensors file privately and reads the weights in place. The e5 word-embedding
table is 250,037 × 384 floats (366 MB), of which a question reads a few dozen rows; but each row read
maps the pages around it (the kernel faults in 64 KB at a time), so a server's RSS grew by about 3 MB
per new question until most of the table was resident. Dropping the table's page mappings after each
pass keeps only the encoder's weights resident; the pages stay in the kernel's page cache, so the next
lookup is a minor fault (benchmarks/serving_latency.py measures both).

No library offers this: it is Linux's madvise(MADV_DONTNEED), called through ctypes. On a private
file mapping it drops the pages, and a later read maps the file's bytes again. Those bytes are the
weights themselves (safetensors stores the tensor as it is used), so nothing can change. On anonymous
memory it would zero the weights instead: the table is released only when it lies inside a mapping of
a file whose pages nobody has written (no private copies), and otherwise left alone.
"""

from __future__ import annotations

import ctypes
import mmap
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

_MAPS = Path("/proc/self/smaps")


@dataclass(frozen=True)
class MappedTable:
    """The whole pages of a tensor's memory that belong to a file mapping: [start, start + length)."""

    start: int
    length: int
    file: str

    def release(self) -> None:
        """Drop the pages from this process's memory; the next read maps them again from the page cache."""
        _madvise()(self.start, self.length, mmap.MADV_DONTNEED)


def mapped_table(tensor: Any) -> MappedTable | None:
    """The releasable part of a contiguous CPU `tensor` read in place from a file, or None when it is not
    (another platform, a copy in ordinary memory, a mapping with written pages, a table under a page)."""
    if not sys.platform.startswith("linux") or not hasattr(mmap, "MADV_DONTNEED"):
        return None
    if tensor.device.type != "cpu" or not tensor.is_contiguous():
        return None
    begin = tensor.data_ptr()
    end = begin + tensor.numel() * tensor.element_size()
    page = mmap.PAGESIZE
    start, stop = -(-begin // page) * page, end // page * page
    if stop <= start:
        return None
    mapping = _mapping_holding(begin, end)
    if mapping is None:
        return None
    file, written_kb = mapping
    if not file.startswith("/") or written_kb:
        return None
    return MappedTable(start=start, length=stop - start, file=file)


def _mapping_holding(begin: int, end: int) -> tuple[str, int] | None:
    """(path, kB of private copies) of the one mapping that holds [begin, end), read from /proc/self/smaps."""
    try:
        lines = _MAPS.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    found: tuple[str, int] | None = None
    inside = False
    for line in lines:
        head = line.split(maxsplit=5)
        if head and "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
            low, _, high = head[0].partition("-")
            try:
                inside = int(low, 16) <= begin and end <= int(high, 16)
            except ValueError:
                inside = False
            if inside:
                found = (head[5].strip() if len(head) > 5 else "", 0)
        elif inside and found is not None and line.startswith("Anonymous:"):
            found = (found[0], int(line.split()[1]))
    return found


@cache
def _madvise():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    libc.madvise.restype = ctypes.c_int
    return libc.madvise
