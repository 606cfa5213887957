"""One answer to a border question, with its passage and citation, that a test varies field by field."""

from __future__ import annotations

from chat_app.answer import Answer, Citation
from index.passage import Passage

REPLY = "0a1b2c3d4e"
PASSAGE_TEXT = (
    "解体以来的几十年里，俄罗斯一直努力维持影响力。俄哈两国边境线长达7,644公里，是世界第二长边境线。此后的内容。"
)
QUOTE = "俄哈两国边境线长达7,644公里，是世界第二长边境线。"


def passage(**changes) -> Passage:
    fields = {"chunk_id": "c1", "source": "000_336fa4486c18f44b.txt", "title": "普丁意想不到的挑战", "section": "",
              "text": PASSAGE_TEXT, "start": 100, "end": 100 + len(PASSAGE_TEXT), "score": 0.0328,
              "vector_rank": 1, "bm25_rank": 2, "vector_similarity": 0.875}  # fmt: skip
    return Passage(**(fields | changes))


def citation(**changes) -> Citation:
    start = 100 + PASSAGE_TEXT.index(QUOTE)
    fields = {"id": 1, "source": "000_336fa4486c18f44b.txt", "title": "普丁意想不到的挑战", "quote": QUOTE,
              "start": start, "end": start + len(QUOTE), "url": "https://cn.wsj.com/articles/x",
              "published": "2022-01-07", "publisher": "WSJ/Initium", "chunk_id": "c1"}  # fmt: skip
    return Citation(**(fields | changes))


def answer(**changes) -> Answer:
    fields = {"question": "俄哈边境线有多长？", "text": f"{QUOTE}[1]", "refused": False, "citations": [citation()],
              "passages": [passage()], "timings_ms": {"retrieve": 120.0, "total": 1234.0}}  # fmt: skip
    return Answer(**(fields | changes))
