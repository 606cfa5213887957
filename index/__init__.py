"""Stage 2: embeddings, the Chroma vector store, the jieba BM25 store and hybrid retrieval."""

from index.offline import enforce_offline

enforce_offline()  # before any submodule imports huggingface_hub, transformers or chromadb
