"""The user documents folder: uploads are checked, named safely and stored atomically.

A document is private to its owner (stored in the owner's own folder: index.private_documents) or,
when the operator runs a shared library, stored for everyone. An upload never replaces a file: not a
corpus article, not a document its owner can read, not even under a name that only looks the same
("001_76аd…" with a Cyrillic а). Two owners may each keep a file of the same name: each reads only
their own, and refusing would tell one that the other has such a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import unicodedata
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from chat_app.owners import Owner
from chat_app.ui.confusables import skeleton
from index.private_documents import PRIVATE_FOLDER, owner_folder
from ingest import UnusableFile, read_document
from ingest.errors import KzqaError

ALLOWED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
# A long news article is ~100 KB even as a saved HTML page; 2 MB leaves room without letting one
# upload dominate re-indexing time.
MAX_BYTES = 2 * 1024 * 1024
# Every index update re-reads all documents; twenty each keeps an upload answerable within seconds.
MAX_DOCUMENTS = 20  # per owner, and in the shared library
MAX_STORED = 100  # in all, whoever added them: bounds the time every index update takes
OWNER_NOTE = ".owner.json"  # beside an owner's documents, for an operator: whose they are (never a token)
MAX_NAME_CHARS = 80  # of the stem; long enough for a real title, short enough for the source list
_UNSAFE_CHARS = re.compile(r"[^\w.\-()]+")  # \w is Unicode-aware: Chinese names survive
_TEMP_PREFIX = ".upload-"  # dot files are invisible to ingest, so a half-written upload is never indexed


class UploadRejected(KzqaError):
    """A file cannot be added or removed; the message names it and says why."""


@dataclass(frozen=True)
class UserDocument:
    name: str
    title: str
    size: int  # bytes
    shared: bool = False  # in the shared library (everyone reads it), not private to its owner


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
        max_stored: int = MAX_STORED,
    ):
        """`folder`: the shared documents; each owner's private ones are in a folder of theirs inside it.
        `reserved_names`: the corpus files, which an upload may never shadow or replace.
        `corpus_dir`: where they are, so a copy of one under another name is recognised."""
        self.folder = folder
        self.private_dir = folder / PRIVATE_FOLDER
        self._reserved = {skeleton(name) for name in reserved_names}
        self._corpus_dir = corpus_dir
        self.max_bytes = max_bytes
        self.max_documents = max_documents
        self.max_stored = max_stored
        # path → ((mtime_ns, size), fingerprint): each stored file is parsed once, not on every upload
        self._fingerprints: dict[Path, tuple[tuple[int, int], str | None]] = {}

    def documents(self, owner: Owner | None = None) -> list[UserDocument]:
        """What `owner` reads: the shared documents, then their own (None: the shared ones only)."""
        shared = [_described(self.folder / name, shared=True) for name in _names(self.folder)]
        if owner is None:
            return shared
        own = self._own_folder(owner)
        return shared + [_described(own / name, shared=False) for name in _names(own)]

    def owns(self, owner: Owner, name: str) -> bool:
        """Whether `owner` has a private document called `name`."""
        return name in _names(self._own_folder(owner))

    def path_of(self, name: str, owner: Owner | None) -> Path | None:
        """The file of the document `owner` reads under `name` (theirs first), or None."""
        own = [self._own_folder(owner)] if owner is not None else []
        return next((folder / name for folder in (*own, self.folder) if name in _names(folder)), None)

    def add(self, upload: Path, owner: Owner | None = None) -> UserDocument:
        """Validate `upload` and store it under a safe version of its file name, which must not look like
        a corpus article's or a document's the owner reads: for `owner` only, or (None) in the shared
        library. Raises UploadRejected with a message for the user."""
        shown = upload.name
        target = self.folder if owner is None else self._own_folder(owner)
        readable = self._readable(owner)
        name = self._checked_name(shown, [path.name for path in readable], owner)
        try:
            size = upload.stat().st_size
        except OSError as problem:
            reason = problem.strerror or problem
            raise UploadRejected(f"{shown}: the upload cannot be read ({reason}); upload it again") from None
        if size > self.max_bytes:
            raise UploadRejected(f"{shown}: {size:,} bytes is over the limit of {_size_label(self.max_bytes)}")
        self._check_room(shown, own=len(_names(target)), owner=owner)
        target.mkdir(parents=True, exist_ok=True)
        staged = target / f"{_TEMP_PREFIX}{secrets.token_hex(4)}-{name}"
        try:
            shutil.copyfile(upload, staged)
            document = read_document(staged, source=name)
            self._refuse_duplicate(document.text, shown, readable)
            os.link(staged, target / name)  # unlike a rename, fails if another upload took the name meanwhile
            if owner is not None:
                _note_owner(target, owner)
        except UnusableFile as problem:
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
            if owner is not None:
                _drop_if_empty(target)
        return UserDocument(name=name, title=document.title, size=size, shared=owner is None)

    def remove(self, name: str, owner: Owner | None = None) -> None:
        """Delete `owner`'s document `name` (None: the shared library's); nobody else's can be reached."""
        folder = self.folder if owner is None else self._own_folder(owner)
        if name not in _names(folder):  # only listed names: a crafted name cannot reach outside the folder
            raise UploadRejected(f"{name}: not in the added documents (already removed?)")
        (folder / name).unlink(missing_ok=True)
        self._fingerprints.pop(folder / name, None)
        if owner is not None:
            _drop_if_empty(folder)

    def _own_folder(self, owner: Owner) -> Path:
        return owner_folder(self.private_dir, owner.key)

    def _readable(self, owner: Owner | None) -> list[Path]:
        """The files of the documents `owner` reads (None: the shared ones)."""
        folders = [self.folder] if owner is None else [self.folder, self._own_folder(owner)]
        return [folder / name for folder in folders for name in _names(folder)]

    def _check_room(self, shown: str, *, own: int, owner: Owner | None) -> None:
        if own >= self.max_documents:
            where = "you have already added" if owner is not None else "the shared library already holds"
            raise UploadRejected(f"{shown}: {where} {own} documents (the limit); remove one first")
        if self._stored() >= self.max_stored:
            raise UploadRejected(
                f"{shown}: this server already stores its limit of {self.max_stored} added documents; "
                "ask its operator to make room"
            )

    def _stored(self) -> int:
        owners = [p for p in self.private_dir.iterdir() if p.is_dir()] if self.private_dir.is_dir() else []
        return len(_names(self.folder)) + sum(len(_names(folder)) for folder in owners)

    def _refuse_duplicate(self, text: str, shown: str, readable: list[Path]) -> None:
        """The same article under another name (or in another encoding) would be indexed twice and
        cited twice; the cleaned text is compared, so re-encoding or re-wrapping does not hide it.
        Only what the uploader reads is compared: a match elsewhere would reveal someone's document."""
        fingerprint = _fingerprint(text)
        candidates = list(readable)
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
            except UnusableFile:
                known = (version, None)
            self._fingerprints[path] = known
        return known[1]

    def _private_names(self) -> list[str]:
        """Every private document's name, whoever owns it (never shown: checked against shared uploads)."""
        if not self.private_dir.is_dir():
            return []
        return [name for folder in self.private_dir.iterdir() if folder.is_dir() for name in _names(folder)]

    def _checked_name(self, original: str, existing: list[str], owner: Owner | None) -> str:
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
        # A shared document is read by every owner too: it must not share a name with anyone's own.
        if owner is None and any(skeleton(other) == skeleton(name) for other in self._private_names()):
            raise UploadRejected(f"{original}: a document with this name is already stored here; rename your file")
        return name


def _names(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def _described(path: Path, *, shared: bool) -> UserDocument:
    return UserDocument(name=path.name, title=_title_of(path), size=path.stat().st_size, shared=shared)


def _drop_if_empty(folder: Path) -> None:
    """An owner's folder goes with their last document (or a first upload that was refused)."""
    if folder.is_dir() and not _names(folder):
        (folder / OWNER_NOTE).unlink(missing_ok=True)
        with suppress(OSError):  # not empty after all (a file kzqa did not write): keep it
            folder.rmdir()


def _note_owner(folder: Path, owner: Owner) -> None:
    """Whose folder this is, for an operator looking at the data dir (a user's name; a browser is anonymous)."""
    note = folder / OWNER_NOTE
    if not note.exists():
        note.write_text(json.dumps(owner.description(), ensure_ascii=False) + "\n", encoding="utf-8")


def _fingerprint(text: str) -> str:
    return hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest()


def _title_of(path: Path) -> str:
    try:
        return read_document(path).title
    except UnusableFile as problem:
        return f"(unreadable: {problem})"


def _size_label(size: int) -> str:
    """The size exactly, and as a person would state it when it is a whole unit: 2,097,152 bytes (2 MB)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size:,} bytes ({size // factor} {unit})"
    return f"{size:,} bytes"
