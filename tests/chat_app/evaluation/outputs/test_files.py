"""results.json, report.html and the plots, written side by side, with the same numbers."""

import json
import re

from chat_app.evaluation.outputs.files import write_outputs

SUMMARY_CELL = re.compile(r'data-config="([^"]+)" data-metric="([^"]+)">([^<]*)</td>')
# Worked out by hand from the fake answers (tests/chat_app/evaluation/outputs/conftest.py): answer
# texts are 18 characters, the refusal 38 and the hostile answer 35; latencies 10 ms, refusals 5 ms; no
# question is English, so no headline is checked.
EXPECTED = {
    "hybrid": {"hit_at_1": "0.667", "hit_at_3": "0.667", "hit_at_5": "0.667", "mrr": "0.667",
               "keywords_at_5": "1.000", "answer_accuracy": "0.667", "citation_precision": "0.500",
               "citation_recall": "—", "refusal_rate": "1.000", "false_refusal_rate": "0.333",
               "disagreement_noted": "—", "headline_agreement": "—", "passed": "0.500", "latency_p50_ms": "5.0", "latency_p95_ms": "10.0",
               "answer_chars_p50": "18"},
    "baseline": {"hit_at_1": "1.000", "hit_at_3": "1.000", "hit_at_5": "1.000", "mrr": "1.000",
                 "keywords_at_5": "1.000", "answer_accuracy": "1.000", "citation_precision": "0.500",
                 "citation_recall": "—", "refusal_rate": "0.000", "false_refusal_rate": "0.000",
                 "disagreement_noted": "—", "headline_agreement": "—", "passed": "0.500", "latency_p50_ms": "10.0", "latency_p95_ms": "10.0",
                 "answer_chars_p50": "18"},
}  # fmt: skip


def test_the_report_shows_the_numbers_worked_out_by_hand(run, tmp_path):
    written = write_outputs(run, tmp_path / "out")
    cells = SUMMARY_CELL.findall(written.report.read_text(encoding="utf-8"))
    shown: dict[str, dict[str, str]] = {}
    for config, metric, text in cells:
        shown.setdefault(config, {})[metric] = text
    assert shown == EXPECTED


def test_results_json_holds_the_same_numbers_unrounded(run, tmp_path):
    results = json.loads(write_outputs(run, tmp_path / "out").results.read_text(encoding="utf-8"))
    hybrid, baseline = results["configs"]["hybrid"]["overall"], results["configs"]["baseline"]["overall"]
    assert hybrid["false_refusal_rate"] == 1 / 3 and hybrid["citation_recall"] is None
    assert baseline["refusal_rate"] == 0.0 and baseline["answer_chars_p50"] == 18.0
    assert set(results["metrics"]) == set(EXPECTED["hybrid"])
    assert [q["case_id"] for q in results["configs"]["hybrid"]["questions"]] == ["a", "b", "c", "u"]


def test_the_plots_are_written_beside_the_report(run, tmp_path):
    written = write_outputs(run, tmp_path / "out")
    assert [p.name for p in written.plots] == ["hit_at_k.png", "latency.png", "pass_by_type.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in written.plots)
    assert written.report.parent == written.results.parent == tmp_path / "out"
