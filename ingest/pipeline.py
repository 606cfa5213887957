"""Files → clean documents → chunks, with unreadable inputs reported and skipped.

Each file is read under a ParseBudget (a size limit, then a deadline that decoding, parsing and
chunking check), and any failure reading one file, expected or not, skips that file with its
reason: a batch never stops half-way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.budget import Deadline, ParseBudget
from ingest.chunker import ChineseSentenceChunker, to_llama_document
from ingest.decoding import UnreadableInput, decode_bytes
from ingest.errors import SetupError, UnusableFile
from ingest.format_detection import detect_format
from ingest.parse_cache import PARSE_CACHE, ParseCache, content_digest, remembered
from ingest.parsers import PARSERS
from ingest.records import CleanDocument, IngestedDocument, IngestReport, SkippedFile

log = logging.getLogger(__name__)
DEFAULT_BUDGET = ParseBudget()


class CorpusNotFound(SetupError):
    """The corpus folder does not exist or is not a folder."""


def read_document(
    path: Path,
    *,
    source: str | None = None,
    budget: ParseBudget = DEFAULT_BUDGET,
    cache: ParseCache | None = PARSE_CACHE,
) -> CleanDocument:
    """Decode, detect and parse one file. Raises UnreadableInput (ParseBudgetExceeded when over
    budget) or UnknownFormat, whatever goes wrong. Content read before (`cache`; None: no memory) is
    not parsed again."""
    with _reported_as_unreadable(path):
        deadline = budget.start()
        data = _read_bytes(path, budget)
        return _document(data, source or path.name, budget, deadline, cache)


def ingest_file(
    path: Path,
    *,
    source: str | None = None,
    chunker: ChineseSentenceChunker | None = None,
    budget: ParseBudget = DEFAULT_BUDGET,
    cache: ParseCache | None = PARSE_CACHE,
) -> IngestedDocument:
    """Read and chunk one file within one budget (the time limit covers both). Raises like
    `read_document`; for a batch that reports instead of raising, use `ingest_paths`."""
    chunker = chunker or ChineseSentenceChunker()
    with _reported_as_unreadable(path):
        deadline = budget.start()
        data = _read_bytes(path, budget)
        name = source or path.name

        def chunked() -> IngestedDocument:
            document = _document(data, name, budget, deadline, cache)
            chunks = chunker.get_nodes_from_documents([to_llama_document(document)], deadline=deadline)
            return IngestedDocument(document=document, chunks=chunks)

        settings = (type(chunker).__name__, chunker.chunk_size, chunker.chunk_overlap)
        return remembered(cache, ("chunks", content_digest(data), name, budget, settings), len(data), chunked)


def ingest_paths(
    paths: Iterable[Path],
    chunker: ChineseSentenceChunker | None = None,
    *,
    budget: ParseBudget = DEFAULT_BUDGET,
    cache: ParseCache | None = PARSE_CACHE,
) -> IngestReport:
    """Every path ends up in `documents` (read and chunked whole) or in `skipped` (with the reason)."""
    chunker = chunker or ChineseSentenceChunker()
    report = IngestReport()
    for path in paths:
        try:
            report.documents.append(ingest_file(path, chunker=chunker, budget=budget, cache=cache))
        except UnusableFile as problem:
            report.skipped.append(SkippedFile(source=path.name, reason=str(problem)))
    return report


def corpus_files(corpus_dir: Path) -> list[Path]:
    if not corpus_dir.is_dir():
        raise CorpusNotFound(
            f"corpus folder not found: {corpus_dir} (pass --corpus DIR or set corpus_dir in kzqa.toml)"
        )
    return sorted(p for p in corpus_dir.iterdir() if p.is_file() and not p.name.startswith("."))


def ingest_corpus(
    corpus_dir: Path, chunker: ChineseSentenceChunker | None = None, *, budget: ParseBudget = DEFAULT_BUDGET
) -> IngestReport:
    return ingest_paths(corpus_files(corpus_dir), chunker, budget=budget)


def _document(
    data: bytes, source: str, budget: ParseBudget, deadline: Deadline, cache: ParseCache | None
) -> CleanDocument:
    key = ("document", content_digest(data), source, budget)
    return remembered(cache, key, len(data), lambda: _parse(data, source, deadline))


def _parse(data: bytes, source: str, deadline: Deadline) -> CleanDocument:
    decoded = decode_bytes(data)
    deadline.check("decoding")
    document_format = detect_format(decoded.text)
    deadline.check("format detection")
    document = PARSERS[document_format](decoded.text, source=source, deadline=deadline)
    if not document.text.strip():
        raise UnreadableInput(f"no article text left after cleaning (detected as {document_format.value})")
    document.encoding = decoded.encoding
    document.warnings.extend(decoded.warnings)
    if not document.title:
        document.title = Path(source).stem
        document.warnings.append("no title found; using the file name")
    return document


def _read_bytes(path: Path, budget: ParseBudget) -> bytes:
    try:
        budget.check_size(path.stat().st_size)
        with path.open("rb") as handle:
            data = handle.read(budget.max_bytes + 1)  # a file growing while it is read stops here too
    except OSError as error:
        raise UnreadableInput(f"cannot be read: {error.strerror or error}") from None
    budget.check_size(len(data))
    return data


@contextmanager
def _reported_as_unreadable(path: Path) -> Iterator[None]:
    """A failure nobody foresaw (a parser bug on some odd file) skips that file like any other
    unreadable input, with the error named, instead of stopping the whole batch with a traceback."""
    try:
        yield
    except UnusableFile:
        raise
    except Exception as error:
        log.info("reading %s failed unexpectedly", path, exc_info=True)  # the user sees the message, not a traceback
        raise UnreadableInput(
            f"kzqa failed to read it ({type(error).__name__}: {error}); "
            "this is a bug in kzqa: please report it with the file"
        ) from error
