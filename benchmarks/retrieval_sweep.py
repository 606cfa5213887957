"""Sweep chunking, BM25 tokenization and fusion settings over the dev set; write the table.

    .venv/bin/python benchmarks/retrieval_sweep.py [--quick]

Every configuration is a real index (real model, real Chroma, real jieba) in a temp folder; the
embedding model is loaded once. Results go to benchmarks/results/retrieval_sweep.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chat_app.config import load_config  # noqa: E402
from chat_app.evaluation.retrieval_eval import evaluate_retrieval  # noqa: E402
from chat_app.evaluation.testset import load_testset  # noqa: E402
from chat_app.index_settings import index_settings  # noqa: E402
from index.chinese_tokenizer import TokenizerMode  # noqa: E402
from index.embedder import Embedder  # noqa: E402
from index.hybrid_retriever import HybridRetriever  # noqa: E402
from index.indexer import build_index  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
CHUNKINGS = [(150, 30), (200, 40), (250, 50), (300, 0), (300, 60), (400, 80)]
TOKENIZERS = list(TokenizerMode)
RRF_KS = [10, 30, 60]


def run(settings, embedder, cases, label: str, rows: list[dict]) -> dict:
    build_index(settings, embedder=embedder)
    retriever = HybridRetriever(settings, embedder=embedder)
    reports = evaluate_retrieval(retriever, cases)
    row = {"label": label, "chunks": retriever.chunk_count}
    for report in reports:
        row[report.mode] = asdict(report.overall)
    rows.append(row)
    hybrid = row["hybrid"]
    print(
        f"{label:45s} chunks={row['chunks']:4d}  hybrid hit@5={hybrid['hit_at_5']:.3f} "
        f"MRR={hybrid['mrr']:.3f} kw@5={hybrid['keywords_at_5']:.3f}  "
        f"vector kw@5={row['vector']['keywords_at_5']:.3f}  bm25 kw@5={row['bm25']['keywords_at_5']:.3f}",
        flush=True,
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="only the chunking sweep")
    args = parser.parse_args()
    config = load_config()
    cases = load_testset(ROOT / "tests" / "data" / "qa.jsonl")
    rows: list[dict] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kzqa-sweep-") as scratch:
        base = replace(index_settings(config), corpus_dirs=(config.corpus_dir,))
        embedder = Embedder.load(base)

        best_label, best_score, best_settings = "", -1.0, base
        for size, overlap in CHUNKINGS:
            data_dir = Path(scratch) / f"c{size}-{overlap}"
            settings = replace(base, data_dir=data_dir, chunk_size=size, chunk_overlap=overlap)
            row = run(settings, embedder, cases, f"chunk {size}/{overlap}", rows)
            score = row["hybrid"]["mrr"] + row["hybrid"]["keywords_at_5"] + row["hybrid"]["hit_at_5"]
            if score > best_score:
                best_label, best_score, best_settings = row["label"], score, settings

        if not args.quick:
            for mode in TOKENIZERS:
                for with_title in (True, False):
                    settings = replace(best_settings, bm25_tokenizer=mode, bm25_text_includes_title=with_title)
                    run(settings, embedder, cases, f"{best_label} bm25={mode.value} title={with_title}", rows)
            for rrf_k in RRF_KS:
                settings = replace(best_settings, rrf_k=rrf_k)
                run(settings, embedder, cases, f"{best_label} rrf_k={rrf_k}", rows)

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "retrieval_sweep.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    lines = [
        "# Retrieval sweep on the dev set (answerable questions)",
        "",
        f"{len(cases)} test cases; {time.perf_counter() - started:.0f} s. "
        "Columns: hybrid hit@5 / MRR / kw@5, then kw@5 of vector-only and BM25-only.",
        "",
        "| configuration | chunks | hybrid hit@5 | hybrid MRR | hybrid kw@5 | vector kw@5 | bm25 kw@5 |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        h = row["hybrid"]
        lines.append(
            f"| {row['label']} | {row['chunks']} | {h['hit_at_5']:.3f} | {h['mrr']:.3f} | {h['keywords_at_5']:.3f} "
            f"| {row['vector']['keywords_at_5']:.3f} | {row['bm25']['keywords_at_5']:.3f} |"
        )
    (RESULTS / "retrieval_sweep.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / 'retrieval_sweep.md'}")


if __name__ == "__main__":
    main()
