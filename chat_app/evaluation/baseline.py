"""LlamaIndex's starter pipeline, the baseline `kzqa eval` measures kzqa against.

SimpleDirectoryReader over the raw files, the default SentenceSplitter, an in-memory vector index
with the same embedding model kzqa uses, llama-index's default top-k, and the top passage as the
answer. No cleaning, no keyword search, no follow-up condensing, no refusal: what is left when
kzqa's additions are taken away.
"""

from __future__ import annotations

import time
from pathlib import Path

from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore

from chat_app.answer import Answer, Citation
from chat_app.assistant import History
from index.passage import Passage


class StarterBaseline:
    def __init__(self, corpus_dir: Path, *, embed_model: BaseEmbedding):
        documents = SimpleDirectoryReader(str(corpus_dir)).load_data()
        # The model is passed explicitly: llama-index's default (Settings.embed_model) is OpenAI's.
        index = VectorStoreIndex.from_documents(documents, embed_model=embed_model)
        self._retriever = index.as_retriever()  # llama-index's default similarity_top_k, on purpose

    def chat(self, question: str, history: History = ()) -> Answer:
        """Answer with the top passage, citing its file. The starter has no memory: `history` is unused."""
        started = time.perf_counter()
        passages = [_passage(hit, rank) for rank, hit in enumerate(self._retriever.retrieve(question), start=1)]
        elapsed_ms = (time.perf_counter() - started) * 1000
        top = passages[0] if passages else None
        citations = [] if top is None else [
            Citation(id=1, source=top.source, title=top.title, quote=top.text, start=top.start, end=top.end,
                     chunk_id=top.chunk_id)
        ]  # fmt: skip
        return Answer(
            question=question,
            text=top.text if top else "",
            refused=False,
            citations=citations,
            passages=passages,
            timings_ms={"retrieve": elapsed_ms, "total": elapsed_ms},
            standalone_question=question,
        )


def _passage(hit: NodeWithScore, rank: int) -> Passage:
    node = hit.node
    source = node.metadata.get("file_name", "")
    start = node.start_char_idx or 0
    return Passage(
        chunk_id=node.node_id,
        source=source,
        title=source,  # the starter reads no titles
        section="",
        text=node.get_content(),
        start=start,
        end=node.end_char_idx if node.end_char_idx is not None else start + len(node.get_content()),
        score=hit.score or 0.0,
        vector_rank=rank,
        vector_similarity=hit.score,
    )
