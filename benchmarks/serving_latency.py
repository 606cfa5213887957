"""What the chat server adds on top of the engine, and what its memory is made of.

    .venv/bin/python benchmarks/serving_latency.py [--questions 40] [--name serving_latency] [--no-browser]
                                                   [--before benchmarks/results/serving_latency.json]

Issue 14's rows, measured in one run on one machine (a ratio is what counts):
- in-process: `Assistant().ask` in this process, p50/p95;
- API: a real `kzqa chat` on a free loopback port, called through gradio_client's /ask, a new
  conversation (session) per question; ratio API p50 / in-process p50 (target <= 1.5x);
- api_http: the same /ask over gradio's queue protocol in plain HTTP, as the page's client does:
  what the server costs without gradio_client's own waiting;
- browser: Debian's chromium (Playwright) on that server's page, from Enter to the final reply
  (its footer in the page), the chat cleared between questions; p50 target <= 0.5 s;
- the server's peak RSS (VmHWM, target <= 800 MB), and what a process doing what the server does
  is made of: RSS after each import or step, in a child process of its own;
- with --before, an earlier run's results file: its server line and RSS steps are kept beside the new ones.

The same N dev questions (validate split, no history: half answerable, half not) are asked in two
passes: "first" is the first time each process sees them, "warm" the second. Within a pass each
question goes to every client in turn, so a change in this shared machine's load hits all alike;
plain HTTP and the browser ask in the warm pass only (their server has seen the question by then). The server warms up
as `kzqa chat` always does (one question at start-up); the in-process Assistant is warmed the same
way. Every answer's text is hashed, so two runs (before and after a change) show whether answers
changed. Results: benchmarks/results/<name>.{json,md}.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.chat_server import start_chat_server  # noqa: E402
from chat_app.evaluation.metrics import percentile  # noqa: E402
from chat_app.evaluation.testset import EvalCase, load_testset  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
DEV_SET = ROOT / "tests" / "data" / "qa.jsonl"
WARM_UP_QUESTION = "哈萨克斯坦与俄罗斯的关系"  # what `kzqa chat` asks at start-up (chat_app/ui/service.py)
ANSWER_TIMEOUT_MS = 120_000
# Chromium goes on laying out and painting a reply after its footer is in; unpaused, that work lands on
# the next client's question (the in-process p50 came out slower than the server's through HTTP).
SETTLE_S = 0.5
WARM_ONLY = ("api_http", "browser")  # clients asking after the gradio_client: the server has seen the question
# What the chat server loads, in the order it loads it; each row's RSS is measured after its step.
RSS_STEPS = (
    "python + kzqa config",
    "import torch",
    "import sentence_transformers, scikit-learn deferred (transformers, scipy)",
    "import kzqa's embedding wrapper (compact tokenizer, llama-index core)",
    "import gradio",
    "import chromadb",
    "embedding model loaded",
    "index opened (Chroma, BM25, sentence vectors, lexicon)",
    "first answer (jieba dictionary, first model call)",
    "the dev questions answered",
)


# -- the questions ---------------------------------------------------------------------------
def dev_questions(count: int) -> list[EvalCase]:
    """The first count/2 answerable and count/2 unanswerable single-turn validate questions."""
    cases = [case for case in load_testset(DEV_SET, split="validate") if not case.history]
    answerable = [case for case in cases if case.answerable][: count - count // 2]
    unanswerable = [case for case in cases if not case.answerable][: count // 2]
    return answerable + unanswerable


def summary(ms: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(ms, 0.5), 1), "p95_ms": round(percentile(ms, 0.95), 1), "n": len(ms)}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# -- the three clients, interleaved question by question ---------------------------------------------
class InProcess:
    """(a) `Assistant().ask` in this process, warmed up as the server is."""

    def __init__(self):
        from chat_app import Assistant

        self.bot = Assistant()
        self.bot.ask(WARM_UP_QUESTION)
        self.answers: dict[str, str] = {}

    def ask(self, question: str) -> None:
        self.answers[question] = self.bot.ask(question).text


class ThroughApi:
    """(b) gradio_client calls to /ask, a new conversation (session) per question."""

    def __init__(self, url: str):
        os.environ["HF_HUB_OFFLINE"] = "1"  # gradio_client would otherwise contact the model hub
        from gradio_client import Client

        self.client = Client(url, verbose=False)

    def ask(self, question: str) -> None:
        self.client.reset_session()  # the chat's turns live in the session
        self.client.predict(question, 5, "extractive", api_name="/ask")


class ThroughHttp:
    """(b') The same /ask over gradio's queue protocol with plain HTTP (join, then read the event stream to
    its end), as the page's own client does: the server's cost without gradio_client, which waits up
    to 50 ms (a sleep loop) for each message of the stream."""

    def __init__(self, url: str):
        from benchmarks.gradio_queue import QueueClient

        self.client = QueueClient(url, timeout_s=ANSWER_TIMEOUT_MS / 1000)

    def ask(self, question: str) -> None:
        # /ask's inputs: question, the session's turns (state: kept by the server), k, generator, owner (state);
        # each call is a new session, so a new conversation
        self.client.call("ask", [question, None, 5, "extractive", None])


class InBrowser:
    """(c) Debian's chromium: type, press Enter, wait for the final reply (its footer); clear the chat."""

    def __init__(self, url: str, chromium: str):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        self.page = self._browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        self.page.goto(url, wait_until="load")  # gradio keeps a connection open: never "networkidle"
        self.page.locator("#kz-examples").wait_for()

    def ready(self) -> None:
        """Untimed: an empty chat and the question box."""
        if self.page.locator("#kz-chat .bot").count():
            self.page.locator("#kz-clear").click()
            self.page.locator("#kz-chat .bot").first.wait_for(state="detached")

    def ask(self, question: str) -> None:
        box = self.page.locator("#kz-question textarea")
        box.fill(question)
        box.press("Enter")
        reply = self.page.locator("#kz-chat .bot .message-content .kz-footer").first
        reply.wait_for(state="attached", timeout=ANSWER_TIMEOUT_MS)

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()


def timed(client, question: str) -> float:
    if isinstance(client, InBrowser):
        client.ready()
        started = time.perf_counter()  # from Enter
    else:
        started = time.perf_counter()
    client.ask(question)
    return (time.perf_counter() - started) * 1000


def measure(questions: list[str], clients: dict[str, object]) -> dict[str, dict[str, dict]]:
    """Two passes; in each, every question goes to every client in turn, so a change in the machine's
    load hits all of them alike. Plain HTTP and the browser ask only in the warm pass: their server has
    seen the question from the gradio_client by then."""
    results: dict[str, dict[str, dict]] = {name: {} for name in clients}
    for name in ("first", "warm"):
        times: dict[str, list[float]] = {client: [] for client in clients}
        for question in questions:
            for client, driver in clients.items():
                if client in WARM_ONLY and name == "first":
                    continue
                times[client].append(timed(driver, question))
                time.sleep(SETTLE_S)
        for client, values in times.items():
            if values:
                results[client][name] = summary(values)
    return results


# -- the server ----------------------------------------------------------------------------------
def start_server() -> tuple[subprocess.Popen, str, float]:
    """`kzqa chat` from this checkout, ready to answer, with the seconds that took."""
    server = start_chat_server()
    return server.process, server.url, server.ready_seconds


def rss_mb(pid: int | str = "self", field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


# -- (d) what the RSS is made of, in a child process ------------------------------------------------
def rss_child(questions: list[str]) -> None:
    """Do what the chat server does, step by step, printing the RSS after each step as JSON."""
    rows: list[dict] = []

    def step(name: str, work: Callable[[], object]) -> object:
        result = work()
        rows.append({"step": name, "rss_mb": rss_mb(), "modules": len(sys.modules)})
        return result

    from chat_app.config import load_config
    from chat_app.index_settings import index_settings

    config = step(RSS_STEPS[0], load_config)
    modules = (
        ("torch",),
        ("index.sentence_transformers_lean",),
        ("index.compact_transformer", "index.sentence_transformer_embedding"),
        ("gradio",),
        ("chromadb",),
    )
    for name, imports in zip(RSS_STEPS[1:6], modules, strict=True):
        step(name, lambda imports=imports: [__import__(module) for module in imports])
    from chat_app.assistant import Assistant
    from index.embedder import Embedder

    embedder = step(RSS_STEPS[6], lambda: Embedder.load(index_settings(config)))
    bot = step(RSS_STEPS[7], lambda: Assistant(config, embedder=embedder))
    step(RSS_STEPS[8], lambda: bot.ask(WARM_UP_QUESTION))
    step(RSS_STEPS[9], lambda: [bot.ask(question) for question in questions])
    libraries = ("torch", "transformers", "sentence_transformers", "sklearn", "scipy", "pandas", "sympy", "openai")
    loaded = {name: name in sys.modules for name in (*libraries, "onnxruntime")}
    print(json.dumps({"steps": rows, "peak_rss_mb": rss_mb(field="VmHWM"), "loaded": loaded}))


def tokenizer_child(kind: str) -> None:
    """The RSS of the embedding model's tokenizer alone (part of "embedding model loaded"): the compact one
    kzqa loads, or the same vocabulary as tokenizers' Unigram model (tokenizer.json), which it loaded before."""
    import tokenizers

    from chat_app.config import load_config
    from index.compact_tokenizer import CompactTokenizer
    from index.compact_tokenizer_build import compact_tokenizer_dir_for
    from index.model_rebuild import default_model_dir

    model_dir = default_model_dir(load_config().model_cache_dir)
    before = rss_mb()
    if kind == "compact":
        loaded = CompactTokenizer.load(compact_tokenizer_dir_for(model_dir))
    else:
        loaded = tokenizers.Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    print(json.dumps({f"{kind}_tokenizer_mb": round(rss_mb() - before, 1)}))
    del loaded  # held until measured: freed objects may leave the process's RSS


def rss_breakdown(count: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, __file__, "--rss-child", "--questions", str(count)],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout  # fmt: skip
    measured = json.loads(out.strip().splitlines()[-1])
    for kind in ("compact", "fast"):
        out = subprocess.run([sys.executable, __file__, "--tokenizer-child", kind],
                             cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout  # fmt: skip
        measured |= json.loads(out.strip().splitlines()[-1])
    previous = 0.0
    for row in measured["steps"]:
        row["delta_mb"] = round(row["rss_mb"] - previous, 1)
        previous = row["rss_mb"]
    return measured


# -- the report ----------------------------------------------------------------------------------
def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
    }


def ratio(api: dict, local: dict) -> float:
    return round(api["p50_ms"] / local["p50_ms"], 2) if local["p50_ms"] else 0.0


def before_of(path: Path) -> dict:
    """What is kept of an earlier run's results file: its machine, load, server line, RSS steps and answers."""
    earlier = json.loads(path.read_text(encoding="utf-8"))
    kept = ("machine", "load_start", "load_end", "server", "rss", "answers_digest")
    return {key: earlier[key] for key in kept} | {"before": None}


def rss_table(rss: dict) -> list[str]:
    return [
        "| step | RSS MB | Δ MB |",
        "|---|---|---|",
        *(f"| {row['step']} | {row['rss_mb']} | {row['delta_mb']:+} |" for row in rss["steps"]),
    ]


def loaded_line(rss: dict) -> str:
    listed = ", ".join(f"{name} {'yes' if on else 'no'}" for name, on in rss["loaded"].items())
    return f"Peak RSS of that process: {rss['peak_rss_mb']} MB. Loaded: {listed}."


def before_section(before: dict, digest: str) -> list[str]:
    rss = before["rss"]
    tokenizer = rss.get("tokenizer_mb", rss.get("fast_tokenizer_mb"))
    same = "the same as" if before["answers_digest"] == digest else "DIFFERENT from"
    return [
        f"## Before (commit {before['machine']['commit']}, load average at start {before['load_start']})",
        "",
        f"Server: ready in {before['server']['ready_s']} s; RSS when ready {before['server']['ready_rss_mb']} MB; "
        f"**peak RSS {before['server']['peak_rss_mb']} MB** after all questions.",
        "",
        *rss_table(rss),
        "",
        f"Its tokenizer alone (tokenizers' Unigram model, tokenizer.json): {tokenizer} MB. {loaded_line(rss)}",
        "",
        f"Answers digest `{before['answers_digest']}`: {same} this run's.",
        "",
    ]


def markdown(result: dict) -> str:
    lines = [
        "# Serving latency and memory (`benchmarks/serving_latency.py`)",
        "",
        f"Machine: {result['machine']['cpus']} CPUs, {result['machine']['platform']}, Python "
        f"{result['machine']['python']}, commit {result['machine']['commit']}. Load average (1/5/15 min) "
        f"at start {result['load_start']}, at end {result['load_end']}.",
        f"{result['questions']} dev questions (validate split, single turn: half answerable, half not), asked "
        "question by question to each client in turn: **first** (the first time that process sees it) and "
        "**warm** (the second; plain HTTP and the browser ask only then). api = gradio_client; api_http = the "
        "same /ask in plain HTTP over gradio's queue protocol, as the page does.",
        "",
        "| client | pass | p50 ms | p95 ms | ratio p50 to in-process |",
        "|---|---|---|---|---|",
    ]
    for client in ("in_process", "api", "api_http", "browser"):
        for name, row in (result.get(client) or {}).items():
            share = "1.00" if client == "in_process" else f"{ratio(row, result['in_process'][name]):.2f}"
            lines.append(f"| {client} | {name} | {row['p50_ms']} | {row['p95_ms']} | {share} |")
    lines += [
        "",
        "Targets: API p50 ≤ 1.5× in-process; browser (Enter → final answer) p50 ≤ 500 ms; server peak RSS ≤ 800 MB.",
        "",
        f"Server: ready in {result['server']['ready_s']} s; RSS when ready {result['server']['ready_rss_mb']} MB; "
        f"**peak RSS {result['server']['peak_rss_mb']} MB** after all questions.",
        "",
        "## What the RSS is made of (a child process doing what the server does, step by step)",
        "",
        *rss_table(result["rss"]),
        "",
        f'Of "embedding model loaded", its tokenizer alone (loaded in a process of its own): '
        f"**{result['rss']['compact_tokenizer_mb']} MB** (index/compact_tokenizer.py); the same 250,002 pieces "
        f"as a `tokenizers` Unigram model (tokenizer.json, as loaded before): {result['rss']['fast_tokenizer_mb']} MB.",
        "",
        loaded_line(result["rss"]),
        "",
        f"Answers digest (sha256 of every in-process answer text, in order): `{result['answers_digest']}`.",
        "",
    ]
    if result.get("before"):
        lines += before_section(result["before"], result["answers_digest"])
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--name", default="serving_latency", help="results file name (without suffix)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--before", type=Path, help="an earlier run's results .json, kept for comparison")
    parser.add_argument("--rss-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tokenizer-child", choices=("compact", "fast"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tokenizer_child:
        tokenizer_child(args.tokenizer_child)
        return
    questions = [case.question for case in dev_questions(args.questions)]
    if args.rss_child:
        rss_child(questions)
        return
    before = before_of(args.before) if args.before else None  # read now: it may be the file this run replaces
    load_start = [round(x, 2) for x in os.getloadavg()]
    local = InProcess()
    server, url, ready_s = start_server()
    browser = None
    try:
        ready_rss = rss_mb(server.pid)
        clients: dict[str, object] = {"in_process": local, "api": ThroughApi(url), "api_http": ThroughHttp(url)}
        chromium = None if args.no_browser else shutil.which("chromium")
        if chromium:
            browser = clients["browser"] = InBrowser(url, chromium)
        timings = measure(questions, clients)
        peak = rss_mb(server.pid, "VmHWM")
    finally:
        if browser is not None:
            browser.close()
        server.terminate()
        server.wait(timeout=30)
    result = {
        "machine": machine(),
        "load_start": load_start,
        "questions": len(questions),
        **timings,
        "ratios_api_to_in_process": {
            name: ratio(timings["api"][name], timings["in_process"][name]) for name in timings["in_process"]
        },
        "server": {"ready_s": round(ready_s, 1), "ready_rss_mb": ready_rss, "peak_rss_mb": peak},
        "rss": rss_breakdown(args.questions),
        "answers_digest": digest("\n\x00".join(local.answers[q] for q in questions)),
        "answers": {q: digest(local.answers[q]) for q in questions},
        "before": before,
    }
    result["load_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    as_json = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    (RESULTS / f"{args.name}.json").write_text(as_json, encoding="utf-8")
    (RESULTS / f"{args.name}.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
