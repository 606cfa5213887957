"""Drive the running chat UI with concurrent conversations; count errors and cross-talk.

    .venv/bin/python benchmarks/load_test.py [--conversations 20] [--seconds 60] [--url http://127.0.0.1:7860]

Without --url it starts `kzqa chat` on a free loopback port itself (and reports that server's peak
RSS). Each conversation is its own gradio_client session asking a mix of questions and elliptical
follow-ups; cross-talk is a chat history that holds a question this conversation never asked.
Results: benchmarks/results/load_test.{json,md}. A short run (5 x 10 s) is a test:
tests/chat_app/ui/test_load.py.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.chat_server import start_chat_server  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
# Opening questions with distinct subjects, each followed by follow-ups that lean on it.
SCRIPTS = [
    ["俄哈边境线有多长？", "为什么这么长？"],
    ["集安组织是什么时候成立的？", "现在有几个成员国？"],
    ["哈萨克斯坦为什么没有支持俄罗斯？", "那中国呢？"],
    ["Why did Kazakhstan stay neutral in the war?", "What about China?"],
    ["2017到2021年俄罗斯和哈萨克斯坦GDP的比值是多少？", "1992到1996年呢？"],
    ["托卡耶夫是哪一年出生的？", "他会说汉语吗？"],
]


@dataclass
class LoadReport:
    conversations: int
    seconds: float
    requests: int = 0
    errors: int = 0
    cross_talk: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, min(len(ordered), int(-(-share * len(ordered) // 1))) - 1)] if ordered else 0.0


def run_load(url: str, *, conversations: int, seconds: float) -> LoadReport:
    os.environ["HF_HUB_OFFLINE"] = "1"  # gradio_client would otherwise contact the model hub
    from gradio_client import Client

    report = LoadReport(conversations=conversations, seconds=seconds)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def converse(number: int) -> None:
        client = Client(url, verbose=False)
        asked: list[str] = []
        script = SCRIPTS[number % len(SCRIPTS)]
        turn = 0
        while time.monotonic() < deadline:
            question = script[turn % len(script)]
            turn += 1
            asked.append(question)
            started = time.perf_counter()
            try:
                messages, _ = client.predict(question, 5, "extractive", api_name="/ask")
            except Exception as error:  # any failure counts; the sample says which
                with lock:
                    report.requests += 1
                    report.errors += 1
                    report.error_samples.append(f"{type(error).__name__}: {str(error)[:200]}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            seen = {_text(m) for m in messages if m.get("role") == "user"}
            foreign = seen - set(asked)
            with lock:
                report.requests += 1
                report.latencies_ms.append(elapsed)
                report.cross_talk += bool(foreign)

    threads = [threading.Thread(target=converse, args=(n,)) for n in range(conversations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return report


def _text(message: dict) -> str:
    """The plain question of a chat message (the UI wraps it in escaped HTML)."""
    content = message.get("content")
    if isinstance(content, list):  # gradio may send [{"type": "text", "text": …}]
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return html.unescape(re.sub(r"<[^>]+>", "", str(content))).strip()


def _start_server() -> tuple[subprocess.Popen, str]:
    server = start_chat_server()
    return server.process, server.url


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--url")
    args = parser.parse_args()
    server, url = (None, args.url) if args.url else _start_server()
    try:
        report = run_load(url, conversations=args.conversations, seconds=args.seconds)
        rss = _peak_rss_mb(server.pid) if server else None
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
    summary = {
        **{k: v for k, v in asdict(report).items() if k != "latencies_ms"},
        "latency_ms_p50": round(report.percentile(0.5)),
        "latency_ms_p95": round(report.percentile(0.95)),
        "server_peak_rss_mb": round(rss) if rss else None,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load_test.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
