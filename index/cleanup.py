"""Dropping what no one reads any more: old build folders and Chroma collections, and what killed
runs left behind (half-written build folders, temporary manifests, unfinished collections).

What is kept: the current build (the manifest's) and every build a live reader holds (its lease).
Run it only holding the index lock, so no build is being written meanwhile.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from chromadb.api import ClientAPI
from chromadb.errors import NotFoundError

from index.build_layout import BUILDS_DIR
from index.collection_registry import CollectionRegistry, CollectionState
from index.index_lock import exclusive_if_free
from index.manifest import IndexCorrupt, IndexMissing, read_manifest
from index.reader_leases import live_leases
from index.sentence_checkpoint import PENDING_DIR
from index.settings import IndexSettings
from index.vector_store import open_client

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cleanup:
    collections: tuple[str, ...] = ()  # dropped
    builds: tuple[str, ...] = ()  # build folders removed


def remove_unused(data_dir: Path, client: ClientAPI, *, local_store: bool, keep_unfinished: bool) -> Cleanup:
    """Drop this data dir's builds and collections that neither the manifest nor a live reader holds.

    `local_store`: the Chroma store lives in this data dir, so every collection in it is ours;
    on a shared server only the collections this data dir recorded are. `keep_unfinished` keeps
    the collections of killed runs (for the next run to resume) — a reader's cleanup passes True,
    a finished build False (its own collection is current by then)."""
    try:
        manifest = read_manifest(data_dir)
    except (IndexMissing, IndexCorrupt):
        return Cleanup()  # without a trustworthy manifest nothing is known to be unused
    leases = live_leases(data_dir)
    keep_builds = {manifest.build_id} | {lease.build_id for lease in leases}
    keep_collections = {manifest.collection} | {lease.collection for lease in leases}
    registry = CollectionRegistry(data_dir)
    owned = registry.all()
    if keep_unfinished:
        keep_collections |= {c.name for c in owned if c.state == CollectionState.BUILDING}
    candidates = {c.name for c in owned}
    if local_store:
        candidates |= {collection.name for collection in client.list_collections()}
    dropped = [name for name in sorted(candidates - keep_collections) if _drop(client, name)]
    registry.forget(set(dropped))
    _remove_pending(data_dir, keep_collections)
    for temp in data_dir.glob(".manifest-*.json"):  # a run killed while switching the manifest
        temp.unlink(missing_ok=True)
    return Cleanup(collections=tuple(dropped), builds=_remove_builds(data_dir, keep_builds))


def remove_unused_if_idle(settings: IndexSettings) -> Cleanup:
    """A reader's cleanup after it let go of a build: skipped while `kzqa index` runs (that run
    cleans up when it ends), and never raising: a reader must not fail a question over it."""
    try:
        with exclusive_if_free(settings.data_dir) as held:
            if not held:
                return Cleanup()
            client = open_client(settings.data_dir, settings.chroma_url)
            return remove_unused(settings.data_dir, client, local_store=not settings.chroma_url, keep_unfinished=True)
    except Exception as error:
        log.warning("could not remove unused index builds: %s", error)
        return Cleanup()


def _drop(client: ClientAPI, name: str) -> bool:
    """Whether the collection is gone now."""
    try:
        client.delete_collection(name)
    except NotFoundError:
        return True
    except Exception as error:  # e.g. a full disk: keep it recorded and try again next time
        log.warning("could not drop the unused Chroma collection %s: %s", name, error)
        return False
    return True


def _remove_builds(data_dir: Path, keep: set[str]) -> tuple[str, ...]:
    folder = data_dir / BUILDS_DIR
    if not folder.is_dir():
        return ()
    removed = []
    for build in sorted(folder.iterdir()):
        if build.name not in keep:  # also `<id>.tmp`: a build killed while being written
            shutil.rmtree(build, ignore_errors=True) if build.is_dir() else build.unlink(missing_ok=True)
            removed.append(build.name)
    return tuple(removed)


def _remove_pending(data_dir: Path, keep: set[str]) -> None:
    folder = data_dir / PENDING_DIR
    if folder.is_dir():
        for pending in folder.iterdir():
            if pending.name not in keep:
                shutil.rmtree(pending, ignore_errors=True)
