"""Document updates run in a thread of lower CPU priority; results, errors and context come back."""

from __future__ import annotations

import contextvars
import os
import threading

import pytest

from chat_app.ui.low_priority import LOWEST, NICENESS, run_at_low_priority

REQUEST = contextvars.ContextVar("request", default=None)


def test_returns_the_result_computed_at_a_lower_priority():
    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen = run_at_low_priority(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    assert seen == min(LOWEST, own + NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own  # the caller is untouched


def test_raises_the_works_exception_in_the_caller():
    with pytest.raises(ValueError, match="bad upload"):
        run_at_low_priority(lambda: (_ for _ in ()).throw(ValueError("bad upload")))


def test_carries_context_variables_such_as_gradios_progress_bar():
    REQUEST.set("event-42")
    assert run_at_low_priority(REQUEST.get) == "event-42"
