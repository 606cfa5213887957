"""The user documents folder: uploads are checked, named safely and stored atomically; never a corpus file."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest import UnknownFormat, UnreadableInput, read_document

ALLOWED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
# A long news article is ~100 KB even as a saved HTML page; 2 MB leaves room without letting one
# upload dominate re-indexing time.
MAX_BYTES = 2 * 1024 * 1024
# Every update re-reads all documents; twenty keeps an upload answerable within seconds.
MAX_DOCUMENTS = 20
MAX_NAME_CHARS = 80  # of the stem; long enough for a real title, short enough for the source list
_UNSAFE_CHARS = re.compile(r"[^\w.\-()]+")  # \w is Unicode-aware: Chinese names survive
_TEMP_PREFIX = ".upload-"  # dot files are invisible to ingest, so a half-written upload is never indexed


class UploadRejected(Exception):
    """A file cannot be added or removed; the message names it and says why."""


@dataclass(frozen=True)
class UserDocument:
    name: str
    title: str
    size: int  # bytes


def safe_name(original: str) -> str:
    """A plain file name from whatever the browser sent: no folders, no hidden files, no odd characters."""
    name = re.split(r"[\\/]", unicodedata.normalize("NFKC", original))[-1].strip()
    stem, suffix = os.path.splitext(name)
    stem = _UNSAFE_CHARS.sub("_", stem).strip("._")[:MAX_NAME_CHARS].rstrip("._")
    return stem + _UNSAFE_CHARS.sub("_", suffix).lower()


class DocumentFolder:
    def __init__(
        self,
        folder: Path,
        *,
        reserved_names: set[str],
        corpus_dir: Path | None = None,
        max_bytes: int = MAX_BYTES,
        max_documents: int = MAX_DOCUMENTS,
    ):
        """`reserved_names`: the corpus files, which an upload may never shadow or replace.
        `corpus_dir`: where they are, so a copy of one under another name is recognised."""
        self.folder = folder
        self._reserved = {name.casefold() for name in reserved_names}
        self._corpus_dir = corpus_dir
        self.max_bytes = max_bytes
        self.max_documents = max_documents

    def documents(self) -> list[UserDocument]:
        return [
            UserDocument(name=name, title=_title_of(self.folder / name), size=(self.folder / name).stat().st_size)
            for name in self._names()
        ]

    def add(self, upload: Path) -> UserDocument:
        """Validate `upload` and store it under a safe version of its file name; an existing user
        document of that name is replaced. Raises UploadRejected with a message for the user."""
        shown = upload.name
        name = self._checked_name(shown)
        size = upload.stat().st_size
        if size > self.max_bytes:
            raise UploadRejected(f"{shown}: {_megabytes(size)} is over the {_megabytes(self.max_bytes)} limit")
        existing = self._names()
        if name not in existing and len(existing) >= self.max_documents:
            raise UploadRejected(
                f"{shown}: the library already holds {len(existing)} documents (the limit); remove one first"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        staged = self.folder / f"{_TEMP_PREFIX}{secrets.token_hex(4)}-{name}"
        try:
            shutil.copyfile(upload, staged)
            document = read_document(staged, source=name)
            self._refuse_duplicate(document.text, shown, replacing=name)
            os.replace(staged, self.folder / name)
        except (UnreadableInput, UnknownFormat) as problem:
            raise UploadRejected(f"{shown}: {problem}") from None
        except OSError as problem:  # a full or read-only disk: nothing was stored
            raise UploadRejected(
                f"{shown}: cannot be stored in {self.folder} ({problem.strerror or problem}); "
                "free some disk space or make the data_dir writable, then upload it again"
            ) from None
        finally:
            staged.unlink(missing_ok=True)
        return UserDocument(name=name, title=document.title, size=size)

    def remove(self, name: str) -> None:
        if name not in self._names():  # only listed names: a crafted name cannot reach outside the folder
            raise UploadRejected(f"{name}: not in the added documents (already removed?)")
        (self.folder / name).unlink(missing_ok=True)

    def _refuse_duplicate(self, text: str, shown: str, *, replacing: str) -> None:
        """The same article under another name (or in another encoding) would be indexed twice and
        cited twice; the cleaned text is compared, so re-encoding or re-wrapping does not hide it."""
        fingerprint = _fingerprint(text)
        candidates = [self.folder / n for n in self._names() if n != replacing]
        if self._corpus_dir and self._corpus_dir.is_dir():
            candidates += sorted(p for p in self._corpus_dir.iterdir() if p.is_file() and not p.name.startswith("."))
        for path in candidates:
            try:
                if _fingerprint(read_document(path).text) == fingerprint:
                    raise UploadRejected(f"{shown}: the same text is already in the library as {path.name}")
            except (UnreadableInput, UnknownFormat):
                continue

    def _names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if p.is_file() and not p.name.startswith("."))

    def _checked_name(self, original: str) -> str:
        name = safe_name(original)
        if not name or name.startswith("."):  # safe_name keeps no leading dot, so the stem is empty
            raise UploadRejected(f"{original}: the file name has no usable characters; rename it")
        if os.path.splitext(name)[1] not in ALLOWED_SUFFIXES:
            allowed = ", ".join(ALLOWED_SUFFIXES)
            raise UploadRejected(f"{original}: only {allowed} files can be added")
        if name.casefold() in self._reserved:
            raise UploadRejected(f"{original}: one of the five articles already has this name; rename the file")
        return name


def _fingerprint(text: str) -> str:
    return hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest()


def _title_of(path: Path) -> str:
    try:
        return read_document(path).title
    except (UnreadableInput, UnknownFormat) as problem:
        return f"(unreadable: {problem})"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
