"""A real `kzqa chat` for the benchmarks that talk to one (load, serving latency, uploads).

It is started from this checkout on a free loopback port, and handed back once it is ready to
answer: the page is served earlier, while the model loads, and requests then would measure the
start-up instead of the server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class ChatServer:
    process: subprocess.Popen
    url: str
    ready_seconds: float  # from start to "ready to answer"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def start_chat_server(*, data_dir: Path | None = None) -> ChatServer:
    """`kzqa chat` over `data_dir` (None: the configured one). Raises RuntimeError if it cannot start."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    if data_dir is not None:
        env["KZQA_DATA_DIR"] = str(data_dir)
    command = [sys.executable, "-m", "chat_app.cli", "chat", "--port", str(port)]
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert server.stdout is not None
    for line in server.stdout:
        if "could not start" in line:
            server.kill()
            raise RuntimeError(line.strip())
        if "ready to answer" in line:
            threading.Thread(target=server.stdout.read, daemon=True).start()  # keep the pipe drained
            return ChatServer(server, f"http://127.0.0.1:{port}/", time.perf_counter() - started)
    raise RuntimeError("kzqa chat exited before it was ready")
