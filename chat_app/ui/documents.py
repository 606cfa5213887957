"""The user documents folder: uploads are checked, named safely and stored atomically.

An upload never replaces a file: not a corpus article, not another user's document, not even
under a name that only looks the same ("001_76аd…" with a Cyrillic а).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from chat_app.ui.confusables import skeleton
from ingest import UnknownFormat, UnreadableInput, read_document

ALLOWED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
# A long news article is ~100 KB even as a saved HTML page; 2 MB leaves room without letting one
# upload dominate re-indexing time.
MAX_BYTES = 2 * 1024 * 1024
# Every index update re-reads all documents; twenty keeps an upload answerable within seconds.
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
        self._reserved = {skeleton(name) for name in reserved_names}
        self._corpus_dir = corpus_dir
        self.max_bytes = max_bytes
        self.max_documents = max_documents
        # path → ((mtime_ns, size), fingerprint): each stored file is parsed once, not on every upload
        self._fingerprints: dict[Path, tuple[tuple[int, int], str | None]] = {}

    def documents(self) -> list[UserDocument]:
        return [
            UserDocument(name=name, title=_title_of(self.folder / name), size=(self.folder / name).stat().st_size)
            for name in self._names()
        ]

    def add(self, upload: Path) -> UserDocument:
        """Validate `upload` and store it under a safe version of its file name, which must not look
        like a corpus article's or an added document's. Raises UploadRejected with a message for the user."""
        shown = upload.name
        existing = self._names()
        name = self._checked_name(shown, existing)
        try:
            size = upload.stat().st_size
        except OSError as problem:
            reason = problem.strerror or problem
            raise UploadRejected(f"{shown}: the upload cannot be read ({reason}); upload it again") from None
        if size > self.max_bytes:
            raise UploadRejected(f"{shown}: {size:,} bytes is over the limit of {_size_label(self.max_bytes)}")
        if len(existing) >= self.max_documents:
            raise UploadRejected(
                f"{shown}: the library already holds {len(existing)} documents (the limit); remove one first"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        staged = self.folder / f"{_TEMP_PREFIX}{secrets.token_hex(4)}-{name}"
        try:
            shutil.copyfile(upload, staged)
            document = read_document(staged, source=name)
            self._refuse_duplicate(document.text, shown)
            os.link(staged, self.folder / name)  # unlike a rename, fails if another upload took the name meanwhile
        except (UnreadableInput, UnknownFormat) as problem:
            raise UploadRejected(f"{shown}: {problem}") from None
        except FileExistsError:
            raise UploadRejected(f"{shown}: {name} was added by someone else a moment ago; rename your file") from None
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
        self._fingerprints.pop(self.folder / name, None)

    def _refuse_duplicate(self, text: str, shown: str) -> None:
        """The same article under another name (or in another encoding) would be indexed twice and
        cited twice; the cleaned text is compared, so re-encoding or re-wrapping does not hide it."""
        fingerprint = _fingerprint(text)
        candidates = [self.folder / n for n in self._names()]
        if self._corpus_dir and self._corpus_dir.is_dir():
            candidates += sorted(p for p in self._corpus_dir.iterdir() if p.is_file() and not p.name.startswith("."))
        for path in candidates:
            if self._stored_fingerprint(path) == fingerprint:
                raise UploadRejected(f"{shown}: the same text is already in the library as {path.name}")

    def _stored_fingerprint(self, path: Path) -> str | None:
        """The fingerprint of a stored file, parsed again only when the file changed (None: unreadable)."""
        try:
            info = path.stat()
        except OSError:
            return None
        version = (info.st_mtime_ns, info.st_size)
        known = self._fingerprints.get(path)
        if known is None or known[0] != version:
            try:
                known = (version, _fingerprint(read_document(path).text))
            except (UnreadableInput, UnknownFormat):
                known = (version, None)
            self._fingerprints[path] = known
        return known[1]

    def _names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if p.is_file() and not p.name.startswith("."))

    def _checked_name(self, original: str, existing: list[str]) -> str:
        name = safe_name(original)
        if not name or name.startswith("."):  # safe_name keeps no leading dot, so the stem is empty
            raise UploadRejected(f"{original}: the file name has no usable characters; rename it")
        if os.path.splitext(name)[1] not in ALLOWED_SUFFIXES:
            allowed = ", ".join(ALLOWED_SUFFIXES)
            raise UploadRejected(f"{original}: only {allowed} files can be added")
        if skeleton(name) in self._reserved:
            raise UploadRejected(
                f"{original}: one of the articles has this name, or one that looks the same; rename the file"
            )
        taken = next((other for other in existing if skeleton(other) == skeleton(name)), None)
        if taken is not None:
            raise UploadRejected(
                f"{original}: a document named {taken} is already in the library, and kzqa never replaces one; "
                "remove it first (if it is yours) or rename your file"
            )
        return name


def _fingerprint(text: str) -> str:
    return hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest()


def _title_of(path: Path) -> str:
    try:
        return read_document(path).title
    except (UnreadableInput, UnknownFormat) as problem:
        return f"(unreadable: {problem})"


def _size_label(size: int) -> str:
    """The size exactly, and as a person would state it when it is a whole unit: 2,097,152 bytes (2 MB)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size:,} bytes ({size // factor} {unit})"
    return f"{size:,} bytes"
