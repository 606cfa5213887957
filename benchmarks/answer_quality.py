"""Answer quality per split, through the Python API users call; written to benchmarks/results/.

    .venv/bin/python benchmarks/answer_quality.py

Every question of tests/data/qa.jsonl goes through `Assistant().chat` in one fresh process, so
latencies are first-seen ones (nothing cached but the loaded model and index). The numbers of the
engine this one replaced (commit 728bfbb, measured on the same questions) are kept in
results/answer_quality_before.json and shown beside the new ones.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chat_app import Assistant  # noqa: E402
from chat_app.evaluation.configs import ConfigName, EvalConfig  # noqa: E402
from chat_app.evaluation.runner import run_evaluation  # noqa: E402
from chat_app.evaluation.scoring import score  # noqa: E402
from chat_app.evaluation.testset import load_testset  # noqa: E402

TESTSET = ROOT / "tests" / "data" / "qa.jsonl"
RESULTS = ROOT / "benchmarks" / "results"
BEFORE = RESULTS / "answer_quality_before.json"
ROWS = (
    ("passed", "pass rate"),
    ("answer_accuracy", "key fact in the answer text"),
    ("citation_precision", "citation precision"),
    ("citation_recall", "citation recall (multi-source)"),
    ("refusal_rate", "unanswerable refused"),
    ("false_refusal_rate", "false refusals"),
    ("disagreement_noted", "conflicts noted"),
    ("headline_agreement", "English headline states the keywords' figure/date"),
    ("latency_p50_ms", "latency p50 (ms, first seen)"),
    ("latency_p95_ms", "latency p95 (ms, first seen)"),
)


# The blind batch added to validate after the "before" engine was measured: reported on its own, and
# left out of the part of validate that is compared with "before" (same questions on both sides).
BLIND_BATCH = "bv-"
WITHOUT_BATCH = f"validate without the {BLIND_BATCH} batch"
BATCH_ONLY = f"validate, {BLIND_BATCH} batch only"
BEFORE_PART = {WITHOUT_BATCH: "validate", "tune": "tune"}


def main() -> None:
    bot = Assistant()
    product = EvalConfig(name=ConfigName.HYBRID, description="the Assistant as shipped", ask=bot.chat)
    everything = load_testset(TESTSET)
    parts = {
        WITHOUT_BATCH: [c for c in everything if c.split == "validate" and not c.id.startswith(BLIND_BATCH)],
        BATCH_ONLY: [c for c in everything if c.split == "validate" and c.id.startswith(BLIND_BATCH)],
        "tune": [c for c in everything if c.split == "tune"],
    }
    measured, outcomes = {}, {}
    # Each question is asked once, so every latency is a first-seen one; all of validate is scored
    # from its two parts' outcomes.
    for part, cases in parts.items():
        started = time.perf_counter()
        scored = run_evaluation([product], cases, testset=TESTSET, setup_seconds={}).configs[0]
        outcomes[part] = scored.outcomes
        measured[part] = _measured(cases, scored.overall, scored.by_type, time.perf_counter() - started)
    validate = outcomes[WITHOUT_BATCH] + outcomes[BATCH_ONLY]
    types = sorted({o.result.type for o in validate})
    by_type = {t: score([o for o in validate if o.result.type == t]) for t in types}
    seconds = measured[WITHOUT_BATCH]["seconds"] + measured[BATCH_ONLY]["seconds"]
    measured = {"validate": _measured(parts[WITHOUT_BATCH] + parts[BATCH_ONLY], score(validate), by_type, seconds),
                **measured}  # fmt: skip
    (RESULTS / "answer_quality.json").write_text(json.dumps(measured, indent=2) + "\n", encoding="utf-8")
    before = json.loads(BEFORE.read_text(encoding="utf-8")) if BEFORE.is_file() else {}
    (RESULTS / "answer_quality.md").write_text(_markdown(measured, before), encoding="utf-8")
    print(_markdown(measured, before))


def _measured(cases, overall: dict, by_type: dict, seconds: float) -> dict:
    per_type = Counter(case.type for case in cases)
    return {
        "overall": {"questions": len(cases), **overall},
        "by_type": {t: {"passed": s["passed"], "questions": per_type[t]} for t, s in by_type.items()},
        # answerable questions whose every keyword group is in the top-5 passages the answer was read from
        "keywords_at_5": overall["keywords_at_5"] or 0.0,
        "seconds": round(seconds, 1),
    }


def _markdown(measured: dict, before: dict) -> str:
    lines = ["# Answer quality by split", "",
             "`validate` was never used to fit or choose anything; `tune` is what the models were fitted on.",
             "Before: the engine at commit 728bfbb on the same questions (measured before the "
             f"{BLIND_BATCH} batch existed: shown only where the questions are the same).", ""]  # fmt: skip
    for split, data in measured.items():
        old_part = before.get(BEFORE_PART.get(split, ""), {})
        old = old_part.get("overall", {})
        lines += [f"## {split} ({data['overall']['questions']} questions)", "", "| metric | before | now |",
                  "|---|---|---|"]  # fmt: skip
        for key, label in ROWS:
            lines.append(f"| {label} | {_fmt(key, old.get(key))} | {_fmt(key, data['overall'][key])} |")
        lines.append(f"| key fact in the top-5 passages | — | {data['keywords_at_5']:.3f} |")
        lines += ["", "| type | questions | before | now |", "|---|---|---|---|"]
        old_types = old_part.get("by_type", {})
        for question_type, row in sorted(data["by_type"].items()):
            lines.append(f"| {question_type} | {row['questions']} | {_fmt('passed', old_types.get(question_type))} | "
                         f"{row['passed']:.3f} |")  # fmt: skip
        lines.append("")
    return "\n".join(lines)


def _fmt(key: str, value) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if key.startswith("latency") else f"{value:.3f}"


if __name__ == "__main__":
    main()
