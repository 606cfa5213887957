"""Stage 1: turn article files into clean documents and Chinese-aware chunks (llama-index nodes)."""

from ingest.budget import FileTooLarge, ParseBudget, ParseBudgetExceeded, ParseTimeout
from ingest.chunker import ChineseSentenceChunker, plan_chunks, to_llama_document
from ingest.decoding import UnreadableInput
from ingest.format_detection import UnknownFormat
from ingest.pipeline import CorpusNotFound, corpus_files, ingest_corpus, ingest_file, ingest_paths, read_document
from ingest.records import CleanDocument, DocumentFormat, IngestedDocument, IngestReport, SkippedFile

__all__ = [
    "ChineseSentenceChunker",
    "CleanDocument",
    "CorpusNotFound",
    "DocumentFormat",
    "FileTooLarge",
    "IngestReport",
    "IngestedDocument",
    "ParseBudget",
    "ParseBudgetExceeded",
    "ParseTimeout",
    "SkippedFile",
    "UnknownFormat",
    "UnreadableInput",
    "corpus_files",
    "ingest_corpus",
    "ingest_file",
    "ingest_paths",
    "plan_chunks",
    "read_document",
    "to_llama_document",
]
