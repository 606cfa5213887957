"""What the current index build is: the one file readers trust.

A build writes its BM25 index and chunk records into a fresh folder, adds vectors to Chroma,
and only then replaces manifest.json (atomically). A run killed before that leaves the previous
manifest, and so the previous index, in force; the next run picks up the vectors already added.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from index.build_layout import build_folder
from index.errors import IndexUnavailable
from index.typed_json import ShapeError, record_from_json

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1
# A build id names a folder under builds/: nothing that could lead out of it ("..", "/").
_BUILD_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,99}")
_COLLECTION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{1,510}[0-9A-Za-z]")  # Chroma's own naming rule
_SHA256 = re.compile(r"[0-9a-f]{64}")
REBUILD_ADVICE = "run `kzqa index --rebuild`"


class IndexMissing(IndexUnavailable):
    """No index has been built in this data directory yet."""


class IndexCorrupt(IndexUnavailable):
    """The index files are damaged or inconsistent; the message names the fix."""


@dataclass(frozen=True)
class IndexManifest:
    build_id: str
    collection: str
    model_fingerprint: str
    tokenizer: str
    chunk_size: int
    chunk_overlap: int
    chunk_count: int
    sources: dict[str, int] = field(default_factory=dict)  # source file → chunk count
    format_version: int = FORMAT_VERSION
    # Build file (path inside the build folder) → SHA-256 when written; empty for builds made
    # before checksums were recorded, which `kzqa index` then writes again.
    files: dict[str, str] = field(default_factory=dict)

    def build_dir(self, data_dir: Path) -> Path:
        return build_folder(data_dir, self.build_id)


def read_manifest(data_dir: Path) -> IndexManifest:
    path = data_dir / MANIFEST_NAME
    if path.exists() and not path.is_file():
        raise IndexCorrupt(
            f"{path} is a folder (or another special file), not the index manifest; {REBUILD_ADVICE}: "
            "it moves it aside and builds the index again"
        )
    if not path.is_file():
        raise IndexMissing(f"no index in {data_dir}; build it with `kzqa index`")
    try:
        manifest = record_from_json(IndexManifest, json.loads(path.read_text(encoding="utf-8")), where=str(path))
        _check_values(manifest, path)
    except (ValueError, UnicodeDecodeError) as error:
        reason = str(error) if isinstance(error, ShapeError) else f"{path}: {error}"
        raise IndexCorrupt(f"the index manifest is damaged ({reason}); {REBUILD_ADVICE}") from None
    except OSError as error:
        raise IndexCorrupt(f"cannot read {path} ({error.strerror or error}); {REBUILD_ADVICE}") from None
    if manifest.format_version != FORMAT_VERSION:
        raise IndexCorrupt(
            f"{path} was written by another kzqa version (format {manifest.format_version}); {REBUILD_ADVICE}"
        )
    return manifest


def manifest_stamp(data_dir: Path) -> tuple[int, int, int] | None:
    """What identifies the manifest file on disk, cheaply (one stat): it changes when a build is
    switched in, because the manifest is always replaced, never edited in place. None: no manifest."""
    try:
        info = (data_dir / MANIFEST_NAME).stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def _check_values(manifest: IndexManifest, path: Path) -> None:
    if not _BUILD_ID.fullmatch(manifest.build_id):
        raise ShapeError(f"{path}: build_id {manifest.build_id!r} is not a build name")
    if not _COLLECTION.fullmatch(manifest.collection):
        raise ShapeError(f"{path}: collection {manifest.collection!r} is not a Chroma collection name")
    for name, digest in manifest.files.items():
        if name.startswith("/") or ".." in name.split("/") or not _SHA256.fullmatch(digest):
            raise ShapeError(f"{path}: the checksum entry {name!r} is not a build file's SHA-256")
    negative = [name for name in ("chunk_size", "chunk_overlap", "chunk_count") if getattr(manifest, name) < 0]
    if negative:
        raise ShapeError(f"{path}: {negative[0]} is negative")


def write_manifest(data_dir: Path, manifest: IndexManifest) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=data_dir, prefix=".manifest-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(manifest), out, ensure_ascii=False, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, data_dir / MANIFEST_NAME)
    except BaseException:
        Path(temp).unlink(missing_ok=True)  # a full disk must not also collect half-written manifests
        raise
