"""Question embedding with torch's 2 threads or 1, on a quiet machine and beside two busy processes.

    .venv/bin/python benchmarks/torch_threads.py [--questions 60]

The answer-latency benchmark's first-seen p95 goes from ~70 ms (quiet) to over 1 s (load 2–6) on the
2-core machine: with two intra-op threads, each waits for the other to get a core. This measures the
question embedding alone in both settings, a passage batch (what index builds do), and whether the
vectors are bitwise the same (if not, adopting 1 thread needs a `kzqa eval` first: near ties in the
ranking could flip). Results: benchmarks/results/torch_threads.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import LatencySummary, load_average, machine, wait_for_quiet  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
BUSY = "while True: pass"
ROUNDS = 2  # each setting twice, interleaved


def measure(embedder, questions: list[str], passages: list[str], threads: int) -> dict:
    import torch

    torch.set_num_threads(threads)
    latencies = []
    for question in questions:
        started = time.perf_counter()
        embedder.embed_query(question)
        latencies.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    embedder.embed_passages(passages)
    return {"query": LatencySummary.of(latencies).to_dict(), "batch_s": round(time.perf_counter() - started, 2)}


def run(embedder, questions: list[str], passages: list[str], label: str) -> list[dict]:
    rows = []
    for _ in range(ROUNDS):
        for threads in (2, 1):
            rows.append({"machine": label, "threads": threads, "load_1min": load_average()["1min"],
                         **measure(embedder, questions, passages, threads)})  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=60)
    args = parser.parse_args()
    import numpy as np
    import torch

    from chat_app.config import load_config
    from chat_app.index_settings import index_settings
    from index.embedder import Embedder

    embedder = Embedder.load(index_settings(load_config()))
    with (ROOT / "tests" / "data" / "qa.jsonl").open(encoding="utf-8") as handle:
        every_question = [json.loads(line)["question"] for line in handle if line.strip()]
    questions = every_question[: args.questions]
    passages = [question * 4 for question in questions[:48]]  # passage-length texts, one batch

    wait_for_quiet()
    rows = run(embedder, questions, passages, "quiet")
    busy = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(2)]
    try:
        time.sleep(2)
        rows += run(embedder, questions, passages, "2 busy processes")
    finally:
        for process in busy:
            process.kill()
    torch.set_num_threads(2)
    two = np.array([embedder.embed_query(q) for q in every_question])
    torch.set_num_threads(1)
    one = np.array([embedder.embed_query(q) for q in every_question])
    same = int((two == one).all(axis=1).sum())
    result = {"machine": machine(), "rows": rows, "questions_bitwise_same": same, "questions": len(every_question),
              "max_abs_difference": float(np.abs(two - one).max())}  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "torch_threads.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    box = result["machine"]
    lines = [
        "# Question embedding: torch threads 2 vs 1, quiet and beside two busy processes",
        "",
        f"{box['machine']}, {box['cpu_count']} cores, Python {box['python']}. "
        f"{len(questions)} dev questions embedded one by one, then a batch of 48 passage-length texts; "
        f"each setting {ROUNDS} times, interleaved.",
        "",
        "| machine | threads | load (1 min) | query p50 ms | p95 ms | max ms | batch of 48 |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        query = row["query"]
        lines.append(f"| {row['machine']} | {row['threads']} | {row['load_1min']} | {query['p50_ms']} | "
                     f"{query['p95_ms']} | {query['max_ms']} | {row['batch_s']} s |")  # fmt: skip
    lines += [
        "",
        f"- Vectors bitwise the same with 1 and 2 threads: {same} of {len(every_question)} dev questions "
        f"(largest difference {result['max_abs_difference']:.1e}).",
    ]
    (RESULTS / "torch_threads.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
