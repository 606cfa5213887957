"""What the index stage needs to know, handed down by the app's configuration."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from index.chinese_tokenizer import TokenizerMode
from index.embedding import DEFAULT_MODEL, EmbedBackend, EmbeddingSpec, embedding_spec

# English names, short forms and word forms for English questions (index.cross_lingual): a data file.
GLOSSARY_FILE = Path(__file__).resolve().parent / "resources" / "glossary.toml"
# What index/cross_lingual.py writes into a build; bump it when that changes, so `kzqa index` rebuilds it.
LEXICON_FORMAT = 2


@dataclass(frozen=True)
class IndexSettings:
    data_dir: Path
    model_cache_dir: Path
    corpus_dirs: tuple[Path, ...] = field(default_factory=tuple)
    # One folder per owner of private documents (index.private_documents); None: there are none.
    private_documents_dir: Path | None = None
    embed_model: str = DEFAULT_MODEL
    embed_backend: EmbedBackend = EmbedBackend.TORCH
    query_prefix: str | None = None
    passage_prefix: str | None = None
    bm25_tokenizer: TokenizerMode = TokenizerMode.SEARCH
    chunk_size: int = 300
    chunk_overlap: int = 0
    chroma_url: str | None = None
    # Reciprocal-rank fusion constant: 60 is the value from the original RRF paper; it keeps a
    # single first place from outweighing agreement between the two retrievers.
    rrf_k: int = 60
    query_threads: int = 0  # torch threads embedding one question, in the thread that asks (0: unchanged)
    bm25_text_includes_title: bool = True

    @property
    def bm25_signature(self) -> str:
        """Everything that shapes the keyword index and the English lexicon built with it; a change means
        rebuilding them (not vectors): an edited glossary is picked up by the next `kzqa index`."""
        fields = "title+section+text" if self.bm25_text_includes_title else "text"
        return f"{self.bm25_tokenizer.value}|{fields}|lexicon:{LEXICON_FORMAT}|glossary:{_glossary_digest()}"

    @property
    def embedding(self) -> EmbeddingSpec:
        return embedding_spec(
            self.embed_model,
            query_prefix=self.query_prefix,
            passage_prefix=self.passage_prefix,
            backend=self.embed_backend,
        )


@cache
def _glossary_digest() -> str:
    return hashlib.sha256(GLOSSARY_FILE.read_bytes()).hexdigest()[:12] if GLOSSARY_FILE.is_file() else "none"
