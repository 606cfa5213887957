"""Answers with `query_threads` 0 (torch's default: 2 threads) and 1, end to end, quiet and beside two
busy processes; written to benchmarks/results/query_threads.{json,md}.

    .venv/bin/python benchmarks/query_threads.py [--questions 120]

benchmarks/torch_threads.py timed the question embedding alone, in the main thread. This asks the
questions the way the chat server does: `Assistant.chat` called from a worker thread (torch's thread
count holds per thread), in a fresh process per run so that every question is first seen. Each
setting runs twice per machine state, interleaved. The answers of every run are compared: the
setting must not change a single one.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import LatencySummary, load_average, machine, wait_for_quiet  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
TESTSET = ROOT / "tests" / "data" / "qa.jsonl"
BUSY = "while True: pass"
ROUNDS = 2
SETTINGS = (0, 1)


def child(count: int) -> dict:
    """One run: a fresh Assistant (it reads KZQA_QUERY_THREADS); `count` questions spread over the file."""
    from chat_app import Assistant
    from chat_app.evaluation.testset import load_testset

    cases = load_testset(TESTSET)
    step = max(1, len(cases) // count)
    chosen = cases[::step][:count]
    bot = Assistant()
    bot.ask("预热")  # opens the index and loads the model outside the timed questions
    latencies, answers = [], {}
    with ThreadPoolExecutor(max_workers=1) as worker:  # not the main thread, as in the server
        for case in chosen:
            history = case.history_messages()
            started = time.perf_counter()
            answer = worker.submit(bot.chat, case.question, history).result()
            latencies.append((time.perf_counter() - started) * 1000)
            answers[case.id] = answer.text
    return {"latency": LatencySummary.of(latencies).to_dict(), "answers": answers}


def run(threads: int, count: int, label: str) -> dict:
    env = {**os.environ, "KZQA_QUERY_THREADS": str(threads)}
    before = load_average()
    result = subprocess.run([sys.executable, __file__, "--child", "--questions", str(count)], env=env,
                            capture_output=True, text=True, check=True)  # fmt: skip
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    return {"machine": label, "query_threads": threads, "load_before": before["1min"],
            "load_after": load_average()["1min"], **measured}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=120)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.questions), ensure_ascii=False))
        return
    runs = []
    wait_for_quiet()
    for _ in range(ROUNDS):
        runs += [run(threads, args.questions, "quiet") for threads in SETTINGS]
    busy = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(2)]
    try:
        time.sleep(2)
        for _ in range(ROUNDS):
            runs += [run(threads, args.questions, "2 busy processes") for threads in SETTINGS]
    finally:
        for process in busy:
            process.kill()
    reference = runs[0]["answers"]
    differing = sorted({qid for r in runs for qid, text in r["answers"].items() if text != reference[qid]})
    rows = [{k: v for k, v in r.items() if k != "answers"} for r in runs]
    result = {"machine": machine(), "questions": len(reference), "rows": rows, "answers_differing": differing}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "query_threads.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    box = result["machine"]
    lines = [
        "# Answers with query_threads 0 (torch default, 2) and 1, quiet and beside two busy processes",
        "",
        f"{box['machine']}, {box['cpu_count']} cores, Python {box['python']}. {len(reference)} dev questions "
        f"(every n-th of the file), each first seen (a fresh process per run), asked through `Assistant.chat` "
        f"from a worker thread as the chat server does; each setting {ROUNDS} times per machine state, interleaved.",
        "",
        "| machine | query_threads | load (1 min) before → after | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        latency = row["latency"]
        lines.append(f"| {row['machine']} | {row['query_threads']} | {row['load_before']} → {row['load_after']} | "
                     f"{latency['p50_ms']} | {latency['p95_ms']} | {latency['max_ms']} |")  # fmt: skip
    lines += ["", f"- Answers that differ between any two runs: {len(differing)} of {len(reference)} "
                  f"{differing if differing else ''}".rstrip()]  # fmt: skip
    (RESULTS / "query_threads.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
