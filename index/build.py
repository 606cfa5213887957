"""One index build, opened: its manifest and every file it lists, loaded and checked together
before anything is served from them.

A build is trusted only when each file has the shape its reader expects, the files agree with
each other and with the manifest (the same chunks, in the same order, as many as the manifest
says), and every file is the one written (its checksum, recorded in the manifest). Anything else
is reported as damaged, naming the file, instead of surfacing later as a TypeError or IndexError
while answering. Where each file lives is index.build_layout's to say.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.bm25_store import BM25Store
from index.build_checksums import verify_checksums
from index.build_layout import RECORDS_FILE, SENTENCE_VECTORS_FILE, SENTENCES_FILE, BuildLayout
from index.chunk_records import ChunkRecord, load_records
from index.cross_lingual import Lexicon
from index.manifest import REBUILD_ADVICE, IndexCorrupt, IndexManifest
from index.sentence_store import SentenceStore
from index.term_stats import TermStats


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
class Build:
    """A build whose files were all found sound (see the module docstring); open it with `Build.open`."""

    manifest: IndexManifest
    layout: BuildLayout
    records: dict[str, ChunkRecord]  # chunk id → record, in build order
    keyword_store: BM25Store
    lexicon: Lexicon
    term_stats: TermStats
    sentences: SentenceStore

    @classmethod
    def open(cls, data_dir: Path, manifest: IndexManifest) -> Build:
        """Every file of the manifest's build, checked; BuildDamaged says what is wrong and what to run."""
        layout = BuildLayout(manifest.build_dir(data_dir))
        try:
            if not layout.folder.is_dir():
                raise _Disagreement(f"the build folder {layout.folder} is missing")
            records = load_records(layout.records)
            build = cls(
                manifest=manifest,
                layout=layout,
                records={record.chunk_id: record for record in records},
                keyword_store=BM25Store.load(layout.bm25),
                lexicon=Lexicon.load(layout.lexicon),
                term_stats=TermStats.load(layout.term_stats),
                sentences=SentenceStore.load(layout.folder),
            )
            build._check_agreement(records)
            # Last: a file that reads well but differs from what was written (a changed figure …).
            verify_checksums(layout.folder, manifest.files)
        # ValueError covers bad JSON, wrong shapes and checksums; TypeError and IndexError come from
        # bm25s and numpy reading arrays that are not the ones they wrote.
        except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
            raise BuildDamaged(layout.folder, _reason(error)) from None
        return build

    def _check_agreement(self, records: list[ChunkRecord]) -> None:
        manifest, layout = self.manifest, self.layout
        if len(self.records) != len(records):
            raise _Disagreement(f"{layout.records} lists a chunk id twice")
        if len(records) != manifest.chunk_count:
            raise _Disagreement(
                f"{layout.records} holds {len(records)} chunks, the manifest says {manifest.chunk_count}"
            )
        if self.keyword_store.chunk_ids != list(self.records):
            raise _Disagreement(f"{layout.bm25} indexes other chunks than {RECORDS_FILE} holds")
        if self.term_stats.chunk_count != len(records):
            raise _Disagreement(
                f"{layout.term_stats} counts {self.term_stats.chunk_count} chunks, {RECORDS_FILE} holds {len(records)}"
            )
        if manifest.sources and dict(Counter(record.source_key for record in records)) != manifest.sources:
            raise _Disagreement(f"{layout.records} holds other sources than the manifest lists")
        for sentence in self.sentences.records:
            chunk = self.records.get(sentence.chunk_id)
            if chunk is None or chunk.text[sentence.start : sentence.end] != sentence.text:
                raise _Disagreement(
                    f"{layout.folder} has a sentence that is not in its chunk ({sentence.text[:20]!r}…)"
                )


def load_sentence_vectors(data_dir: Path, manifest: IndexManifest) -> dict[str, np.ndarray]:
    """The sentence vectors of a build found damaged elsewhere, by content hash, if their own two
    files are intact (checksums): a damaged lexicon or BM25 index must not cost re-embedding."""
    folder = manifest.build_dir(data_dir)
    verify_checksums(folder, manifest.files, only=(SENTENCES_FILE, SENTENCE_VECTORS_FILE))
    return SentenceStore.load_vectors_by_hash(folder)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return f"{error.filename}: {error.strerror}" if error.filename else str(error)
    if isinstance(error, KeyError):
        return f"missing entry {error}"
    return str(error)
