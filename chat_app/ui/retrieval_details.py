"""What the "show retrieval details" setting reveals under an answer: why it was refused, the
engine's internal notes, the retrieved passages with their scores and ranks, and the timings.

It is always in the reply's HTML but hidden by the page's stylesheet until the setting is on
(`html.kz-details`), so switching it shows or hides the details of every answer at once.
"""

from __future__ import annotations

from enum import StrEnum
from html import escape

from chat_app.answer import Answer
from chat_app.ui.html_text import UPLOADED_BADGE, lines_html
from index.passage import Passage

DETAILS_CLASS = "kz-details"  # on <html> while the setting is on
_REFUSED = "refused:"


class NoteKind(StrEnum):
    DISAGREEMENT = "disagreement"  # the articles give different figures: every reader must see it
    WARNING = "warning"  # e.g. the LLM failed and the extractive answer is shown
    INFO = "info"  # e.g. the question was cut, how a follow-up was read
    DETAIL = "detail"  # the engine's workings: retrieval details only


# Notes about how the engine got to its answer, not about the answer: shown only with the details.
_DETAIL_PREFIXES = (
    _REFUSED,
    "partial",
    "corroborated by",
    "markers without a citation",
    "citation [",
    "marker [",
    "sentence ",
    "the llm found no answer",
)


def note_kind(note: str) -> NoteKind:
    lowered = note.lower()
    if lowered.startswith("sources disagree:"):
        return NoteKind.DISAGREEMENT
    if lowered.startswith(_DETAIL_PREFIXES):
        return NoteKind.DETAIL
    return NoteKind.WARNING if "LLM" in note else NoteKind.INFO


def details_html(answer: Answer) -> str:
    """The hidden block; it holds every score, rank, timing and refusal reason of the reply."""
    notes = [note for note in answer.notes if note_kind(note) is NoteKind.DETAIL]
    reasons = [note[len(_REFUSED) :].strip() for note in notes if note.lower().startswith(_REFUSED)]
    others = [note for note in notes if not note.lower().startswith(_REFUSED)]
    parts = [f'<div class="kz-reason"><span class="kz-label">拒答原因 · Why refused:</span> {escape(reason)}</div>'
             for reason in reasons]  # fmt: skip
    parts += [f'<div class="kz-engine-note">{escape(note)}</div>' for note in others]
    parts += [_passages_html(answer), _footer_html(answer)]
    return f'<div class="kz-retrieval">{"".join(part for part in parts if part)}</div>'


def _passages_html(answer: Answer) -> str:
    if not answer.passages:
        return ""
    label = "检索到的段落 · Retrieved passages"
    if answer.refused:
        label += "（都不回答这个问题 · none answers the question）"
    items = "".join(_passage_item(passage, answer.is_uploaded(passage.source)) for passage in answer.passages)
    return f'<details class="kz-passages"><summary>{label} ({len(answer.passages)})</summary><ol>{items}</ol></details>'


def _passage_item(passage: Passage, uploaded: bool) -> str:
    section = f' <span class="kz-meta">{escape(passage.section)}</span>' if passage.section else ""
    badge = f" {UPLOADED_BADGE}" if uploaded else ""
    ranks = f"vector #{passage.vector_rank or '–'} · BM25 #{passage.bm25_rank or '–'}"
    similarity = f" · cosine {passage.vector_similarity:.3f}" if passage.vector_similarity is not None else ""
    return (
        f'<li><div class="kz-passage-head"><code class="kz-file">{escape(passage.source)}</code>{badge} '
        f'<span class="kz-title">《{escape(passage.title)}》</span>{section}</div>'
        f'<div class="kz-score">score {passage.score:.4f} · {ranks}{similarity}</div>'
        f'<div class="kz-passage-text">{lines_html(passage.text)}</div></li>'
    )


def _footer_html(answer: Answer) -> str:
    stages = " · ".join(
        f"{name} {ms:.0f} ms" for name, ms in answer.timings_ms.items() if name != "total"
    )  # fmt: skip
    seconds = answer.timings_ms.get("total", 0.0) / 1000
    timing = f"{seconds:.1f} s" + (f" ({stages})" if stages else "")
    return f'<div class="kz-footer">{answer.generator.value} · {len(answer.passages)} passages · {timing}</div>'
