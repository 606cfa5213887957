"""Stage 1: turn article files into clean documents and Chinese-aware chunks (llama-index nodes).

The names below are imported when first used: every layer imports `ingest.errors`, and that must not
load llama-index (seconds, for the chunker) before `kzqa --help` can answer.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "ChineseSentenceChunker": "ingest.chunker",
    "CleanDocument": "ingest.records",
    "CorpusNotFound": "ingest.pipeline",
    "DocumentFormat": "ingest.records",
    "FileTooLarge": "ingest.budget",
    "IngestReport": "ingest.records",
    "IngestedDocument": "ingest.records",
    "ParseBudget": "ingest.budget",
    "ParseBudgetExceeded": "ingest.budget",
    "ParseTimeout": "ingest.budget",
    "SkippedFile": "ingest.records",
    "UnknownFormat": "ingest.format_detection",
    "UnreadableInput": "ingest.decoding",
    "UnusableFile": "ingest.errors",
    "corpus_files": "ingest.pipeline",
    "ingest_corpus": "ingest.pipeline",
    "ingest_file": "ingest.pipeline",
    "ingest_paths": "ingest.pipeline",
    "plan_chunks": "ingest.chunker",
    "read_document": "ingest.pipeline",
    "to_llama_document": "ingest.chunker",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value  # later lookups skip this function
    return value
