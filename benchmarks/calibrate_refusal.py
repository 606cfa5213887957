"""Calibrate the refusal thresholds on the dev set; write the signals and the chosen values.

    .venv/bin/python benchmarks/calibrate_refusal.py

Goal from the answer-engine issue: refuse >= 80% of unanswerable questions while refusing <= 5%
of answerable ones. Among threshold sets meeting both, prefer the most unanswerable refusals,
then the fewest false refusals, then the middle of the feasible region (robust to new questions).
Results: benchmarks/results/refusal_calibration.{json,md}.
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chat_app import Assistant  # noqa: E402
from chat_app.engine import condenser  # noqa: E402
from chat_app.engine.refusal import RefusalThresholds, decide, measure  # noqa: E402
from chat_app.evaluation.testset import load_testset  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
GRID = {
    "min_semantic": [0.76, 0.78, 0.80, 0.82, 0.84],
    "strong_semantic": [0.86, 0.88, 0.90, 0.92],
    "min_semantic_en": [0.70, 0.73, 0.76, 0.79],
    "strong_semantic_en": [0.82, 0.85, 0.88],
    "min_coverage": [0.2, 0.3, 0.4, 0.5, 0.6],
    "max_unknown_share": [0.2, 0.3, 0.4, 0.5, 0.7],
}


def main() -> None:
    bot = Assistant()
    answerer = bot._extractive  # calibration reads the engine's own signals, not a copy of them
    rows = []
    for case in load_testset(ROOT / "tests" / "data" / "qa.jsonl"):
        history = [{"role": "user", "content": h} for h in case.history]
        standalone = condenser.condense(case.question, history) if history else case.question
        passages = bot._retriever.retrieve(standalone, k=bot.config.top_k)
        profile = answerer.focused_profile(standalone, case.question)
        evidence = answerer.evidence(profile, passages)
        rows.append((case, profile, evidence))

    stats = bot._retriever.term_stats
    best_key, best = None, None
    for values in itertools.product(*GRID.values()):
        thresholds = RefusalThresholds(**dict(zip(GRID, values, strict=True)))
        refused = [(case.answerable, decide(p, e, stats, thresholds).refuse) for case, p, e in rows]
        unanswerable = [r for a, r in refused if not a]
        answerable = [r for a, r in refused if a]
        refusal_rate = sum(unanswerable) / len(unanswerable)
        false_rate = sum(answerable) / len(answerable)
        centrality = -sum(abs(v - sorted(GRID[k])[len(GRID[k]) // 2]) for k, v in zip(GRID, values, strict=True))
        # Feasible sets first; if none is, the best trade-off (false refusals cost double).
        key = (false_rate <= 0.05, refusal_rate - 2 * max(0.0, false_rate - 0.05), -false_rate, centrality)
        if best_key is None or key > best_key:
            best_key, best = key, thresholds

    signals = []
    for case, profile, evidence in rows:
        s = measure(profile, evidence, stats)
        decision = decide(profile, evidence, stats, best)
        signals.append({"id": case.id, "type": case.type, "answerable": case.answerable, **asdict(s),
                        "refused": decision.refuse, "reason": decision.reason})  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "refusal_calibration.json").write_text(
        json.dumps({"thresholds": asdict(best), "signals": signals}, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    outcomes = [(case.answerable, s["refused"]) for (case, _, _), s in zip(rows, signals, strict=True)]
    refusal_rate = sum(r for a, r in outcomes if not a) / sum(1 for a, _ in outcomes if not a)
    false_rate = sum(r for a, r in outcomes if a) / sum(1 for a, _ in outcomes if a)
    lines = [
        "# Refusal calibration on the dev set",
        "",
        f"Chosen thresholds: `{asdict(best)}`",
        "",
        f"Unanswerable refused: {refusal_rate:.0%}; answerable refused: {false_rate:.1%}.",
        "",
        "| id | type | answerable | semantic | coverage | unknown | type ok | refused | reason |",
        "|---|---|---|---|---|---|---|---|---|",
        *(
            f"| {r['id']} | {r['type']} | {r['answerable']} | {r['semantic']:.3f} | {r['coverage']:.2f} "
            f"| {r['unknown_share']:.2f} | {r['type_ok']} | {r['refused']} | {r['reason']} |"
            for r in signals
        ),
    ]
    (RESULTS / "refusal_calibration.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:6]))


if __name__ == "__main__":
    main()
