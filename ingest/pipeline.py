"""Files → clean documents → chunks, with unreadable inputs reported and skipped."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ingest.chunker import ChineseSentenceChunker, to_llama_document
from ingest.decoding import UnreadableInput, decode_bytes
from ingest.format_detection import UnknownFormat, detect_format
from ingest.parsers import PARSERS
from ingest.records import CleanDocument, IngestedDocument, IngestReport, SkippedFile


class CorpusNotFound(Exception):
    """The corpus folder does not exist or is not a folder."""


def read_document(path: Path, *, source: str | None = None) -> CleanDocument:
    """Decode, detect and parse one file. Raises UnreadableInput or UnknownFormat."""
    source = source or path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableInput(f"cannot be read: {error.strerror or error}") from None
    decoded = decode_bytes(data)
    document_format = detect_format(decoded.text)
    document = PARSERS[document_format](decoded.text, source=source)
    if not document.text.strip():
        raise UnreadableInput(f"no article text left after cleaning (detected as {document_format.value})")
    document.encoding = decoded.encoding
    document.warnings.extend(decoded.warnings)
    if not document.title:
        document.title = Path(source).stem
        document.warnings.append("no title found; using the file name")
    return document


def corpus_files(corpus_dir: Path) -> list[Path]:
    if not corpus_dir.is_dir():
        raise CorpusNotFound(
            f"corpus folder not found: {corpus_dir} (pass --corpus DIR or set corpus_dir in kzqa.toml)"
        )
    return sorted(p for p in corpus_dir.iterdir() if p.is_file() and not p.name.startswith("."))


def ingest_paths(paths: Iterable[Path], chunker: ChineseSentenceChunker | None = None) -> IngestReport:
    chunker = chunker or ChineseSentenceChunker()
    report = IngestReport()
    for path in paths:
        try:
            document = read_document(path)
        except (UnreadableInput, UnknownFormat) as problem:
            report.skipped.append(SkippedFile(source=path.name, reason=str(problem)))
            continue
        chunks = chunker.get_nodes_from_documents([to_llama_document(document)])
        report.documents.append(IngestedDocument(document=document, chunks=chunks))
    return report


def ingest_corpus(corpus_dir: Path, chunker: ChineseSentenceChunker | None = None) -> IngestReport:
    return ingest_paths(corpus_files(corpus_dir), chunker)
