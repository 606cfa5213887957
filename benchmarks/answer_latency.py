"""First-seen and warm answer latency over the whole dev set, written to benchmarks/results/answer_latency.{json,md}.

    .venv/bin/python benchmarks/answer_latency.py [--passes 3] [--answers FILE]

Issue 14's targets: first-seen-question latency over the whole dev set, fresh process per pass,
p50 <= 100 ms and p95 <= 250 ms; warm latency p50 <= 60 ms.

benchmarks/answer_quality.py reports first-seen latency only (from the engine's own `total` timing,
one process for all questions). Here each pass is a fresh process that opens `Assistant()` over an
index built beforehand, then asks every dev question once in file order (first seen: `ask`, or `chat`
with its history for conversation turns, as `kzqa eval` asks them) and then all of them again in the
same order (warm: the same question, the same history, everything the process caches now filled).
Latency is wall time around the call. Every answer's text is kept, to check that the second pass
answers exactly as the first and, with --answers, to compare answers before and after a change.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import LatencySummary, load_average, machine, wait_for_quiet  # noqa: E402
from chat_app.evaluation.testset import EvalCase, load_testset  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
TESTSET = ROOT / "tests" / "data" / "qa.jsonl"
CORPUS = ROOT / "corpus"
BEFORE = RESULTS / "answer_latency_before.json"  # the engine before its entity and question caches (4956fc3^)
PASSES = ("first_seen", "warm")
TARGETS_MS = {("first_seen", "p50_ms"): 100, ("first_seen", "p95_ms"): 250, ("warm", "p50_ms"): 60}


def _assistant(data_dir: Path):
    from chat_app import Assistant
    from chat_app.config import load_config

    return Assistant(load_config(data_dir=data_dir, corpus_dir=CORPUS))


def _ask(bot, case: EvalCase):
    history = case.history_messages()
    return bot.chat(case.question, history) if history else bot.ask(case.question)


def measure(data_dir: Path) -> dict:
    """One pass, in this process: open the Assistant, then every question first seen, then warm."""
    started = time.perf_counter()
    bot = _assistant(data_dir)
    open_s = time.perf_counter() - started
    cases = load_testset(TESTSET)
    measured: dict[str, dict[str, list]] = {}
    for name in PASSES:
        latencies, engine_ms, answers = [], [], []
        for case in cases:
            began = time.perf_counter()
            answer = _ask(bot, case)
            latencies.append((time.perf_counter() - began) * 1000)
            engine_ms.append(answer.timings_ms.get("total", 0.0))
            answers.append(answer.text)
        measured[name] = {"latencies_ms": latencies, "engine_total_ms": engine_ms, "answers": answers}
    return {"open_s": open_s, "ids": [case.id for case in cases], **measured}


def run_pass(data_dir: Path) -> dict:
    before = load_average()
    result = subprocess.run(
        [sys.executable, __file__, "--child", "--data-dir", str(data_dir)],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"a pass failed:\n{result.stderr[-3000:]}")
    return {**json.loads(result.stdout.strip().splitlines()[-1]), "load_before": before, "load_after": load_average()}


def prepare_index(data_dir: Path) -> None:
    """Build the index once, in a process of its own, so that no pass pays for it."""
    code = "import sys; from benchmarks.answer_latency import _assistant; from pathlib import Path; " \
           "_assistant(Path(sys.argv[1]))"  # fmt: skip
    subprocess.run([sys.executable, "-c", code, str(data_dir)], env={**os.environ, "PYTHONPATH": str(ROOT)},
                   check=True, capture_output=True)  # fmt: skip


def summarise(runs: list[dict]) -> dict:
    pooled = {name: LatencySummary.of([ms for run in runs for ms in run[name]["latencies_ms"]]) for name in PASSES}
    engine = {name: LatencySummary.of([ms for run in runs for ms in run[name]["engine_total_ms"]]) for name in PASSES}
    first_answers = runs[0]["first_seen"]["answers"]
    return {
        "machine": machine(),
        "passes": len(runs),
        "questions": len(runs[0]["ids"]),
        "targets_ms": {f"{name} {stat}": ms for (name, stat), ms in TARGETS_MS.items()},
        "pooled": {name: summary.to_dict() for name, summary in pooled.items()},
        "engine_total_pooled": {name: summary.to_dict() for name, summary in engine.items()},
        "met": {f"{name} {stat}": getattr(pooled[name], stat) <= ms for (name, stat), ms in TARGETS_MS.items()},
        "per_pass": [
            {
                "open_s": round(run["open_s"], 2),
                "load_before": run["load_before"],
                "load_after": run["load_after"],
                **{name: LatencySummary.of(run[name]["latencies_ms"]).to_dict() for name in PASSES},
            }
            for run in runs
        ],
        # every pass, first seen and warm, gave the very same answer texts
        "answers_identical": all(run[name]["answers"] == first_answers for run in runs for name in PASSES),
        "slowest_first_seen": _slowest(runs, "first_seen"),
        "slowest_warm": _slowest(runs, "warm"),
    }


def _slowest(runs: list[dict], name: str, count: int = 5) -> list[dict]:
    ids = runs[0]["ids"]
    worst = {}
    for run in runs:
        for case_id, ms in zip(ids, run[name]["latencies_ms"], strict=True):
            worst[case_id] = max(ms, worst.get(case_id, 0.0))
    return [{"id": case_id, "max_ms": round(ms, 1)} for case_id, ms in sorted(worst.items(), key=lambda x: -x[1])][
        :count
    ]


def markdown(results: dict) -> str:
    m = results["machine"]
    loads = [p[when]["1min"] for p in results["per_pass"] for when in ("load_before", "load_after")]
    rows = []
    for name, label in (("first_seen", "first seen"), ("warm", "warm (asked again)")):
        pooled, engine = results["pooled"][name], results["engine_total_pooled"][name]
        target = " / ".join(f"{stat.split('_')[0]} <= {ms}" for (n, stat), ms in TARGETS_MS.items() if n == name)
        met = all(ok for key, ok in results["met"].items() if key.startswith(name))
        rows.append(
            f"| {label} | {pooled['p50_ms']:.1f} | {pooled['p95_ms']:.1f} | {pooled['max_ms']:.0f} | "
            f"{engine['p50_ms']:.1f} / {engine['p95_ms']:.1f} | {target} | {'yes' if met else '**no**'} |"
        )
    per_pass = [
        f"| {i} | {p['open_s']:.1f} s | {p['first_seen']['p50_ms']:.1f} / {p['first_seen']['p95_ms']:.1f} / "
        f"{p['first_seen']['max_ms']:.0f} | {p['warm']['p50_ms']:.1f} / {p['warm']['p95_ms']:.1f} / "
        f"{p['warm']['max_ms']:.0f} | {p['load_before']['1min']:.2f} → {p['load_after']['1min']:.2f} |"
        for i, p in enumerate(results["per_pass"], start=1)
    ]
    lines = [
        "# Answer latency: first seen and warm, whole dev set",
        "",
        f"{m['machine']}, {m['cpu_count']} cores, Python {m['python']}, torch threads {m['torch_threads']}; "
        f"shared machine: 1-minute load average {min(loads):.2f}–{max(loads):.2f} during the passes.",
        f"{results['passes']} passes, each a fresh process: `Assistant()` opened over a prebuilt index, then all "
        f"{results['questions']} dev questions once (first seen) and once more (warm). Wall time around "
        "`ask` / `chat`, all passes pooled (nearest-rank); the engine's own `timings_ms['total']` beside it.",
        "",
        "| latency | p50 ms | p95 ms | max ms | engine total p50 / p95 | target (ms) | met |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        "| pass | open | first seen p50 / p95 / max | warm p50 / p95 / max | load (1 min) |",
        "|---|---|---|---|---|",
        *per_pass,
        "",
        f"- Answers identical in every pass, first seen and warm: {'yes' if results['answers_identical'] else 'NO'}.",
        "- Slowest first seen: " + ", ".join(f"{s['id']} {s['max_ms']:.0f} ms" for s in results["slowest_first_seen"]),
        "- Slowest warm: " + ", ".join(f"{s['id']} {s['max_ms']:.0f} ms" for s in results["slowest_warm"]),
        *_before_lines(),
    ]
    return "\n".join(lines) + "\n"


def _before_lines() -> list[str]:
    if not BEFORE.is_file():
        return []
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    first, warm = before["pooled"]["first_seen"], before["pooled"]["warm"]
    loads = [p[when]["1min"] for p in before["per_pass"] for when in ("load_before", "load_after")]
    return [
        f"- Before the entity and question caches ({BEFORE.name}, {before['passes']} pass, load "
        f"{min(loads):.2f}–{max(loads):.2f}): first seen {first['p50_ms']:.0f} / {first['p95_ms']:.0f} ms, "
        f"warm {warm['p50_ms']:.0f} / {warm['p95_ms']:.0f} ms (p50 / p95).",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--answers", type=Path, help="write every question's first-seen answer text here (JSON)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.data_dir)))
        return
    runs = []
    with tempfile.TemporaryDirectory(prefix="kzqa-latency-bench-") as scratch:
        data_dir = Path(scratch) / "data"
        prepare_index(data_dir)
        for number in range(args.passes):
            wait_for_quiet(patience_s=120)
            runs.append(run_pass(data_dir))
            print(f"pass {number + 1}: load {runs[-1]['load_after']['1min']}", flush=True)
    if args.answers:
        first = runs[0]["first_seen"]["answers"]
        args.answers.write_text(json.dumps(dict(zip(runs[0]["ids"], first, strict=True)), ensure_ascii=False, indent=1),
                                encoding="utf-8")  # fmt: skip
    results = summarise(runs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "answer_latency.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "answer_latency.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
