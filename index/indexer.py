"""Incremental, interruption-safe indexing of the corpus.

Order of work: embed only chunks whose content is new, add their vectors to Chroma batch by
batch (ids are content-derived, so a re-run adds nothing twice), write the BM25 index and chunk
records into a new build folder, switch the manifest, and only then delete what the new build no
longer holds. A run killed at any point leaves the previous build in force, and the next run
resumes: a new collection (first build, `--rebuild`) is recorded as unfinished before its first
vector, so a killed run's collection is filled on, not started over. Old builds and collections
are dropped only once no running reader holds them (reader_leases).
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from index.bm25_store import BM25Store
from index.build import Build, BuildDamaged, load_sentence_vectors
from index.build_checksums import file_checksums
from index.build_layout import BuildLayout, build_folder
from index.chinese_tokenizer import ChineseTokenizer, TokenizerMode
from index.chunk_records import ChunkRecord, save_records
from index.cleanup import remove_unused
from index.collection_registry import CollectionRegistry, CollectionState
from index.cross_lingual import Lexicon
from index.embedder import Embedder
from index.errors import IndexModelMismatch
from index.index_lock import IndexBusy, exclusive
from index.manifest import MANIFEST_NAME, IndexCorrupt, IndexManifest, IndexMissing, read_manifest, write_manifest
from index.private_documents import owned_chunk_id, owned_files
from index.sentence_checkpoint import SentenceCheckpoint
from index.sentence_store import SentenceStore, SentenceStoreDamaged
from index.settings import IndexSettings
from index.storage_errors import storage_failure
from index.term_stats import TermStats
from index.vector_store import StoredVector, VectorStore, VectorStoreError, local_store_path, open_client
from index.visibility import OWNER_KEY, PUBLIC
from ingest import ChineseSentenceChunker, IngestReport, SkippedFile, ingest_paths
from ingest.errors import KzqaError
from ingest.pipeline import corpus_files

__all__ = ["IndexBusy", "IndexModelMismatch", "IndexSummary", "IndexWriteError", "PrivateSkip", "build_index"]

BATCH_SIZE = 32  # chunks embedded and written per step: progress is saved at least this often
TAG_BATCH = 1000  # vectors given their owner tag per Chroma call, when an older build's lack one

Progress = Callable[[int, int], None]  # (chunks embedded so far, chunks to embed)


class IndexWriteError(KzqaError):
    """The index could not be written (read-only folder, disk full …); the previous build stays."""


@dataclass(frozen=True)
class PrivateSkip:
    """A private document that could not be read: reported to its owner only."""

    owner: str
    skipped: SkippedFile


@dataclass
class IndexSummary:
    added: int = 0
    kept: int = 0
    removed: int = 0
    embedded: int = 0
    reused: int = 0
    chunks: int = 0
    documents: int = 0
    seconds: float = 0.0
    build_id: str = ""
    unchanged: bool = False
    resumed: int = 0  # vectors a killed earlier run had already made (a resumed first build or --rebuild)
    repaired: str | None = None  # why the previous build could not be kept as it was (damaged files)
    skipped: list[SkippedFile] = field(default_factory=list)  # corpus articles and shared documents
    private_skipped: list[PrivateSkip] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def build_index(
    settings: IndexSettings,
    *,
    embedder: Embedder | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    status: Callable[[str], None] | None = None,
) -> IndexSummary:
    try:
        return _build_index(settings, embedder=embedder, rebuild=rebuild, progress=progress, status=status)
    except Exception as error:
        reason = storage_failure(error, folder=settings.data_dir)
        if reason is not None:
            raise IndexWriteError(
                f"cannot write the index in {settings.data_dir}: {reason}. "
                "Free some disk space or choose a writable data_dir (KZQA_DATA_DIR); "
                "the previous index, if any, is unchanged."
            ) from None
        if isinstance(error, OSError):  # a path problem (a folder where a file belongs …), not the disk
            raise IndexWriteError(
                f"cannot write the index in {settings.data_dir}: {error}; the previous index, if any, is unchanged"
            ) from None
        raise


def _build_index(
    settings: IndexSettings,
    *,
    embedder: Embedder | None,
    rebuild: bool,
    progress: Progress | None,
    status: Callable[[str], None] | None,
) -> IndexSummary:
    started = time.perf_counter()
    say = status or (lambda _message: None)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with exclusive(settings.data_dir):
        if rebuild:
            _set_aside_special_manifest(settings.data_dir, say)
        previous = _previous_manifest(settings, rebuild=rebuild)
        report, private_skipped = _ingest(settings)
        nodes = [node for item in report.documents for node in item.chunks]
        spec = settings.embedding
        records = [ChunkRecord.from_node(node, model_fingerprint=spec.fingerprint) for node in nodes]
        summary = IndexSummary(
            chunks=len(records), documents=len(report.documents), skipped=report.skipped,
            private_skipped=private_skipped,
        )  # fmt: skip

        build_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)
        client = _open_for_writing(settings, rebuild=rebuild, say=say)
        kept, summary.repaired = _check_previous(settings, previous, say)
        if previous:
            collection_name = previous.collection
        else:
            collection_name = _new_collection(settings, client, build_id, rebuild=rebuild, say=say)
        vectors = VectorStore.create(client, collection_name, model_fingerprint=spec.fingerprint)
        present = vectors.ids()
        wanted = {record.chunk_id for record in records}

        if previous and kept and present == wanted and _same_build(previous, kept, settings, records):
            summary.kept, summary.unchanged, summary.build_id = len(records), True, previous.build_id
            _clean_up(settings, client, say)
            summary.seconds = time.perf_counter() - started
            return summary
        if not previous:
            summary.resumed = len(present & wanted)
        pairs = zip(nodes, records, strict=True)
        missing = [(node, record) for node, record in pairs if record.chunk_id not in present]

        checkpoint = SentenceCheckpoint(settings.data_dir, collection_name)
        sentence_records = SentenceStore.plan(records, model_fingerprint=spec.fingerprint)
        earlier = _previous_sentence_vectors(settings, previous, kept)
        saved = {h: v for h, v in checkpoint.load().items() if h not in earlier}
        summary.resumed += len({r.content_hash for r in sentence_records} & saved.keys())
        reuse = {**earlier, **saved}
        sentences_missing = len(SentenceStore.to_embed(sentence_records, reuse))
        work = _Work(progress, len(missing) + sentences_missing)
        if missing:
            say(f"embedding {len(missing)} new chunks")
            embedder = embedder or Embedder.load(settings, progress=say)
            _check_embedder(embedder, settings)
            summary.embedded, summary.reused = _add_vectors(vectors, missing, embedder, work.step(0))
        _tag_owners(vectors, [record for record in records if record.chunk_id in present])
        if sentences_missing:
            say(f"embedding {sentences_missing} new sentences")
            embedder = embedder or Embedder.load(settings, progress=say)
            _check_embedder(embedder, settings)
        sentences = SentenceStore.build(
            sentence_records,
            embed=embedder.embed_passages if embedder else _no_embedding,
            reuse=reuse,
            progress=work.step(len(missing)),
            on_batch=checkpoint.save,
        )
        build_dir = build_folder(settings.data_dir, build_id)
        checksums = _write_build(build_dir, records, settings, sentences)
        manifest = IndexManifest(
            build_id=build_id,
            collection=collection_name,
            model_fingerprint=spec.fingerprint,
            tokenizer=settings.bm25_signature,
            chunk_size=settings.chunk_size,
            chunk_overlap=settings.chunk_overlap,
            chunk_count=len(records),
            sources=_chunks_per_source(records),
            files=checksums,
        )
        try:
            write_manifest(settings.data_dir, manifest)
        except BaseException:
            shutil.rmtree(build_dir, ignore_errors=True)  # never switched to: the previous build stays in force
            raise
        with suppress(OSError):  # the build is in force; an unfinished mark on its collection is harmless
            CollectionRegistry(settings.data_dir).record(collection_name, spec.fingerprint, CollectionState.BUILT)
        checkpoint.discard()  # its vectors are in the build now
        stale = sorted(present - wanted)
        vectors.delete(stale)  # readers of older builds only miss these in vector search
        _clean_up(settings, client, say)

        previous_ids = present if previous else set()
        summary.added = len(wanted - previous_ids)
        summary.kept = len(wanted & previous_ids)
        summary.removed = len(stale)
        summary.build_id = build_id
        summary.seconds = time.perf_counter() - started
        return summary


def _set_aside_special_manifest(data_dir: Path, say: Callable[[str], None]) -> None:
    """A folder where manifest.json belongs would make the final switch fail after all the work."""
    path = data_dir / MANIFEST_NAME
    if path.exists() and not path.is_file():
        aside = path.with_name(f"{MANIFEST_NAME}.damaged-{datetime.now(UTC):%Y%m%d%H%M%S}")
        os.replace(path, aside)
        say(f"{path} was not a file; moved it to {aside}")


def _check_previous(
    settings: IndexSettings, previous: IndexManifest | None, say: Callable[[str], None]
) -> tuple[Build | None, str | None]:
    """The current build's files if they are sound, else (None, what is wrong with them)."""
    if previous is None:
        return None, None
    try:
        return Build.open(settings.data_dir, previous), None
    except BuildDamaged as damage:
        say(f"the current index build is damaged ({damage.reason}); writing it again")
        return None, damage.reason


def _new_collection(
    settings: IndexSettings, client, build_id: str, *, rebuild: bool, say: Callable[[str], None]
) -> str:
    """The collection a first build or a rebuild fills: a killed run's, to resume it, else a new one.
    Recorded as unfinished before any vector goes in."""
    registry = CollectionRegistry(settings.data_dir)
    fingerprint = settings.embedding.fingerprint
    replaced = _readable_manifest(settings.data_dir) if rebuild else None
    if replaced:  # on a shared Chroma server, the record is how cleanup knows this collection is ours
        registry.record(replaced.collection, replaced.model_fingerprint, CollectionState.BUILT)
    for name in registry.unfinished(fingerprint):
        if (replaced is None or name != replaced.collection) and VectorStore.exists(client, name):
            say(f"resuming the interrupted build in collection {name}")
            return name
    name = f"kzqa_{build_id}"
    registry.record(name, fingerprint, CollectionState.BUILDING)
    return name


def _clean_up(settings: IndexSettings, client, say: Callable[[str], None]) -> None:
    """Drop what neither the manifest nor a running reader holds; a failure here never fails the build."""
    try:
        remove_unused(settings.data_dir, client, local_store=not settings.chroma_url, keep_unfinished=False)
    except Exception as error:
        say(f"could not remove unused index files yet ({error}); the next `kzqa index` tries again")


def _previous_manifest(settings: IndexSettings, *, rebuild: bool) -> IndexManifest | None:
    if rebuild:
        return None
    try:
        manifest = read_manifest(settings.data_dir)
    except IndexMissing:
        return None
    if manifest.model_fingerprint != settings.embedding.fingerprint:
        raise IndexModelMismatch(
            f"the index in {settings.data_dir} was built with embedding model "
            f"{manifest.model_fingerprint!r}, but the configuration now says "
            f"{settings.embedding.fingerprint!r}; rebuild it with `kzqa index --rebuild`"
        )
    return manifest


def _open_for_writing(settings: IndexSettings, *, rebuild: bool, say: Callable[[str], None]):
    """The Chroma client; on --rebuild a local store that cannot even be opened is set aside."""
    try:
        return open_client(settings.data_dir, settings.chroma_url)
    except VectorStoreError:
        local = local_store_path(settings.data_dir)
        if not rebuild or settings.chroma_url or not local.exists():
            raise
        aside = local.with_name(f"chroma.damaged-{datetime.now(UTC):%Y%m%d%H%M%S}")
        os.replace(local, aside)
        say(f"the Chroma store could not be opened; moved it to {aside} and starting afresh")
        return open_client(settings.data_dir, settings.chroma_url)


def _readable_manifest(data_dir: Path) -> IndexManifest | None:
    """The manifest a rebuild replaces (its collection is dropped once the new build is in force)."""
    try:
        return read_manifest(data_dir)
    except (IndexMissing, IndexCorrupt):
        return None


def _ingest(settings: IndexSettings) -> tuple[IngestReport, list[PrivateSkip]]:
    """Every document: the corpus and shared documents, then each owner's private ones, whose chunks
    carry their owner (and ids of their own). Unreadable private files are kept apart, for their owner."""
    chunker = ChineseSentenceChunker(chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap)
    paths = [path for folder in settings.corpus_dirs if folder.is_dir() for path in corpus_files(folder)]
    if settings.corpus_dirs and not settings.corpus_dirs[0].is_dir():
        corpus_files(settings.corpus_dirs[0])  # raises CorpusNotFound with the folder named
    report = ingest_paths(paths, chunker)
    private_skipped = []
    for owned in owned_files(settings.private_documents_dir):
        read = ingest_paths([owned.path], chunker)
        for item in read.documents:
            _make_private(item.chunks, owned.owner)
        report.documents.extend(read.documents)
        private_skipped += [PrivateSkip(owned.owner, skipped) for skipped in read.skipped]
    return report, private_skipped


def _make_private(nodes, owner: str) -> None:
    for node in nodes:
        node.node_id = owned_chunk_id(owner, node.node_id)
        node.metadata[OWNER_KEY] = owner
        _hide_from_model(node, OWNER_KEY)


def _same_build(manifest: IndexManifest, kept: Build, settings: IndexSettings, records: list[ChunkRecord]) -> bool:
    return (
        bool(manifest.files)  # a build from before checksums is written again, with them
        and manifest.tokenizer == settings.bm25_signature
        and manifest.chunk_count == len(records)
        and _fingerprint_of(list(kept.records.values())) == _fingerprint_of(records)
    )


def _fingerprint_of(records: list[ChunkRecord]) -> str:
    return "\n".join(f"{r.chunk_id} {r.content_hash}" for r in records)


def _check_embedder(embedder: Embedder, settings: IndexSettings) -> None:
    if embedder.spec.fingerprint != settings.embedding.fingerprint:
        raise IndexModelMismatch(
            f"embedder {embedder.spec.fingerprint!r} does not match the configured {settings.embedding.fingerprint!r}"
        )


def _add_vectors(store: VectorStore, missing, embedder: Embedder, progress: Progress | None) -> tuple[int, int]:
    """Embed and store `missing` (node, record) pairs batch by batch; returns (embedded, reused)."""
    reusable = store.vectors_by_hash({record.content_hash for _, record in missing})
    embedded = reused = 0
    total = len(missing)
    if progress:
        progress(0, total)
    for offset in range(0, total, BATCH_SIZE):
        batch = missing[offset : offset + BATCH_SIZE]
        to_embed = [(node, record) for node, record in batch if record.content_hash not in reusable]
        if to_embed:
            from llama_index.core.schema import MetadataMode

            vectors = embedder.embed_passages([n.get_content(metadata_mode=MetadataMode.EMBED) for n, _ in to_embed])
            for (_, record), vector in zip(to_embed, vectors, strict=True):
                reusable[record.content_hash] = vector
            embedded += len(to_embed)
        reused += len(batch) - len(to_embed)
        store.add([_stored(record, reusable[record.content_hash]) for _, record in batch])
        if progress:
            progress(min(offset + len(batch), total), total)
    return embedded, reused


def _stored(record: ChunkRecord, vector: list[float]) -> StoredVector:
    return StoredVector(
        chunk_id=record.chunk_id,
        vector=vector,
        content_hash=record.content_hash,
        owner=record.owner or PUBLIC,  # what searches filter by
    )


def _hide_from_model(node, key: str) -> None:
    """Bookkeeping metadata: never part of what is embedded (its content hash) or shown to an LLM."""
    for excluded in (node.excluded_embed_metadata_keys, node.excluded_llm_metadata_keys):
        if key not in excluded:
            excluded.append(key)


def _tag_owners(store: VectorStore, stored: list[ChunkRecord]) -> None:
    """Give every stored vector of the build its owner tag. Vectors written before owners existed
    have none, and a search filtered by owner would never find them."""
    if not stored:
        return
    tagged = store.ids(owners={record.owner or PUBLIC for record in stored})
    untagged = [record for record in stored if record.chunk_id not in tagged]
    for offset in range(0, len(untagged), TAG_BATCH):
        batch = untagged[offset : offset + TAG_BATCH]
        store.set_owners({record.chunk_id: record.owner or PUBLIC for record in batch})


class _Work:
    """One progress bar over both phases (chunk vectors, then sentence vectors)."""

    def __init__(self, progress: Progress | None, total: int):
        self._progress = progress
        self._total = total
        if progress and total:
            progress(0, total)

    def step(self, offset: int) -> Progress | None:
        if self._progress is None or not self._total:
            return None
        report = self._progress

        def phase(done: int, _phase_total: int) -> None:
            report(offset + done, self._total)

        return phase


def _no_embedding(texts: list[str]) -> list[list[float]]:
    raise AssertionError(f"{len(texts)} sentences to embed but none was planned")  # plan and build disagree


def _previous_sentence_vectors(settings: IndexSettings, previous: IndexManifest | None, kept: Build | None) -> dict:
    if kept is not None:
        return kept.sentences.vectors_by_hash()
    if previous is None:
        return {}
    try:  # the build is damaged: its sentence vectors may still be sound (they have their own checksums)
        return load_sentence_vectors(settings.data_dir, previous)
    except (OSError, ValueError, KeyError, SentenceStoreDamaged):
        return {}  # damaged too: embed again rather than trust them


def _write_build(
    build_dir: Path, records: list[ChunkRecord], settings: IndexSettings, sentences: SentenceStore
) -> dict[str, str]:
    """Write the build's files; returns their checksums, for the manifest."""
    temp = build_dir.with_name(build_dir.name + ".tmp")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    try:
        _write_build_files(temp, records, settings)
        sentences.save(temp)
        checksums = file_checksums(temp)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)  # a half-written build only wastes the space that ran out
        raise
    os.replace(temp, build_dir)
    return checksums


def _write_build_files(temp: Path, records: list[ChunkRecord], settings: IndexSettings) -> None:
    layout = BuildLayout(temp)
    save_records(records, layout.records)
    keyword_texts = [
        (r.chunk_id, f"{r.title}\n{r.section}\n{r.text}" if settings.bm25_text_includes_title else r.text)
        for r in records
    ]
    keyword_store = BM25Store.build(keyword_texts, ChineseTokenizer(settings.bm25_tokenizer))
    keyword_store.save(layout.bm25)
    texts = [r.text for r in records]
    tokenize = ChineseTokenizer(TokenizerMode.SEARCH)
    token_lists = [tokenize(text) for text in texts]
    TermStats.from_token_lists(token_lists).save(layout.term_stats)
    words = Counter(token for tokens in token_lists for token in tokens)
    Lexicon.build(words, corpus_texts=texts).save(layout.lexicon)


def _chunks_per_source(records: list[ChunkRecord]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        counts[record.source_key] = counts.get(record.source_key, 0) + 1
    return counts
