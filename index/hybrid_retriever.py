"""Retrieval over one opened index build: vector search (Chroma, through index.vector_store),
BM25 over jieba tokens, and their reciprocal-rank fusion.

The fusion is written here rather than taken from llama-index's QueryFusionRetriever because
callers need each passage's rank in both lists (to explain results and to judge evidence), and
QueryFusionRetriever returns only the fused score.
"""

from __future__ import annotations

import copy
import weakref

from index.bm25_store import KeywordHit
from index.build import Build
from index.chunk_records import ChunkRecord
from index.embedder import Embedder
from index.errors import IndexModelMismatch
from index.manifest import IndexCorrupt, IndexManifest
from index.passage import Passage
from index.reader_leases import ReaderLease
from index.retrieval_mode import RetrievalMode
from index.settings import IndexSettings
from index.vector_store import VectorStore, open_client
from index.visibility import PUBLIC_ONLY, Visibility
from ingest.chinese_text import HAN as _HAN

# Each retriever returns this many candidates per requested passage before fusion.
CANDIDATE_FACTOR = 4
MIN_CANDIDATES = 20


class HybridRetriever:
    """Loads one index build once and answers many queries against it.

    While it exists it holds a reader lease on its build, so a `kzqa index --rebuild` elsewhere
    keeps that build's files and collection until it is closed (or garbage-collected).

    It reads the public chunks only (the corpus and shared documents); `visible_to` gives a view
    of the same build that also reads one owner's private documents. Everything a view reads is
    filtered by owner: its records, its sentences, and both searches."""

    def __init__(self, settings: IndexSettings, embedder: Embedder | None = None):
        self.settings = settings
        lease = ReaderLease(settings.data_dir)
        self._release = weakref.finalize(self, lease.release)  # also at exit; a killed reader's lease is ignored
        try:
            self.manifest = lease.hold_current()
            _check_model(self.manifest, settings)
            self._open(Build.open(settings.data_dir, self.manifest), settings, embedder)
        except BaseException:
            self.close()
            raise

    def _open(self, build: Build, settings: IndexSettings, embedder: Embedder | None) -> None:
        self.build = build
        self.keyword_store = build.keyword_store
        self.lexicon = build.lexicon
        self.term_stats = build.term_stats
        self._vectors = VectorStore.open(open_client(settings.data_dir, settings.chroma_url), self.manifest.collection)
        stored = self._vectors.count()
        if stored < len(build.records):
            raise IndexCorrupt(
                f"the vector store holds {stored} of {len(build.records)} chunks; "
                "finish or repair it with `kzqa index` (or `kzqa index --rebuild`)"
            )
        self.embedder = embedder or Embedder.load(settings)
        self._show(PUBLIC_ONLY)

    def _show(self, visibility: Visibility) -> None:
        """Limit what this retriever reads to the chunks `visibility` allows."""
        everything = self.build.records
        self.visibility = visibility
        self.records = {chunk_id: r for chunk_id, r in everything.items() if visibility.allows(r.owner)}
        # Filtering costs a little: only a build holding chunks this reader may not see pays it.
        self._hides = len(self.records) < len(everything)
        sentences = self.build.sentences
        if self._hides:
            rows = [row for row, record in enumerate(sentences.records) if record.chunk_id in self.records]
            self.sentences = sentences.subset(rows)
            self._keyword_mask = self.keyword_store.mask(set(self.records))
        else:
            self.sentences, self._keyword_mask = sentences, None

    def visible_to(self, visibility: Visibility) -> HybridRetriever:
        """This build as one reader may see it: the public chunks and `visibility.owner`'s own.
        The view shares the loaded build; the build's lease stays with this retriever, which is
        the one to close."""
        if visibility == self.visibility:
            return self
        view = copy.copy(self)
        view._release = _no_release
        view._show(visibility)
        return view

    def records_visible_to(self, visibility: Visibility) -> list[ChunkRecord]:
        """The chunk records `visibility` may read (without the cost of a whole view)."""
        return [r for r in self.build.records.values() if visibility.allows(r.owner)]

    def sources_of(self, owner: str | None) -> set[str]:
        """The names of the documents in this build that belong to `owner` (None: the public ones)."""
        return {r.source for r in self.build.records.values() if r.owner == owner}

    @property
    def owners(self) -> frozenset[str]:
        """The keys of everyone with private chunks in this build."""
        return frozenset(r.owner for r in self.build.records.values() if r.owner is not None)

    @property
    def chunk_count(self) -> int:
        return len(self.records)

    @property
    def build_id(self) -> str:
        return self.manifest.build_id

    def close(self) -> None:
        """Give up the reader lease: the build may be dropped once it is no longer current."""
        self._release()

    def retrieve(
        self,
        question: str,
        *,
        k: int = 5,
        mode: RetrievalMode = RetrievalMode.HYBRID,
        query_vector: list[float] | None = None,
    ) -> list[Passage]:
        """The k best chunks; `query_vector` (the question already embedded) saves embedding it again."""
        candidates = max(k * CANDIDATE_FACTOR, MIN_CANDIDATES)
        vector = self._vector_ranking(question, candidates, query_vector) if mode != RetrievalMode.BM25 else []
        keyword = (
            [hit.chunk_id for hit in self._keyword_hits(question, candidates)] if mode != RetrievalMode.VECTOR else []
        )
        similarities = dict(vector)
        vector_ranks = {chunk_id: rank for rank, (chunk_id, _) in enumerate(vector, start=1)}
        keyword_ranks = {chunk_id: rank for rank, chunk_id in enumerate(keyword, start=1)}
        fused = {
            chunk_id: sum(1.0 / (self.settings.rrf_k + ranks[chunk_id]) for ranks in (vector_ranks, keyword_ranks)
                          if chunk_id in ranks)
            for chunk_id in vector_ranks.keys() | keyword_ranks.keys()
        }  # fmt: skip
        best = sorted(fused, key=lambda chunk_id: (-fused[chunk_id], chunk_id))[:k]
        return [
            self._passage(chunk_id, fused[chunk_id], vector_ranks.get(chunk_id), keyword_ranks.get(chunk_id),
                          similarities.get(chunk_id))
            for chunk_id in best
        ]  # fmt: skip

    def _keyword_hits(self, question: str, candidates: int) -> list[KeywordHit]:
        """BM25 hits; a question without Chinese is searched through its Chinese translation."""
        if _HAN.search(question):
            return self.keyword_store.search(question, candidates, only=self._keyword_mask)
        translated = self.lexicon.translate(question)
        own_tokens = self.keyword_store.tokenize(question)  # numbers and Latin names still match as they are
        return self.keyword_store.search_tokens(own_tokens + translated, candidates, only=self._keyword_mask)

    def _vector_ranking(
        self, question: str, candidates: int, query_vector: list[float] | None = None
    ) -> list[tuple[str, float]]:
        vector = self.embedder.embed_query(question) if query_vector is None else query_vector
        # Chroma searches only the vectors this reader may see, so other owners' chunks never take
        # the places of the candidates (their owner tag: index.visibility).
        owners = self.visibility.metadata_values if self._hides else None
        hits = self._vectors.query(vector, k=candidates, owners=owners)
        # Chroma may still hold vectors an interrupted run added; only the current build counts
        # (and of it, only what this reader may see).
        return [(hit.chunk_id, hit.cosine) for hit in hits if hit.chunk_id in self.records]

    def passage(self, chunk_id: str) -> Passage:
        """The chunk as a Passage with no retrieval scores (for evidence found outside the top k)."""
        return self._passage(chunk_id, 0.0, None, None, None)

    def _passage(self, chunk_id, score, vector_rank, bm25_rank, similarity) -> Passage:
        record = self.records[chunk_id]
        return Passage(
            chunk_id=chunk_id,
            source=record.source,
            title=record.title,
            section=record.section,
            text=record.text,
            start=record.start,
            end=record.end,
            score=score,
            vector_rank=vector_rank,
            bm25_rank=bm25_rank,
            vector_similarity=similarity,
            url=record.url,
            published=record.published,
            publisher=record.publisher,
        )


def _check_model(manifest: IndexManifest, settings: IndexSettings) -> None:
    if manifest.model_fingerprint != settings.embedding.fingerprint:
        raise IndexModelMismatch(
            f"the index was built with {manifest.model_fingerprint!r} but the configured model is "
            f"{settings.embedding.fingerprint!r}; rebuild with `kzqa index --rebuild`"
        )


def _no_release() -> None:
    """A view's close: the lease belongs to the retriever that opened the build."""
