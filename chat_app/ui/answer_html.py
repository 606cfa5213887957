"""How replies look in the chat: Markdown and HTML for gr.Chatbot.

Text from users and documents is always HTML-escaped. A document a user added is marked as
uploaded wherever it is shown, and only corpus articles get an "original" link: an upload can copy
a corpus title and claim any address. The blocks built here stay on one line, so
the chat's Markdown renderer passes them through as HTML; only the answer text itself is Markdown
(an LLM may write lists or bold), between blank lines inside its <div>.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlparse

from chat_app.answer import Answer, Citation
from index.passage import Passage

CONTEXT_CHARS = 90  # passage text shown on each side of a quoted span: about two sentences of context
_MARKER = re.compile(r"\[(\d+)\]")
_DISAGREEMENT = "sources disagree:"
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”」』）)]*|\n+")
UPLOADED_BADGE = (
    '<span class="kz-uploaded" title="用户添加的文档，不是五篇文章之一 · added by a user, not one of the articles">'
    "上传 · uploaded</span>"
)


def question_html(question: str) -> str:
    return f'<div class="kz-question">{escape(" ".join(question.split()))}</div>'


def pending_html() -> str:
    return '<div class="kz-pending">正在检索文章… · Searching the articles…</div>'


def preview_html(text: str) -> str:
    """A streamed answer so far, with a cursor."""
    return _answer_text(text + " ▍", css_class="kz-answer kz-streaming")


def notice_html(message: str) -> str:
    """A question that cannot be answered as asked: a hint, not an error."""
    return (
        '<div class="kz-note kz-note-warning"><div class="kz-label">请提一个问题 · Please ask a question</div>'
        f"<div>{_lines(message.strip())}</div></div>"
    )


def error_html(message: str) -> str:
    return (
        '<div class="kz-error"><div class="kz-label">出错了 · Something went wrong</div>'
        f"<div>{_lines(message.strip())}</div></div>"
    )


def answer_html(answer: Answer) -> str:
    if answer.refused:
        body = (
            '<div class="kz-refusal"><div class="kz-label">文章中没有答案 · Not answered by the articles</div>'
            f"<div>{_lines(answer.text.strip())}</div></div>"
        )
    else:
        body = _answer_text(answer.text, css_class="kz-answer")
    parts = (body, _notes_html(answer.notes), _sources_html(answer), _passages_html(answer), _footer_html(answer))
    return "\n\n".join(part for part in parts if part)


# -- the answer text -------------------------------------------------------------------------
def _answer_text(text: str, *, css_class: str) -> str:
    markdown = _MARKER.sub(r'<span class="kz-marker">[\1]</span>', escape(text))
    return f'<div class="{css_class}">\n\n{markdown}\n\n</div>'


# -- notes: disagreement stands out, the rest is quiet ---------------------------------------
def _notes_html(notes: list[str]) -> str:
    return "".join(_note_html(note) for note in notes)


def _note_html(note: str) -> str:
    if note.lower().startswith(_DISAGREEMENT):
        detail = note[len(_DISAGREEMENT) :].strip()
        return (
            '<div class="kz-note kz-note-disagree"><span class="kz-label">⚖ 来源说法不一 · Sources disagree</span> '
            f"{escape(detail)}</div>"
        )
    kind = "kz-note-warning" if "LLM" in note else "kz-note-info"
    return f'<div class="kz-note {kind}">{escape(note)}</div>'


# -- sources: every citation with its quote highlighted inside its passage --------------------
def _sources_html(answer: Answer) -> str:
    if answer.refused and answer.related:
        # A partial refusal: what the articles do say, marked as not being an answer.
        items = "".join(_source_item(citation, answer) for citation in answer.related)
        label = "相关内容（并非答案）· Related, not an answer"
        return f'<div class="kz-sources kz-related"><div class="kz-label">{label}</div><ol>{items}</ol></div>'
    if answer.refused or not answer.citations:
        return ""
    items = "".join(_source_item(citation, answer) for citation in answer.citations)
    return f'<div class="kz-sources"><div class="kz-label">来源 · Sources</div><ol>{items}</ol></div>'


def _source_item(citation: Citation, answer: Answer) -> str:
    uploaded = answer.is_uploaded(citation.source)
    meta = " · ".join(escape(value) for value in (citation.publisher, citation.published) if value)
    head = (
        f'<span class="kz-marker">[{citation.id}]</span> <code class="kz-file">{escape(citation.source)}</code> '
        + (f"{UPLOADED_BADGE} " if uploaded else "")
        + f'<span class="kz-title">《{escape(citation.title)}》</span>'
    )
    if meta:
        head += f' <span class="kz-meta">{meta}</span>'
    if not uploaded and _is_web_address(citation.url):
        head += (
            f' <a class="kz-link" href="{escape(citation.url)}" target="_blank" rel="noopener">原文 · original ↗</a>'
        )
    before, quote, after = _quote_in_context(citation, answer.passages)
    passage = f'{_lines(before)}<mark class="kz-quote">{_lines(quote)}</mark>{_lines(after)}'
    return f'<li><div class="kz-source-head">{head}</div><div class="kz-passage">{passage}</div></li>'


def _quote_in_context(citation: Citation, passages: list[Passage]) -> tuple[str, str, str]:
    """(text before, the quote, text after) within the cited passage, trimmed to CONTEXT_CHARS a side."""
    candidates = sorted(
        (p for p in passages if p.source == citation.source), key=lambda p: p.chunk_id != citation.chunk_id
    )
    for passage in candidates:
        offset = citation.start - passage.start
        if offset < 0 or passage.text[offset : offset + len(citation.quote)] != citation.quote:
            offset = passage.text.find(citation.quote)
        if offset >= 0:
            before, after = passage.text[:offset], passage.text[offset + len(citation.quote) :]
            return _context_before(before), citation.quote, _context_after(after)
    return "", citation.quote, ""


def _context_before(text: str) -> str:
    """The end of `text`, from a sentence start when one is near enough."""
    if len(text) <= CONTEXT_CHARS:
        return text
    window = text[-CONTEXT_CHARS - 1 :]  # one more: a sentence end just before the window is a clean start
    for boundary in _SENTENCE_END.finditer(window):
        if window[boundary.end() :].strip():
            return "…" + window[boundary.end() :].lstrip()
    return "…" + window[1:]


def _context_after(text: str) -> str:
    """The start of `text`, up to a sentence end when one is near enough."""
    if len(text) <= CONTEXT_CHARS:
        return text
    window = text[:CONTEXT_CHARS]
    for boundary in reversed(list(_SENTENCE_END.finditer(window))):
        if window[: boundary.end()].strip():
            return window[: boundary.end()].rstrip() + "…"
    return window + "…"


def _is_web_address(url: str | None) -> bool:
    return bool(url) and urlparse(url).scheme in ("http", "https")


# -- retrieved passages, for those who want to see why ---------------------------------------
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
        f'<li><div class="kz-source-head"><code class="kz-file">{escape(passage.source)}</code>{badge} '
        f'<span class="kz-title">《{escape(passage.title)}》</span>{section}</div>'
        f'<div class="kz-score">score {passage.score:.4f} · {ranks}{similarity}</div>'
        f'<div class="kz-passage-text">{_lines(passage.text)}</div></li>'
    )


def _footer_html(answer: Answer) -> str:
    seconds = answer.timings_ms.get("total", 0.0) / 1000
    return f'<div class="kz-footer">{answer.generator.value} · {len(answer.passages)} passages · {seconds:.1f} s</div>'


def _lines(text: str) -> str:
    """Escaped text on one line: paragraph breaks become <br>, so no blank line ends the HTML block."""
    return re.sub(r"\s*\n\s*", "<br>", escape(text))
