"""The files of one index build, loaded and checked together before anything is served from them.

A build is trusted only when each file has the shape its reader expects, the files agree with
each other and with the manifest (the same chunks, in the same order, as many as the manifest
says), and every file is the one written (its checksum, recorded in the manifest). Anything else is reported as damaged,
naming the file, instead of surfacing later as a TypeError or IndexError while answering.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.bm25_store import BM25Store
from index.build_checksums import verify_checksums
from index.chunk_records import ChunkRecord, load_records
from index.cross_lingual import Lexicon
from index.manifest import REBUILD_ADVICE, IndexCorrupt, IndexManifest
from index.sentence_store import SENTENCE_FILES, SENTENCES_FILE, VECTORS_FILE, SentenceStore
from index.term_stats import TermStats

RECORDS_FILE = "chunks.jsonl"
BM25_DIR = "bm25"
LEXICON_FILE = "lexicon.json"  # English → Chinese keywords limited to this corpus's words
TERM_STATS_FILE = "term_stats.json"
BUILD_FILES = (RECORDS_FILE, BM25_DIR, LEXICON_FILE, TERM_STATS_FILE, *SENTENCE_FILES)


class BuildDamaged(IndexCorrupt):
    """A build's files are missing, changed, malformed or disagree; the message names the file."""

    def __init__(self, build_dir: Path, reason: str):
        self.reason = reason
        super().__init__(
            f"the index build in {build_dir} is damaged or incomplete ({reason}); "
            f"run `kzqa index` to repair it, or {REBUILD_ADVICE} to start over"
        )


class _Disagreement(ValueError):
    pass


@dataclass(frozen=True)
class BuildFiles:
    records: dict[str, ChunkRecord]  # chunk id → record, in build order
    keyword_store: BM25Store
    lexicon: Lexicon
    term_stats: TermStats
    sentences: SentenceStore


def load_build(data_dir: Path, manifest: IndexManifest) -> BuildFiles:
    """Every file of the manifest's build, checked; BuildDamaged says what is wrong and what to run."""
    build_dir = manifest.build_dir(data_dir)
    try:
        if not build_dir.is_dir():
            raise _Disagreement(f"the build folder {build_dir} is missing")
        records = load_records(build_dir / RECORDS_FILE)
        files = BuildFiles(
            records={record.chunk_id: record for record in records},
            keyword_store=BM25Store.load(build_dir / BM25_DIR),
            lexicon=Lexicon.load(build_dir / LEXICON_FILE),
            term_stats=TermStats.load(build_dir / TERM_STATS_FILE),
            sentences=SentenceStore.load(build_dir),
        )
        _check_agreement(files, records, manifest, build_dir)
        # Last: a file that reads well but differs from what was written (a changed figure …).
        verify_checksums(build_dir, manifest.files)
    # ValueError covers bad JSON, wrong shapes and checksums; TypeError and IndexError come from
    # bm25s and numpy reading arrays that are not the ones they wrote.
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
        raise BuildDamaged(build_dir, _reason(error)) from None
    return files


def load_sentence_vectors(data_dir: Path, manifest: IndexManifest) -> dict[str, np.ndarray]:
    """The sentence vectors of a build found damaged elsewhere, by content hash, if their own two
    files are intact (checksums): a damaged lexicon or BM25 index must not cost re-embedding."""
    build_dir = manifest.build_dir(data_dir)
    verify_checksums(build_dir, manifest.files, only=(SENTENCES_FILE, VECTORS_FILE))
    return SentenceStore.load_vectors_by_hash(build_dir)


def _check_agreement(files: BuildFiles, records: list[ChunkRecord], manifest: IndexManifest, build_dir: Path) -> None:
    if len(files.records) != len(records):
        raise _Disagreement(f"{build_dir / RECORDS_FILE} lists a chunk id twice")
    if len(records) != manifest.chunk_count:
        raise _Disagreement(
            f"{build_dir / RECORDS_FILE} holds {len(records)} chunks, the manifest says {manifest.chunk_count}"
        )
    if files.keyword_store.chunk_ids != list(files.records):
        raise _Disagreement(f"{build_dir / BM25_DIR} indexes other chunks than {RECORDS_FILE} holds")
    if files.term_stats.chunk_count != len(records):
        raise _Disagreement(
            f"{build_dir / TERM_STATS_FILE} counts {files.term_stats.chunk_count} chunks, "
            f"{RECORDS_FILE} holds {len(records)}"
        )
    if manifest.sources and dict(Counter(record.source_key for record in records)) != manifest.sources:
        raise _Disagreement(f"{build_dir / RECORDS_FILE} holds other sources than the manifest lists")
    for sentence in files.sentences.records:
        chunk = files.records.get(sentence.chunk_id)
        if chunk is None or chunk.text[sentence.start : sentence.end] != sentence.text:
            raise _Disagreement(f"{build_dir} has a sentence that is not in its chunk ({sentence.text[:20]!r}…)")


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return f"{error.filename}: {error.strerror}" if error.filename else str(error)
    if isinstance(error, KeyError):
        return f"missing entry {error}"
    return str(error)
