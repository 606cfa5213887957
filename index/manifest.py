"""What the current index build is: the one file readers trust.

A build writes its BM25 index and chunk records into a fresh folder, adds vectors to Chroma,
and only then replaces manifest.json (atomically). A run killed before that leaves the previous
manifest, and so the previous index, in force; the next run picks up the vectors already added.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1


class IndexMissing(Exception):
    """No index has been built in this data directory yet."""


class IndexCorrupt(Exception):
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

    def build_dir(self, data_dir: Path) -> Path:
        return data_dir / "builds" / self.build_id


def read_manifest(data_dir: Path) -> IndexManifest:
    path = data_dir / MANIFEST_NAME
    if not path.is_file():
        raise IndexMissing(f"no index in {data_dir}; build it with `kzqa index`")
    try:
        manifest = IndexManifest(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as error:
        raise IndexCorrupt(f"{path} is damaged ({error}); rebuild with `kzqa index --rebuild`") from None
    if manifest.format_version != FORMAT_VERSION:
        raise IndexCorrupt(
            f"{path} was written by another kzqa version (format {manifest.format_version}); "
            "rebuild with `kzqa index --rebuild`"
        )
    return manifest


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
