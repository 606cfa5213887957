"""The Chroma collections this data dir has created, and whether each was finished.

Cleanup needs to know which collections are its own (a shared Chroma server holds other data
dirs' too), and a rebuild killed part-way should be resumed, not started over: its collection is
recorded as unfinished before the first vector goes in, and marked finished when the manifest
switches to it. Only `kzqa index` writes this file, under the index lock.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from index.typed_json import record_from_json

REGISTRY_FILE = "collections.json"


class CollectionState(StrEnum):
    BUILDING = "building"  # vectors are being added; no manifest has named it yet
    BUILT = "built"  # a manifest has named it (it may still be current, or held by a reader)


@dataclass(frozen=True)
class OwnedCollection:
    name: str
    model_fingerprint: str
    state: CollectionState


class CollectionRegistry:
    def __init__(self, data_dir: Path):
        self._path = data_dir / REGISTRY_FILE

    def all(self) -> list[OwnedCollection]:
        """The recorded collections, oldest first; an unreadable file counts as empty (cleanup then
        only sees the collections of the local store, never another data dir's)."""
        try:
            payload = json.loads(self._path.read_text(encoding="utf-8"))
            entries = [record_from_json(_Entry, item, where=str(self._path)) for item in payload]
        except (OSError, ValueError, TypeError):
            return []
        known = {state.value for state in CollectionState}
        return [
            OwnedCollection(e.name, e.model_fingerprint, CollectionState(e.state)) for e in entries if e.state in known
        ]

    def unfinished(self, model_fingerprint: str) -> list[str]:
        """Collections of killed runs with this model, newest first: their vectors can be reused."""
        return [c.name for c in reversed(self.all())
                if c.state == CollectionState.BUILDING and c.model_fingerprint == model_fingerprint]  # fmt: skip

    def record(self, name: str, model_fingerprint: str, state: CollectionState) -> None:
        entries = [c for c in self.all() if c.name != name]
        self._save([*entries, OwnedCollection(name, model_fingerprint, state)])

    def forget(self, names: set[str]) -> None:
        entries = self.all()
        if any(c.name in names for c in entries):
            self._save([c for c in entries if c.name not in names])

    def _save(self, entries: list[OwnedCollection]) -> None:
        temp = self._path.with_name(f".{REGISTRY_FILE}.{os.getpid()}.tmp")
        payload = [{**asdict(c), "state": c.state.value} for c in entries]
        try:
            temp.write_text(json.dumps(payload, indent=1), encoding="utf-8")
            os.replace(temp, self._path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise


@dataclass(frozen=True)
class _Entry:
    name: str
    model_fingerprint: str
    state: str
