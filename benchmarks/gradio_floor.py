"""What gradio's queue costs per call with nothing to do, beside what kzqa's /ask costs.

    .venv/bin/python benchmarks/gradio_floor.py [--questions 40]

Issue 14 asks for the Gradio API p50 within 1.5× of the in-process p50. The engine now answers in
~15–25 ms, so that leaves gradio ~7–12 ms per call. This measures the floor: a page with one textbox
whose event returns at once (a plain function, and a generator yielding twice as kzqa's chat does),
called over the queue protocol in plain HTTP (join, then read the event stream to its end). Then the
same for kzqa's own /ask, and the same kzqa questions in-process, all warm (`Assistant.ask` and the chat panel's
`respond`, which is what /ask runs). Results: benchmarks/results/gradio_floor.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.gradio_queue import QueueClient  # noqa: E402
from benchmarks.timing import LatencySummary, load_average, machine  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
QUESTIONS = ROOT / "tests" / "data" / "qa.jsonl"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def timed(call: Callable[[str], None], inputs: list[str]) -> dict[str, float]:
    """Warm: every input once untimed (the engine remembers what it has read), then timed."""
    for text in inputs:
        call(text)
    latencies = []
    for text in inputs:
        started = time.perf_counter()
        call(text)
        latencies.append((time.perf_counter() - started) * 1000)
    return LatencySummary.of(latencies).to_dict()


def empty_page():
    """A page with the shape of kzqa's chat event (textbox + state in, chatbot + state + textbox out)."""
    import gradio as gr

    reply = "答" * 400  # about what an answer's HTML weighs

    def streamed(question, turns):
        yield [{"role": "user", "content": question}], turns, ""
        yield [{"role": "user", "content": question}, {"role": "assistant", "content": reply}], turns, ""

    def returned(question, turns):
        return [{"role": "user", "content": question}, {"role": "assistant", "content": reply}], turns, ""

    with gr.Blocks() as page:
        turns = gr.State([])
        chat = gr.Chatbot()
        box = gr.Textbox()
        box.submit(returned, [box, turns], [chat, turns, box], api_name="returned", concurrency_limit=1)
        box.blur(streamed, [box, turns], [chat, turns, box], api_name="streamed", concurrency_limit=1)
    return page


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=40)
    args = parser.parse_args()
    from chat_app import Assistant
    from chat_app.config import load_config
    from chat_app.ui.app import build_app
    from chat_app.ui.chat_panel import ChatPanel
    from chat_app.ui.server import launch
    from chat_app.ui.service import AssistantService

    with QUESTIONS.open(encoding="utf-8") as handle:
        cases = [json.loads(line) for line in handle if line.strip()]
    questions = [c["question"] for c in cases if c.get("split") == "validate" and not c.get("history")]
    questions = questions[:: max(1, len(questions) // args.questions)][: args.questions]
    load_before = load_average()

    page = empty_page()
    url = launch(page, host="127.0.0.1", port=free_port())
    client = QueueClient(url)
    rows = {
        "empty page, returned": timed(lambda q: client.call("returned", [q, None]), questions),
        "empty page, streamed (2 updates)": timed(lambda q: client.call("streamed", [q, None]), questions),
    }
    page.close()

    service = AssistantService.start(load_config())
    panel = ChatPanel(service)
    bot = Assistant()  # as a Python caller has it (the service holds its own)
    rows["kzqa in-process, Assistant.ask"] = timed(lambda q: bot.ask(q), questions)
    rows["kzqa in-process, chat panel respond"] = timed(
        lambda q: [None for _ in panel.respond(q, [], 5, "extractive", None)], questions
    )
    app = build_app(service)
    url = launch(app, host="127.0.0.1", port=free_port())
    client = QueueClient(url)
    rows["kzqa /ask over HTTP"] = timed(lambda q: client.call("ask", [q, None, 5, "extractive", None]), questions)
    app.close()

    floor = rows["empty page, streamed (2 updates)"]["p50_ms"]
    engine = rows["kzqa in-process, Assistant.ask"]["p50_ms"]
    result = {
        "machine": machine(),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "load_before": load_before,
        "load_after": load_average(),
        "questions": len(questions),
        "rows": rows,
        "ratio_http_to_in_process": round(rows["kzqa /ask over HTTP"]["p50_ms"] / engine, 2),
        "best_ratio_with_this_engine": round((engine + floor) / engine, 2),
        "engine_p50_needed_for_1_5x": round(2 * floor, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "gradio_floor.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "gradio_floor.md").write_text(report(result), encoding="utf-8")
    print(report(result))


def report(result: dict) -> str:
    lines = [
        "# Gradio's floor per call (`benchmarks/gradio_floor.py`)",
        "",
        f"Machine: {result['machine']['cpu_count']} CPUs, {result['machine']['platform']}, Python "
        f"{result['machine']['python']}, commit {result['commit']}. Load average at start "
        f"{result['load_before']['1min']}, at end {result['load_after']['1min']}. {result['questions']} "
        "single-turn validate questions, each asked once untimed, then timed (warm); HTTP calls join gradio's queue "
        "with a new session and read its event stream to the end, as the page does.",
        "",
        "| what | p50 ms | p95 ms |",
        "|---|---|---|",
    ]
    for name, row in result["rows"].items():
        lines.append(f"| {name} | {row['p50_ms']} | {row['p95_ms']} |")
    lines += [
        "",
        f"kzqa's /ask over HTTP is **{result['ratio_http_to_in_process']}×** `Assistant.ask`. With gradio's "
        f"floor for a streamed event added to this engine's p50, the best ratio possible is "
        f"**{result['best_ratio_with_this_engine']}×**; 1.5× would need an engine p50 of at least "
        f"{result['engine_p50_needed_for_1_5x']} ms (twice the floor).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
