"""Run a piece of work (a document update: parsing, embedding) at a lower CPU priority, so the
questions answered meanwhile get the CPU first on a 2-core machine.

Linux keeps a nice value per thread. A thread cannot raise its own priority back without
privileges, and gradio reuses its worker threads for later events (questions among them), so the
work runs in a short-lived thread of its own while the caller waits for it.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import TypeVar

T = TypeVar("T")
NICENESS = 10  # added to the caller's: CFS then gives the thread about a tenth of its CPU when both want it
LOWEST = 19


def run_at_low_priority(work: Callable[[], T], *, name: str = "kzqa-low-priority") -> T:
    """`work()`'s result or exception, computed in a lower-priority thread. Context variables
    (gradio's progress bar for the current event) are carried over."""
    context = contextvars.copy_context()
    outcome: dict[str, object] = {}

    def run() -> None:
        with suppress(OSError, AttributeError):  # another OS, or not permitted: normal priority is fine
            thread = threading.get_native_id()  # a new thread starts with its creator's nice value
            os.setpriority(os.PRIO_PROCESS, thread, min(LOWEST, os.getpriority(os.PRIO_PROCESS, thread) + NICENESS))
        try:
            outcome["value"] = context.run(work)
        except BaseException as error:  # handed to the caller, whose thread raises it
            outcome["error"] = error

    worker = threading.Thread(target=run, name=name, daemon=True)  # a kill mid-build is safe for the index
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
