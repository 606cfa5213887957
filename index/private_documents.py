"""Where private documents are stored: one folder per owner, named by the owner's key.

    documents/                        shared documents: everyone may read them
    documents/private/<owner key>/    the documents of one owner

The folder is the record of ownership. Every index build (`kzqa index`, `--rebuild`, a server's
update after an upload) reads it again, so ownership survives restarts and rebuilds and never
depends on an index build being intact.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from index.visibility import is_owner_key

PRIVATE_FOLDER = "private"  # inside the documents folder; ingest reads files only, never this folder


@dataclass(frozen=True)
class OwnedFile:
    path: Path
    owner: str  # the owner's key


def owner_folder(private_dir: Path, owner: str) -> Path:
    if not is_owner_key(owner):
        raise ValueError(f"{owner!r} is not an owner key")
    return private_dir / owner


def owned_files(private_dir: Path | None) -> list[OwnedFile]:
    """Every private document; a folder not named by an owner key is not anyone's, and is ignored."""
    from ingest.pipeline import corpus_files  # here: the configuration reads this module, and must load fast

    if private_dir is None or not private_dir.is_dir():
        return []
    folders = sorted(p for p in private_dir.iterdir() if p.is_dir() and is_owner_key(p.name))
    return [OwnedFile(path, folder.name) for folder in folders for path in corpus_files(folder)]


def owned_chunk_id(owner: str, chunk_id: str) -> str:
    """A private chunk's id: two owners may store the same file under the same name, and each
    copy must stay a chunk of its own (ingest derives ids from the name, offsets and text)."""
    return hashlib.sha256(f"{owner}\x00{chunk_id}".encode()).hexdigest()[:32]
