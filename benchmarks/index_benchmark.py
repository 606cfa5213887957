"""Index speed and memory, written to benchmarks/results/index_benchmark.{json,md}.

    .venv/bin/python benchmarks/index_benchmark.py

Measures, with the model already loaded (interpreter start and imports excluded):
- full index build of the corpus vs. raw SentenceTransformer.encode of the same chunk texts
  (target ratio <= 1.3);
- re-index of the unchanged corpus as a share of the full build (target <= 5%);
- warm retrieval latency p50/p95 over the dev questions (target p50 <= 50 ms);
- peak RSS of an indexing process and of a retrieval process (separate `kzqa` subprocesses).
"""

from __future__ import annotations

import json
import os
import platform
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
from index.embedder import Embedder  # noqa: E402
from index.embedding import EMBED_BATCH_SIZE  # noqa: E402
from index.hybrid_retriever import HybridRetriever  # noqa: E402
from index.indexer import build_index  # noqa: E402
from ingest import ChineseSentenceChunker, ingest_corpus  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
REPEATS = 3


def embed_texts(settings) -> list[str]:
    from llama_index.core.schema import MetadataMode

    chunker = ChineseSentenceChunker(chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap)
    report = ingest_corpus(settings.corpus_dirs[0], chunker)
    prefix = settings.embedding.passage_prefix
    return [prefix + n.get_content(metadata_mode=MetadataMode.EMBED) for d in report.documents for n in d.chunks]


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


_RSS_PROBE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_rss_mb(command: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of `command`, in MB. A fresh parent per measurement: RUSAGE_CHILDREN
    keeps the maximum over every child a process ever waited for."""
    result = subprocess.run([sys.executable, "-c", _RSS_PROBE, *command], env=env, check=True, capture_output=True)
    return int(result.stdout.decode().split()[-1]) / 1024


def main() -> None:
    config = load_config()
    base = replace(index_settings(config), corpus_dirs=(config.corpus_dir,))
    embedder = Embedder.load(base)
    sentence_transformer = embedder.sentence_transformer
    texts = embed_texts(base)
    sentence_transformer.encode(texts[:4], batch_size=EMBED_BATCH_SIZE)  # warm-up

    builds, encodes, reindexes = [], [], []
    with tempfile.TemporaryDirectory(prefix="kzqa-bench-") as scratch:
        for attempt in range(REPEATS):
            settings = replace(base, data_dir=Path(scratch) / f"build{attempt}")
            encodes.append(timed(lambda: sentence_transformer.encode(texts, batch_size=EMBED_BATCH_SIZE)))
            builds.append(timed(lambda s=settings: build_index(s, embedder=embedder)))
            reindexes.append(timed(lambda s=settings: build_index(s, embedder=embedder)))

        retriever = HybridRetriever(settings, embedder=embedder)
        questions = [case.question for case in load_testset(ROOT / "tests" / "data" / "qa.jsonl")]
        for question in questions:  # warm-up pass
            retriever.retrieve(question, k=5)
        latencies = [timed(lambda q=question: retriever.retrieve(q, k=5)) * 1000 for question in questions]

        kzqa = str(Path(sys.executable).with_name("kzqa"))
        env = {**os.environ, "KZQA_DATA_DIR": str(Path(scratch) / "rss")}
        index_rss = peak_rss_mb([kzqa, "index"], env)
        retrieve_rss = peak_rss_mb([kzqa, "retrieve", "俄哈边境线有多长？"], env)

    build, encode, reindex = min(builds), min(encodes), min(reindexes)
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "chunks": len(texts),
        "full_build_s": round(build, 3),
        "raw_encode_s": round(encode, 3),
        "build_over_encode": round(build / encode, 3),
        "reindex_unchanged_s": round(reindex, 3),
        "reindex_share_of_build": round(reindex / build, 4),
        "retrieval_ms_p50": round(percentile(latencies, 0.5), 1),
        "retrieval_ms_p95": round(percentile(latencies, 0.95), 1),
        "retrieval_questions": len(latencies),
        "peak_rss_index_mb": round(index_rss),
        "peak_rss_retrieve_mb": round(retrieve_rss),
        "repeats": REPEATS,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "index_benchmark.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    rows = [
        ("full build (ingest + embed + Chroma + BM25)", f"{build:.2f} s"),
        ("raw SentenceTransformer.encode, same texts", f"{encode:.2f} s"),
        ("build / encode (target <= 1.3)", f"{build / encode:.2f}"),
        ("re-index unchanged corpus", f"{reindex * 1000:.0f} ms = {reindex / build:.1%} of build (target <= 5%)"),
        ("warm retrieval p50 / p95 (target p50 <= 50 ms)",
         f"{results['retrieval_ms_p50']} / {results['retrieval_ms_p95']} ms over {len(latencies)} questions"),
        ("peak RSS: `kzqa index` (fresh data dir)", f"{results['peak_rss_index_mb']} MB"),
        ("peak RSS: `kzqa retrieve`", f"{results['peak_rss_retrieve_mb']} MB"),
    ]  # fmt: skip
    lines = ["# Index benchmark", "", f"{results['machine']}; {len(texts)} chunks; best of {REPEATS}.", "",
             "| measure | value |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)]  # fmt: skip
    (RESULTS / "index_benchmark.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
