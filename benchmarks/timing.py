"""What the latency benchmarks share: one summary of a list of latencies, and the machine and its load.

The machine is shared (2 cores, other people's tests), so every result file records the load
average next to its numbers, and a benchmark may wait a little for a quieter moment before it starts.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from chat_app.evaluation.metrics import percentile

QUIET_LOAD = 2.5  # 1-minute load average below which 2 cores still leave one for the benchmark


@dataclass(frozen=True)
class LatencySummary:
    """Nearest-rank percentiles (the same as `kzqa eval` reports) of latencies in milliseconds."""

    count: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    mean_ms: float

    @classmethod
    def of(cls, latencies_ms: Sequence[float]) -> LatencySummary:
        if not latencies_ms:
            raise ValueError("no latencies to summarize")
        return cls(
            count=len(latencies_ms),
            p50_ms=round(percentile(latencies_ms, 0.5), 1),
            p95_ms=round(percentile(latencies_ms, 0.95), 1),
            max_ms=round(max(latencies_ms), 1),
            mean_ms=round(sum(latencies_ms) / len(latencies_ms), 1),
        )

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def load_average() -> dict[str, float]:
    one, five, fifteen = os.getloadavg()
    return {"1min": round(one, 2), "5min": round(five, 2), "15min": round(fifteen, 2)}


def machine() -> dict[str, object]:
    import torch

    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "torch_threads": torch.get_num_threads(),
    }


def wait_for_quiet(
    *,
    limit: float = QUIET_LOAD,
    patience_s: float = 300,
    say: Callable[[str], None] = print,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    read_load: Callable[[], float] = lambda: os.getloadavg()[0],
) -> float:
    """Wait (at most `patience_s`) until the 1-minute load is below `limit`; the load when it stops waiting.
    It goes ahead either way: the load is recorded with the results, so a busy run is marked as one."""
    deadline = clock() + patience_s
    load = read_load()
    while load >= limit and clock() < deadline:
        say(f"load average {load:.2f} >= {limit}: waiting for a quieter moment")
        sleep(15)
        load = read_load()
    return load
