"""Liveness of processes: running, exited and reaped, zombie, and no pid at all."""

from __future__ import annotations

import os
import subprocess
import sys

from index.processes import pid_alive, start_time


def test_this_process_is_alive_and_has_a_start_time():
    assert pid_alive(os.getpid())
    assert start_time(os.getpid()) is not None


def test_a_process_that_exited_and_was_reaped_is_not_alive():
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    assert not pid_alive(int(child.stdout))


def test_an_exited_child_not_yet_reaped_is_not_alive():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # exited, left a zombie until waited for
    try:
        assert not pid_alive(child.pid)
    finally:
        child.wait()


def test_no_pid_or_a_nonsense_pid_is_not_alive():
    assert not pid_alive(None)
    assert not pid_alive(0)
    assert not pid_alive(-1)
