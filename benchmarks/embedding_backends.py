"""The int8 embedding backend against fp32 torch, written to benchmarks/results/embedding_backends.{json,md}.

    .venv/bin/python benchmarks/embedding_backends.py [--rounds 3]
    .venv/bin/python benchmarks/embedding_backends.py --compare-eval TORCH.json INT8.json

The second form compares two `kzqa eval --config hybrid vector --json` outputs, one per backend
(KZQA_EMBED_BACKEND=torch / onnx-int8, each with its own KZQA_DATA_DIR), split by split, into
embedding_backends_eval.{json,md}: int8 becomes the default only if every metric stays within 0.01.

Issue 14's row: a full index build with the onnx-int8 backend against a raw torch fp32
`SentenceTransformer.encode` of the same texts (every chunk and every distinct sentence the build
embeds, in the build's batches of 16), target <= 1.0x. For context, the full build with torch too.
Each measurement runs in its own process (model loaded before the clock starts), so that its peak
RSS is its own; it then embeds the dev questions one by one for the query latency. The machine is
shared, so the variants run interleaved, round after round, and medians are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chat_app.config import load_config  # noqa: E402
from chat_app.evaluation.metrics import percentile  # noqa: E402
from chat_app.evaluation.testset import load_testset  # noqa: E402
from chat_app.index_settings import index_settings  # noqa: E402
from index.embedding import EMBED_BATCH_SIZE, EmbedBackend  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
QUESTIONS = 60  # dev questions embedded one by one, per measurement
VARIANTS = ("torch-encode", "int8-build", "torch-build")


def _settings(backend: EmbedBackend, data_dir: Path):
    base = index_settings(load_config())
    return replace(base, corpus_dirs=(base.corpus_dirs[0],), data_dir=data_dir, embed_backend=backend)


def embedded_texts(settings) -> list[str]:
    """Exactly what a full build embeds: every chunk's embedding text, then every distinct sentence."""
    from llama_index.core.schema import MetadataMode

    from index.chunk_records import ChunkRecord
    from index.sentence_store import SentenceStore
    from ingest import ChineseSentenceChunker, ingest_corpus

    chunker = ChineseSentenceChunker(chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap)
    nodes = [node for item in ingest_corpus(settings.corpus_dirs[0], chunker).documents for node in item.chunks]
    fingerprint = settings.embedding.fingerprint
    records = [ChunkRecord.from_node(node, model_fingerprint=fingerprint) for node in nodes]
    sentences = SentenceStore.to_embed(SentenceStore.plan(records, model_fingerprint=fingerprint), {})
    return [node.get_content(metadata_mode=MetadataMode.EMBED) for node in nodes] + [s.text for s in sentences]


def measure(variant: str, data_dir: Path) -> dict:
    """One measurement, in this process: load, warm up, time the work, then the query latencies."""
    from index.embedder import Embedder
    from index.indexer import build_index

    backend = EmbedBackend.TORCH if variant.startswith("torch") else EmbedBackend.ONNX_INT8
    settings = _settings(backend, data_dir)
    embedder = Embedder.load(settings)
    texts = embedded_texts(settings)
    embedder.embed_passages(texts[:EMBED_BATCH_SIZE])  # warm-up: first-call allocations, thread pools
    started = time.perf_counter()
    if variant.endswith("-encode"):
        model = embedder.sentence_transformer  # the model itself: no llama-index, no store
        model.encode(texts, batch_size=EMBED_BATCH_SIZE, prompt_name="text", normalize_embeddings=True)
    else:
        build_index(settings, embedder=embedder)
    seconds = time.perf_counter() - started
    questions = [case.question for case in load_testset(ROOT / "tests" / "data" / "qa.jsonl")][:QUESTIONS]
    embedder.embed_query(questions[0])
    latencies = []
    for question in questions:
        began = time.perf_counter()
        embedder.embed_query(question)
        latencies.append((time.perf_counter() - began) * 1000)
    return {
        "variant": variant,
        "texts": len(texts),
        "seconds": seconds,
        "query_ms_p50": percentile(latencies, 0.5),
        "query_ms_p95": percentile(latencies, 0.95),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_variant(variant: str, scratch: Path) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"{variant}-", dir=scratch))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, __file__, "--measure", variant, "--data-dir", str(data_dir)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def summarise(runs: list[dict], rounds: int, variants: list[str]) -> dict:
    by_variant = {v: [r for r in runs if r["variant"] == v] for v in variants}

    def median(variant: str, key: str) -> float:
        return round(statistics.median(r[key] for r in by_variant[variant]), 3)

    per_round = [
        round(build["seconds"] / encode["seconds"], 3)
        for build, encode in zip(by_variant["int8-build"], by_variant["torch-encode"], strict=True)
    ]
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_at_end": os.getloadavg()[0],
        "texts": by_variant["torch-encode"][0]["texts"],
        "rounds": rounds,
        "median": {
            v: {k: median(v, k) for k in ("seconds", "query_ms_p50", "query_ms_p95", "peak_rss_mb")} for v in variants
        },
        "int8_build_over_torch_encode": round(median("int8-build", "seconds") / median("torch-encode", "seconds"), 3),
        "int8_build_over_torch_encode_per_round": per_round,
        "torch_build_over_torch_encode": (
            round(median("torch-build", "seconds") / median("torch-encode", "seconds"), 3)
            if by_variant.get("torch-build")
            else None
        ),
        "runs": runs,
    }


def write_results(results: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "embedding_backends.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    m = results["median"]
    label = {
        "torch-encode": "raw torch fp32 `encode`, same texts",
        "int8-build": "full index build, onnx-int8",
        "torch-build": "full index build, torch fp32",
    }
    per_round = ", ".join(f"{r:.2f}" for r in results["int8_build_over_torch_encode_per_round"])
    rows = [
        f"| {label[v]} | {m[v]['seconds']:.1f} s | {m[v]['query_ms_p50']:.1f} / {m[v]['query_ms_p95']:.1f} ms "
        f"| {m[v]['peak_rss_mb']:.0f} MB |"
        for v in m
    ]
    lines = [
        "# Embedding backends: onnx-int8 vs torch fp32",
        "",
        f"{results['machine']} (shared: load average {results['load_average_at_end']:.1f} at the end); "
        f"{results['texts']} texts (every chunk and distinct sentence of the corpus build); "
        f"medians of {results['rounds']} interleaved rounds, one process per measurement.",
        "",
        "| measurement | seconds | query embedding p50 / p95 | peak RSS of the process |",
        "|---|---|---|---|",
        *rows,
        "",
        f"- **full build with int8 / raw torch fp32 encode: {results['int8_build_over_torch_encode']:.2f}x** "
        f"(target <= 1.0x); per round: {per_round}",
        *(
            [f"- full build with torch fp32 / raw torch fp32 encode: {results['torch_build_over_torch_encode']:.2f}x"]
            if results["torch_build_over_torch_encode"]
            else []
        ),
        "- Query latency: one `embed_query` per dev question, after the timed work, in the same process.",
    ]
    (RESULTS / "embedding_backends.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


EVAL_METRICS = (
    "hit_at_1", "hit_at_3", "hit_at_5", "mrr", "keywords_at_5", "answer_accuracy",
    "citation_precision", "citation_recall", "refusal_rate", "false_refusal_rate", "passed",
)  # fmt: skip
TOLERANCE = 0.01  # issue 14: adopt int8 only where dev-set metrics stay within 0.01 of fp32


def compare_eval(torch_json: Path, int8_json: Path) -> None:
    fp32, int8 = (json.loads(path.read_text(encoding="utf-8"))["configs"] for path in (torch_json, int8_json))
    tables, lines = {}, ["# Dev-set metrics: onnx-int8 vs torch fp32", ""]
    for config in fp32:
        for split in ("validate", "tune"):
            a, b = fp32[config]["by_split"][split], int8[config]["by_split"][split]
            rows = {m: (a[m], b[m], b[m] - a[m]) for m in EVAL_METRICS if a.get(m) is not None}
            tables[f"{config}/{split}"] = rows
            lines += [
                f"## {config}, {split}",
                "",
                "| metric | torch fp32 | onnx-int8 | difference |",
                "|---|---|---|---|",
            ]
            lines += [f"| {m} | {x:.3f} | {y:.3f} | {d:+.3f} |" for m, (x, y, d) in rows.items()]
            lines.append("")
    beyond = sorted(
        ((abs(d), table, m) for table, rows in tables.items() for m, (_, _, d) in rows.items() if abs(d) > TOLERANCE),
        reverse=True,
    )
    verdict = "int8 may be the default" if not beyond else "fp32 stays the default"
    lines.append(f"**{verdict}**: {len(beyond)} metric(s) moved by more than {TOLERANCE}" + (
        ": " + ", ".join(f"{table} {m} ({d:.3f})" for d, table, m in beyond) if beyond else "."
    ))  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "embedding_backends_eval.json").write_text(
        json.dumps({"tolerance": TOLERANCE, "verdict": verdict, "tables": tables}, indent=2), encoding="utf-8"
    )
    (RESULTS / "embedding_backends_eval.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--compare-eval", nargs=2, type=Path, metavar=("TORCH_JSON", "INT8_JSON"))
    parser.add_argument("--measure", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.data_dir)))
        return
    if args.compare_eval:
        compare_eval(*args.compare_eval)
        return
    from index.embedding import resolve_model_path

    config = load_config()
    for backend in EmbedBackend:  # convert before any clock starts; a no-op when the folders exist
        resolve_model_path(config.embed_model, cache_dir=config.model_cache_dir, backend=backend, progress=print)
    runs = []
    with tempfile.TemporaryDirectory(prefix="kzqa-backends-") as scratch:
        for round_number in range(1, args.rounds + 1):
            for variant in args.variants:
                runs.append(run_variant(variant, Path(scratch)))
                print(f"round {round_number}: {variant} {runs[-1]['seconds']:.1f} s", file=sys.stderr)
            # After every round, so that a run cut short still leaves the medians of the rounds it completed.
            write_results(summarise(runs, round_number, args.variants))


if __name__ == "__main__":
    main()
