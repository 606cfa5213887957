"""kzqa against the LlamaIndex starter pipeline (same model, same corpus): build time, query latency and
what the speed buys in retrieval quality. Written to benchmarks/results/llamaindex_starter.{json,md}.

    .venv/bin/python benchmarks/llamaindex_starter.py [--rounds 3]

Issue 14's peer row. The starter is the textbook pipeline: `SimpleDirectoryReader` over corpus/, the
default `SentenceSplitter`, a `VectorStoreIndex` over a `ChromaVectorStore` (a persistent Chroma client
in a temp folder, as kzqa's store is on disk), the same e5 model folder kzqa uses through
`HuggingFaceEmbedding` with e5's "query: " / "passage: " prefixes (its `query_instruction` /
`text_instruction`), and `as_retriever(similarity_top_k=5)`. llama-index's other defaults stay as they
are (embedding batches of 10, metadata in the embedded text).

kzqa's side is what `kzqa index --rebuild` does, through the Python API, into a temp data dir, then
`HybridRetriever.retrieve(k=5)` (the retriever row) and, in a process of its own, `Assistant().chat`
(the answer row: retrieval plus the whole answer engine).

Each measurement runs in a fresh process; the three alternate round after round (their order
rotating) so the machine's drifting load falls on all of them. The model is loaded before the build
clock starts and timed separately. Latency: every dev question once, in file order, nothing warmed up
(the first question pays any one-time cost, as a user's would). Quality: hit@1 / hit@5 of a gold
source file among the top passages, over the answerable questions of the `validate` split only. The
retrievers get each question as it is written (the starter has no conversation memory); the Assistant
gets follow-ups with their history, as `kzqa eval` asks them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import LatencySummary, load_average, machine, wait_for_quiet  # noqa: E402
from chat_app.evaluation.metrics import file_hit_at_k, mean  # noqa: E402
from chat_app.evaluation.testset import EvalCase, load_testset  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
TESTSET = ROOT / "tests" / "data" / "qa.jsonl"
CORPUS = ROOT / "corpus"
TOP_K = 5
QUALITY_SPLIT = "validate"  # the only split quality numbers may be reported on
VARIANTS = ("starter", "kzqa", "kzqa-answer")
LABELS = {
    "starter": "LlamaIndex starter (SentenceSplitter, Chroma, vector top-5)",
    "kzqa": "kzqa retriever (hybrid: vector + BM25, RRF, top-5)",
    "kzqa-answer": "kzqa answer (`Assistant().chat`: retrieval + answer engine)",
}


def _cases() -> list[EvalCase]:
    return load_testset(TESTSET)


def _quality_cases(cases: list[EvalCase]) -> list[EvalCase]:
    return [case for case in cases if case.split == QUALITY_SPLIT and case.answerable]


def _timed_queries(cases: list[EvalCase], ask) -> tuple[list[float], dict[str, list[str]]]:
    """Each question once: its latency in ms, and the source files of what came back for the quality cases."""
    judged = {case.id for case in _quality_cases(cases)}
    latencies, ranked = [], {}
    for case in cases:
        started = time.perf_counter()
        sources = ask(case)
        latencies.append((time.perf_counter() - started) * 1000)
        if case.id in judged:
            ranked[case.id] = sources
    return latencies, ranked


def measure_starter(data_dir: Path) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from index.embedding import DEFAULT_MODEL, resolve_model_path
    from index.model_rebuild import PROMPTS
    from index.offline import enforce_offline

    enforce_offline()
    from chat_app.config import load_config

    model_path = resolve_model_path(DEFAULT_MODEL, cache_dir=load_config().model_cache_dir)

    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    started = time.perf_counter()
    embed_model = HuggingFaceEmbedding(
        model_name=model_path, query_instruction=PROMPTS["query"], text_instruction=PROMPTS["passage"], device="cpu"
    )
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    documents = SimpleDirectoryReader(str(CORPUS)).load_data()
    settings = ChromaSettings(anonymized_telemetry=False)
    client = chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)
    vector_store = ChromaVectorStore(chroma_collection=client.get_or_create_collection("starter"))
    storage_context = StorageContext.from_defaults(vector_store=vector_store)
    index = VectorStoreIndex.from_documents(documents, storage_context=storage_context, embed_model=embed_model)
    build_s = time.perf_counter() - started

    retriever = index.as_retriever(similarity_top_k=TOP_K)
    latencies, ranked = _timed_queries(
        _cases(), lambda case: [hit.node.metadata.get("file_name", "") for hit in retriever.retrieve(case.question)]
    )
    return {"load_s": load_s, "build_s": build_s, "chunks": vector_store.client.count(), "latencies_ms": latencies,
            "ranked_sources": ranked}  # fmt: skip


def _kzqa_config(data_dir: Path):
    from chat_app.config import load_config

    return load_config(data_dir=data_dir, corpus_dir=CORPUS)


def measure_kzqa(data_dir: Path) -> dict:
    from chat_app.index_settings import index_settings
    from index.embedder import Embedder
    from index.hybrid_retriever import HybridRetriever
    from index.indexer import build_index

    settings = index_settings(_kzqa_config(data_dir))
    started = time.perf_counter()
    embedder = Embedder.load(settings)
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    summary = build_index(settings, embedder=embedder, rebuild=True)
    build_s = time.perf_counter() - started

    started = time.perf_counter()
    retriever = HybridRetriever(settings, embedder=embedder)
    open_s = time.perf_counter() - started
    latencies, ranked = _timed_queries(
        _cases(), lambda case: [passage.source for passage in retriever.retrieve(case.question, k=TOP_K)]
    )
    return {"load_s": load_s, "build_s": build_s, "open_s": open_s, "chunks": summary.chunks,
            "latencies_ms": latencies, "ranked_sources": ranked}  # fmt: skip


def measure_kzqa_answer(data_dir: Path) -> dict:
    """Over the build the `kzqa` measurement of the same round wrote."""
    from chat_app import Assistant

    started = time.perf_counter()
    bot = Assistant(_kzqa_config(data_dir))
    open_s = time.perf_counter() - started

    def ask(case: EvalCase) -> list[str]:
        answer = bot.chat(case.question, case.history_messages(), k=TOP_K)
        return [passage.source for passage in answer.passages]

    latencies, ranked = _timed_queries(_cases(), ask)
    return {"load_s": open_s, "build_s": None, "chunks": bot.chunk_count, "latencies_ms": latencies,
            "ranked_sources": ranked}  # fmt: skip


MEASURE = {"starter": measure_starter, "kzqa": measure_kzqa, "kzqa-answer": measure_kzqa_answer}


def run_child(variant: str, data_dir: Path) -> dict:
    before = load_average()
    result = subprocess.run(
        [sys.executable, __file__, "--child", variant, "--data-dir", str(data_dir)],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{result.stderr[-3000:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    return {"variant": variant, **measured, "load_before": before, "load_after": load_average()}


def hit_rates(ranked: dict[str, list[str]], cases: list[EvalCase]) -> dict[str, float]:
    gold = {case.id: case.sources for case in _quality_cases(cases)}
    return {
        f"hit_at_{k}": round(mean([file_hit_at_k(ranked[case_id], sources, k) for case_id, sources in gold.items()]), 3)
        for k in (1, TOP_K)
    }


def summarise(runs: list[dict], cases: list[EvalCase], rounds: int) -> dict:
    variants = {}
    for variant in VARIANTS:
        mine = [run for run in runs if run["variant"] == variant]
        builds = [run["build_s"] for run in mine if run["build_s"] is not None]
        per_pass = [LatencySummary.of(run["latencies_ms"]) for run in mine]
        qualities = [hit_rates(run["ranked_sources"], cases) for run in mine]
        variants[variant] = {
            "label": LABELS[variant],
            "chunks": mine[0]["chunks"],
            "model_load_s_median": round(statistics.median(run["load_s"] for run in mine), 2),
            "build_s_median": round(statistics.median(builds), 2) if builds else None,
            "build_s_per_round": [round(b, 2) for b in builds],
            "latency_all_passes": LatencySummary.of([ms for run in mine for ms in run["latencies_ms"]]).to_dict(),
            "latency_p50_per_pass": [s.p50_ms for s in per_pass],
            "latency_p95_per_pass": [s.p95_ms for s in per_pass],
            # the same in every round (deterministic retrieval); kept per round to show it
            "quality": qualities[0],
            "quality_same_every_round": all(q == qualities[0] for q in qualities),
        }
    return {
        "machine": machine(),
        "rounds": rounds,
        "questions_timed": len(cases),
        "quality_questions": len(_quality_cases(cases)),
        "quality_split": QUALITY_SPLIT,
        "load_average_at_start": runs[0]["load_before"],
        "load_average_at_end": runs[-1]["load_after"],
        "load_average_1min_range": [
            min(r["load_before"]["1min"] for r in runs),
            max(r["load_after"]["1min"] for r in runs),
        ],
        "variants": variants,
        "runs": [{k: v for k, v in run.items() if k not in ("latencies_ms", "ranked_sources")} for run in runs],
    }


def markdown(results: dict) -> str:
    m, v = results["machine"], results["variants"]
    low, high = results["load_average_1min_range"]
    rows = []
    for row in v.values():
        build = "—" if row["build_s_median"] is None else f"{row['build_s_median']:.1f} s"
        latency = row["latency_all_passes"]
        rows.append(
            f"| {row['label']} | {row['chunks']} | {row['model_load_s_median']:.1f} s | {build} | "
            f"{latency['p50_ms']:.1f} / {latency['p95_ms']:.1f} / {latency['max_ms']:.0f} ms | "
            f"{row['quality']['hit_at_1']:.3f} | {row['quality']['hit_at_5']:.3f} |"
        )
    starter, kzqa = v["starter"], v["kzqa"]
    lines = [
        "# kzqa vs the LlamaIndex starter pipeline (same model, same corpus)",
        "",
        f"{m['machine']}, {m['cpu_count']} cores, Python {m['python']}, torch threads {m['torch_threads']}; "
        f"shared machine: 1-minute load average {low:.2f}–{high:.2f} during the run "
        f"(start {results['load_average_at_start']}, end {results['load_average_at_end']}).",
        f"{results['rounds']} interleaved rounds, one fresh process per measurement; build: median of the rounds; "
        f"latency: every one of the {results['questions_timed']} dev questions once per process, all rounds "
        f"pooled (nearest-rank p50 / p95 / max); quality: the {results['quality_questions']} answerable "
        f"`{results['quality_split']}` questions only.",
        "",
        "| pipeline | chunks | model load | build | query latency p50 / p95 / max | gold file hit@1 | hit@5 |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"- Build: kzqa {kzqa['build_s_median']:.1f} s vs the starter {starter['build_s_median']:.1f} s "
        f"({kzqa['build_s_median'] / starter['build_s_median']:.1f}x). kzqa's build also cleans the articles, "
        "embeds every sentence of every chunk (the answer engine's candidates) and writes BM25 indexes; the "
        "starter embeds its chunks only.",
        f"- Per-round builds: starter {starter['build_s_per_round']}, kzqa {kzqa['build_s_per_round']}.",
        f"- Per-process latency p50: starter {starter['latency_p50_per_pass']}, kzqa "
        f"{kzqa['latency_p50_per_pass']}, answer {v['kzqa-answer']['latency_p50_per_pass']} ms.",
        "- Model load for the answer row is opening the whole Assistant (model + index).",
        "- The retriever rows get each question as written; the answer row gets follow-ups with their history, "
        "and its hit@k is over the passages the answer was read from.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(MEASURE[args.child](args.data_dir)))
        return
    wait_for_quiet(patience_s=60)
    runs = []
    with tempfile.TemporaryDirectory(prefix="kzqa-starter-bench-") as scratch:
        for round_number in range(args.rounds):
            kzqa_dir = Path(scratch) / f"kzqa{round_number}"
            # kzqa-answer reads the build kzqa wrote in this round, so it stays after it; the starter rotates
            order = ["starter", "kzqa", "kzqa-answer"] if round_number % 2 == 0 else ["kzqa", "kzqa-answer", "starter"]
            for variant in order:
                data_dir = kzqa_dir if variant.startswith("kzqa") else Path(scratch) / f"starter{round_number}"
                runs.append(run_child(variant, data_dir))
                last = runs[-1]
                print(f"round {round_number + 1} {variant}: build {last['build_s']} s, "
                      f"load {last['load_after']['1min']}", flush=True)  # fmt: skip
    results = summarise(runs, _cases(), args.rounds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "llamaindex_starter.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "llamaindex_starter.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
