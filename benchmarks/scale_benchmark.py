"""Index build time and retrieval latency as the corpus grows: 1×, 10×, 100× the five articles.

    .venv/bin/python benchmarks/scale_benchmark.py [--scales 1 10 100]

Variants are the cleaned articles with the sentences of every paragraph shuffled (seeded) and
written under new file names, so every variant's chunks differ and are embedded for real.
Targets: build time linear in chunks; retrieval p95 <= 100 ms at 100×.
Results: benchmarks/results/scale_benchmark.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
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
from index.embedder import Embedder  # noqa: E402
from index.hybrid_retriever import HybridRetriever  # noqa: E402
from index.indexer import build_index  # noqa: E402
from ingest import ingest_corpus  # noqa: E402
from ingest.sentences import split_sentences  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def write_corpus(folder: Path, scale: int, corpus_dir: Path) -> None:
    """The five articles plus (scale - 1) shuffled variants of each, as plain text files."""
    folder.mkdir(parents=True)
    documents = [item.document for item in ingest_corpus(corpus_dir).documents]
    for path in sorted(corpus_dir.iterdir()):
        (folder / path.name).write_bytes(path.read_bytes())
    for variant in range(1, scale):
        rng = random.Random(variant)
        for document in documents:
            paragraphs = []
            for paragraph in document.text.split("\n\n"):
                sentences = [paragraph[s.start : s.end] for s in split_sentences(paragraph)]
                rng.shuffle(sentences)
                paragraphs.append("".join(sentences))
            text = f"{document.title}（变体 {variant}）\n\n" + "\n\n".join(paragraphs) + "\n"
            (folder / f"v{variant:03d}_{document.source}").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    config = load_config()
    base = index_settings(config)
    embedder = Embedder.load(base)
    questions = [c.question for c in load_testset(ROOT / "tests" / "data" / "qa.jsonl")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="kzqa-scale-") as scratch:
        for scale in args.scales:
            corpus = Path(scratch) / f"corpus{scale}"
            write_corpus(corpus, scale, config.corpus_dir)
            settings = replace(base, data_dir=Path(scratch) / f"data{scale}", corpus_dirs=(corpus,))
            started = time.perf_counter()
            summary = build_index(settings, embedder=embedder)
            build_s = time.perf_counter() - started
            retriever = HybridRetriever(settings, embedder=embedder)
            for question in questions[:10]:
                retriever.retrieve(question, k=5)  # warm-up
            latencies = []
            for question in questions:
                t0 = time.perf_counter()
                retriever.retrieve(question, k=5)
                latencies.append((time.perf_counter() - t0) * 1000)
            row = {
                "scale": scale,
                "documents": summary.documents,
                "chunks": summary.chunks,
                "build_s": round(build_s, 1),
                "build_s_per_1000_chunks": round(build_s / summary.chunks * 1000, 1),
                "retrieval_ms_p50": round(percentile(latencies, 0.5), 1),
                "retrieval_ms_p95": round(percentile(latencies, 0.95), 1),
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    (RESULTS / "scale_benchmark.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=2))
    lines = [
        "# Scale benchmark", "", f"{machine}. Build includes ingest, embedding, Chroma and BM25 writes.", "",
        "| scale | documents | chunks | build (s) | s / 1000 chunks | retrieval p50 (ms) | p95 (ms) |",
        "|---|---|---|---|---|---|---|",
        *(f"| {r['scale']}× | {r['documents']} | {r['chunks']} | {r['build_s']} | {r['build_s_per_1000_chunks']} "
          f"| {r['retrieval_ms_p50']} | {r['retrieval_ms_p95']} |" for r in rows),
    ]  # fmt: skip
    (RESULTS / "scale_benchmark.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
