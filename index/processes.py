"""Whether a process is still running, and since when: the liveness check behind leases and temp folders."""

from __future__ import annotations

import os
from pathlib import Path


def pid_alive(pid: int | None) -> bool:
    if pid is None or pid <= 0:
        return False
    stat = _proc_stat(pid)
    if stat is not None:
        return stat[0] not in ("Z", "X")  # a zombie has exited; only its parent has not noticed yet
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def start_time(pid: int) -> int | None:
    stat = _proc_stat(pid)
    return int(stat[19]) if stat is not None else None


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first); None without /proc."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ["X"] if Path("/proc/self/stat").exists() else None
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # the name may itself hold spaces and parentheses
