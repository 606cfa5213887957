"""The Chroma side of the index: a persistent client on disk, or a shared Chroma server.

Collections are created with no embedding function: kzqa always passes its own vectors, so
Chroma's default embedder (which downloads a model) is never reached.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings
from llama_index.vector_stores.chroma import ChromaVectorStore

from index.errors import IndexUnavailable
from index.storage_errors import storage_failure

MODEL_KEY = "kzqa_model"


class VectorStoreError(IndexUnavailable):
    """The vector store cannot be opened or used; the message says what to do."""


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
        return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)
    except Exception as error:  # chromadb raises many types; all mean the same to the user
        # Chroma caches a client per path, even a half-built one: drop it so a retry starts clean.
        SharedSystemClient.clear_system_cache()
        where = chroma_url or data_dir / "chroma"
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


def create_collection(client: ClientAPI, name: str, model_fingerprint: str) -> Collection:
    return client.get_or_create_collection(
        name,
        embedding_function=None,
        metadata={MODEL_KEY: model_fingerprint},
        configuration={"hnsw": {"space": "cosine"}},
    )


def get_collection(client: ClientAPI, name: str) -> Collection:
    try:
        return client.get_collection(name, embedding_function=None)
    except Exception:
        raise VectorStoreError(
            f"the vector collection {name!r} is missing from the Chroma store; "
            "rebuild the index with `kzqa index --rebuild`"
        ) from None


def as_llama_store(collection: Collection) -> ChromaVectorStore:
    return ChromaVectorStore(chroma_collection=collection)


def stored_ids(collection: Collection) -> set[str]:
    return set(collection.get(include=[])["ids"])
