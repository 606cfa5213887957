"""Model folders built once into a temp folder and renamed into place: the fp32 rebuild, its int8 copy and
its compact tokenizer.

Both must never wipe a folder a user made, and an interrupted replacement must not look complete."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Collection
from pathlib import Path

from index.processes import pid_alive


def temp_folder_for(target: Path) -> Path:
    """Where this process builds `target`: beside it, so the final rename stays on one filesystem."""
    return target.parent / f".{target.name}.tmp-{os.getpid()}"


def remove_stale_temps(target: Path) -> None:
    """Delete temp folders left by killed builds (their pid is gone, or is ours from an earlier attempt)."""
    prefix = f".{target.name}.tmp-"
    for tmp in target.parent.glob(prefix + "*"):
        pid = tmp.name.removeprefix(prefix)
        if pid.isdigit() and (int(pid) == os.getpid() or not pid_alive(int(pid))):
            shutil.rmtree(tmp, ignore_errors=True)


def check_replaceable(target: Path, entries: Collection[str], refuse: Callable[[str], Exception]) -> None:
    """Raise `refuse(reason)` unless `target` is absent or holds nothing but `entries` (a build's own outputs)."""
    if not (target.exists() or target.is_symlink()):
        return
    is_folder = target.is_dir() and not target.is_symlink()
    unexpected = sorted({p.name for p in target.iterdir()} - set(entries)) if is_folder else []
    if not is_folder or unexpected:
        raise refuse(f"unexpected entries: {', '.join(unexpected)}" if unexpected else "not a folder")


def remove_build(target: Path, marker_file: str) -> None:
    """Remove an earlier build, its completion marker first: an interrupted removal must not leave it "complete"."""
    (target / marker_file).unlink(missing_ok=True)
    shutil.rmtree(target)


def install_build(tmp: Path, target: Path, *, entries: Collection[str], marker_file: str,
                  refuse: Callable[[str], Exception]) -> None:  # fmt: skip
    """Rename the finished build `tmp` to `target`, removing an earlier build there first (never a user's folder)."""
    if target.exists() or target.is_symlink():
        check_replaceable(target, entries, refuse)
        remove_build(target, marker_file)
    os.rename(tmp, target)
