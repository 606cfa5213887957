"""How much one file may cost to read: a size limit checked before reading, and a deadline that
the parsers check between steps.

The deadline is cooperative: parsers call `Deadline.check()` once per line, token or paragraph.
Every step is linear in its own input and the input is capped by `max_bytes`, so a parse stops
soon after its time is up, in the thread that runs it, with nothing left running afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ingest.decoding import UnreadableInput

MIB = 1024 * 1024
# The largest article in the corpus is ~100 KB; a 10 MB text file ingests in ~3 s (see
# benchmarks/ingest_large_file.py). 20 MB keeps room for long reports and stops data dumps.
DEFAULT_MAX_BYTES = 20 * MIB
# The slowest shapes read at ~2 CPU s per MB, an ordinary article at ~0.3 s per MB
# (benchmarks/results/parse_pathological.md, ingest_large_file.md): 30 s reads a 10 MB article
# on a busy machine, and stops a runaway read well within a minute.
DEFAULT_MAX_SECONDS = 30.0

Clock = Callable[[], float]


class ParseBudgetExceeded(UnreadableInput):
    """Reading the file would cost more than its budget; it is skipped (the message says what to do)."""


class FileTooLarge(ParseBudgetExceeded):
    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(
            f"file is {describe_size(size)}, over the {describe_size(limit)} limit; split it into smaller files"
        )


class ParseTimeout(ParseBudgetExceeded):
    def __init__(self, seconds: float, stage: str):
        self.seconds, self.stage = seconds, stage
        super().__init__(
            f"{stage} stopped after {seconds:g} s (the limit per file); "
            "split it into smaller files or convert it to plain text"
        )


@dataclass(frozen=True)
class ParseBudget:
    """Limits for reading one file. `max_seconds` covers decoding, parsing, cleaning and chunking."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_seconds: float = DEFAULT_MAX_SECONDS

    def __post_init__(self) -> None:
        if self.max_bytes <= 0 or self.max_seconds < 0:
            raise ValueError(f"a parse budget needs max_bytes > 0 and max_seconds >= 0, got {self}")

    def check_size(self, size: int) -> None:
        if size > self.max_bytes:
            raise FileTooLarge(size, self.max_bytes)

    def start(self, *, clock: Clock = time.monotonic) -> Deadline:
        return Deadline(self.max_seconds, clock=clock)


class Deadline:
    """A point in time after which `check()` raises ParseTimeout."""

    def __init__(self, seconds: float, *, clock: Clock = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._ends = clock() + seconds

    @classmethod
    def unlimited(cls) -> Deadline:
        return cls(float("inf"))

    def check(self, stage: str = "parsing") -> None:
        """Raise ParseTimeout if time is up; `stage` names the step in the message."""
        if self._clock() > self._ends:
            raise ParseTimeout(self.seconds, stage)


def describe_size(size: int) -> str:
    """A size as people read it, with the exact bytes: "2.1 MB (2,202,010 bytes)". The bytes keep a
    size just over a limit from printing the same as the limit ("2.0 MB is over the 2.0 MB limit")."""
    if size < MIB:
        return f"{size / 1024:.0f} KB ({size:,} bytes)" if size >= 1024 else f"{size:,} bytes"
    megabytes = size / MIB
    shown = f"{megabytes:.0f}" if megabytes == int(megabytes) else f"{megabytes:.1f}"
    return f"{shown} MB ({size:,} bytes)"
