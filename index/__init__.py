"""Stage 2: embeddings, the Chroma vector store, the jieba BM25 store and hybrid retrieval."""
