"""Fresh clone to chat page: how long a newcomer's `make run` takes on this machine.

    python3 benchmarks/setup_time.py [--port 7871]

Clones this repository (its committed state) into a temporary folder, runs `make run` there and
times the moment http://127.0.0.1:PORT/ first answers, then stops the server. Written to
benchmarks/results/setup_time.{json,md}. uv's download cache (~/.cache/uv) is left as it is: a
machine that never ran uv also downloads the packages (about 20 s more here).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
LIMIT_S = 900


def page_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=7871)
    port = parser.parse_args().port
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as folder:
        clone = Path(folder) / "kzqa"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        started = time.perf_counter()
        server = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=clone, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, start_new_session=True)  # fmt: skip
        installed = None
        try:
            while time.perf_counter() - started < LIMIT_S and not page_answers(url):
                if installed is None and (clone / ".venv" / ".installed").exists():
                    installed = time.perf_counter() - started
                if server.poll() is not None:
                    raise SystemExit(f"`make run` stopped early:\n{server.stdout.read()}")
                time.sleep(0.5)
            page = time.perf_counter() - started
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    measured = {"install_s": round(installed or 0.0, 1), "page_s": round(page, 1), "target_page_s": 180}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "setup_time.json").write_text(json.dumps(measured, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "setup_time.md").write_text(
        "# Fresh clone to chat page (`make run`)\n\n| step | seconds |\n|---|---|\n"
        f"| venv + uv + packages (`.venv/.installed` written) | {measured['install_s']} |\n"
        f"| page answers at {url} | {measured['page_s']} |\n| target | ≤ 180 |\n",
        encoding="utf-8",
    )
    print(json.dumps(measured))


if __name__ == "__main__":
    main()
