"""The Chroma side of the index: a persistent client on disk, or a shared Chroma server, and the
one class (`VectorStore`) through which chunk vectors are added, read, deleted and searched.

Chroma is used directly, not through llama-index's ChromaVectorStore: the retriever needs each
hit's rank and cosine and a filter by owner, and that wrapper turns distances into exp(-distance).
Collections are created with no embedding function: kzqa always passes its own vectors, so
Chroma's default embedder (which downloads a model) is never reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings

from index.errors import IndexUnavailable
from index.storage_errors import storage_failure
from index.visibility import OWNER_KEY

MODEL_KEY = "kzqa_model"
CONTENT_HASH_KEY = "content_hash"  # on every vector: an unchanged chunk reuses it, whatever its id
CHROMA_DIR = "chroma"  # the embedded store's folder in the data dir
SPACE = "cosine"  # the collections' distance: cosine distance is 1 - cosine similarity


class VectorStoreError(IndexUnavailable):
    """The vector store cannot be opened or used; the message says what to do."""


def local_store_path(data_dir: Path) -> Path:
    return data_dir / CHROMA_DIR


def open_client(data_dir: Path, chroma_url: str | None = None) -> ClientAPI:
    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    try:
        if chroma_url:
            parsed = urlparse(chroma_url)
            return chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        return chromadb.PersistentClient(path=str(local_store_path(data_dir)), settings=settings)
    except Exception as error:  # chromadb raises many types; all mean the same to the user
        # Chroma caches a client per path, even a half-built one: drop it so a retry starts clean.
        SharedSystemClient.clear_system_cache()
        where = chroma_url or local_store_path(data_dir)
        if not chroma_url and (reason := storage_failure(error, folder=data_dir)):
            raise VectorStoreError(
                f"cannot open the Chroma store at {where}: {reason}. Chroma writes to its folder even to "
                "read, so the data_dir must be writable and not full: free some disk space, or copy the "
                "folder somewhere writable and point KZQA_DATA_DIR at it."
            ) from None
        raise VectorStoreError(
            f"cannot open the Chroma store at {where}: {error}. "
            "If the folder is damaged, rebuild it with `kzqa index --rebuild`."
        ) from None


def forget_cached_clients() -> None:
    """Make the next open_client start afresh. Chroma keeps one client per store path per process,
    and that client's in-memory vector index never sees vectors another process added since; a
    reader moving to a newer build needs a client that reads the store as it is now. Clients
    already handed out keep working on their own (older) view."""
    SharedSystemClient.clear_system_cache()


@dataclass(frozen=True)
class StoredVector:
    """One chunk's vector as stored, with what searches filter by and what lets it be reused."""

    chunk_id: str
    vector: Sequence[float]
    content_hash: str
    owner: str  # the OWNER_KEY value: index.visibility.PUBLIC or an owner key


@dataclass(frozen=True)
class VectorHit:
    chunk_id: str
    cosine: float  # with the query vector


class VectorStore:
    """One Chroma collection of chunk vectors (cosine space), on an embedded or an HTTP client."""

    def __init__(self, collection: Collection):
        space = _space(collection)
        if space != SPACE:
            raise VectorStoreError(
                f"the vector collection {collection.name!r} measures {space!r} distance, not {SPACE!r}; "
                "rebuild the index with `kzqa index --rebuild`"
            )
        self._collection = collection

    @classmethod
    def create(cls, client: ClientAPI, name: str, *, model_fingerprint: str) -> VectorStore:
        """The collection `name`, made (empty, cosine) if it does not exist yet."""
        collection = client.get_or_create_collection(
            name,
            embedding_function=None,
            metadata={MODEL_KEY: model_fingerprint},
            configuration={"hnsw": {"space": SPACE}},
        )
        return cls(collection)

    @classmethod
    def open(cls, client: ClientAPI, name: str) -> VectorStore:
        try:
            collection = client.get_collection(name, embedding_function=None)
        except Exception:
            raise VectorStoreError(
                f"the vector collection {name!r} is missing from the Chroma store; "
                "rebuild the index with `kzqa index --rebuild`"
            ) from None
        return cls(collection)

    @staticmethod
    def exists(client: ClientAPI, name: str) -> bool:
        try:
            client.get_collection(name, embedding_function=None)
        except Exception:  # NotFoundError, or a store that cannot say: treat it as absent
            return False
        return True

    def count(self) -> int:
        return self._collection.count()

    def ids(self, *, owners: Iterable[str] | None = None) -> set[str]:
        """The ids of the stored vectors; with `owners`, only those tagged with one of them."""
        where = None if owners is None else _owner_filter(owners)
        return set(self._collection.get(where=where, include=[])["ids"])

    def vectors_by_hash(self, content_hashes: Iterable[str]) -> dict[str, list[float]]:
        """The stored vectors of these contents (content hash → vector), whichever chunk ids they have."""
        wanted = sorted(content_hashes)
        if not wanted:
            return {}
        found = self._collection.get(where={CONTENT_HASH_KEY: {"$in": wanted}}, include=["embeddings", "metadatas"])
        return {
            metadata[CONTENT_HASH_KEY]: list(vector)
            for metadata, vector in zip(found["metadatas"], found["embeddings"], strict=True)
        }

    def add(self, entries: Sequence[StoredVector]) -> None:
        """Store `entries`; an id already stored keeps its vector (ids are content-derived)."""
        if not entries:
            return
        self._collection.add(
            ids=[entry.chunk_id for entry in entries],
            embeddings=[list(entry.vector) for entry in entries],
            metadatas=[{CONTENT_HASH_KEY: entry.content_hash, OWNER_KEY: entry.owner} for entry in entries],
        )

    def set_owners(self, owners: dict[str, str]) -> None:
        """Tag the vectors `owners` names (chunk id → OWNER_KEY value), keeping their other metadata."""
        if owners:
            self._collection.update(ids=list(owners), metadatas=[{OWNER_KEY: owner} for owner in owners.values()])

    def delete(self, chunk_ids: Sequence[str]) -> None:
        if chunk_ids:
            self._collection.delete(ids=list(chunk_ids))

    def query(self, vector: Sequence[float], *, k: int, owners: Iterable[str] | None = None) -> list[VectorHit]:
        """The `k` stored vectors nearest `vector`, best first; with `owners`, only those tagged with one of them."""
        found = self._collection.query(
            query_embeddings=[list(vector)],
            n_results=k,
            where=None if owners is None else _owner_filter(owners),
            include=["distances"],
        )
        return [
            VectorHit(chunk_id=chunk_id, cosine=1.0 - distance)
            for chunk_id, distance in zip(found["ids"][0], found["distances"][0], strict=True)
        ]


def _owner_filter(owners: Iterable[str]) -> dict:
    return {OWNER_KEY: {"$in": sorted(owners)}}


def _space(collection: Collection) -> str | None:
    """The collection's distance function (a Chroma server may index with SPANN instead of HNSW).
    Read from the stored JSON: `configuration` also rebuilds the (absent) embedding function."""
    configuration = collection.configuration_json or {}
    index = configuration.get("hnsw") or configuration.get("spann") or {}
    return index.get("space")
