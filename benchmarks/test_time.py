"""Fresh clone to a finished test suite: how long `make test` takes on this machine.

    python3 benchmarks/test_time.py

Clones this repository (its committed state) into a temporary folder with the shared corpus
folder beside it, as CI lays it out, runs `make test` there and times it. Written to
benchmarks/results/test_time.{json,md}, with pytest's summary and its slowest tests. Debian's
chromium and uv's download cache are used as this machine has them: a bare CI machine also
installs them (the apt step took about a minute there).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SHARED = ROOT.parent / "shared"
TARGET_S = 12 * 60
SLOWEST = 12
_SUMMARY = re.compile(r"^=*\s*(\d+ passed.*) in ([\d.]+)s")
_DURATION = re.compile(r"^([\d.]+)s (setup|call|teardown)\s+(\S+)")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "shared").symlink_to(SHARED)
        clone = Path(folder) / "main"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True,
                                text=True, check=True).stdout.strip()  # fmt: skip
        started = time.perf_counter()
        run = subprocess.run(["make", "test"], cwd=clone, capture_output=True, text=True)
        total = time.perf_counter() - started
    lines = run.stdout.splitlines()
    summary = next((m for m in map(_SUMMARY.match, lines) if m), None)
    slowest = [m.groups() for m in map(_DURATION.match, lines) if m][:SLOWEST]
    measured = {
        "commit": commit,
        "returncode": run.returncode,
        "make_test_s": round(total, 1),
        "pytest_s": float(summary.group(2)) if summary else None,
        "pytest_summary": summary.group(1) if summary else None,
        "target_s": TARGET_S,
        "slowest": [{"seconds": float(s), "phase": phase, "test": test} for s, phase, test in slowest],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "test_time.json").write_text(json.dumps(measured, indent=2) + "\n", encoding="utf-8")
    rows = "\n".join(f"| {s['seconds']} | {s['phase']} | `{s['test']}` |" for s in measured["slowest"])
    (RESULTS / "test_time.md").write_text(
        f"# Fresh clone to a finished `make test` (`benchmarks/test_time.py`)\n\n"
        f"Commit {commit}; `make test` exit code {run.returncode}.\n\n"
        f"| step | seconds |\n|---|---|\n"
        f"| `make test` (install, lint, pytest on two workers) | {measured['make_test_s']} |\n"
        f"| of which pytest | {measured['pytest_s']} |\n"
        f"| target | ≤ {TARGET_S} |\n\n"
        f"pytest: {measured['pytest_summary']}\n\n"
        f"Slowest tests:\n\n| seconds | phase | test |\n|---|---|---|\n{rows}\n",
        encoding="utf-8",
    )
    print(f"make test: {total:.0f} s (exit code {run.returncode}); {RESULTS / 'test_time.md'}")
    if run.returncode != 0:
        print(run.stdout[-3000:], run.stderr[-3000:])


if __name__ == "__main__":
    main()
