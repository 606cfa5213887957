"""The app's configuration, translated into what the index stage takes."""

from __future__ import annotations

from chat_app.config import KzqaConfig
from index.settings import IndexSettings


def index_settings(config: KzqaConfig) -> IndexSettings:
    return IndexSettings(
        data_dir=config.data_dir,
        model_cache_dir=config.model_cache_dir,
        corpus_dirs=(config.corpus_dir, config.documents_dir),
        private_documents_dir=config.private_documents_dir,
        embed_model=config.embed_model,
        embed_backend=config.embed_backend,
        query_prefix=config.embed_query_prefix,
        passage_prefix=config.embed_passage_prefix,
        bm25_tokenizer=config.bm25_tokenizer,
        chunk_size=config.chunk_size,
        chunk_overlap=config.chunk_overlap,
        chroma_url=config.chroma_url,
        query_threads=config.query_threads,
    )
