"""Read in article: a citation's whole article, inside the page, scrolled to the quote and with it
highlighted. It works offline for corpus articles and uploaded documents alike: the text is the
one the index holds, so a citation's offsets point at its quote.

The page asks for a citation by its reply's id and its number, never by file name, and only
citations this browser session was shown can be opened: the session's turns are the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

import gradio as gr

from chat_app.answer import Citation
from chat_app.owners import Owner
from chat_app.ui.conversation import Turn, cited
from chat_app.ui.html_text import UPLOADED_BADGE, is_web_address
from chat_app.ui.service import AssistantService, ServiceError

_REPLY_ID = re.compile(r"[0-9a-f]{10}")  # what chat_panel gives each reply (secrets.token_hex(5))
QUOTE_ID = "kz-viewer-quote"  # the highlighted quote; the page's script scrolls it into view
GONE_FROM_CHAT = "这条回答已不在对话中 · This answer is no longer in the conversation (it keeps the latest turns)."
GONE_FROM_INDEX = (
    "这篇文档已不在资料库中 · This document is no longer in the library, so it cannot be shown (it was removed "
    "or the index was rebuilt without it)."
)
QUOTE_MOVED = (
    "引文在当前版本中找不到 · The quoted passage is no longer in this version of the document; it is shown without "
    "the highlight."
)

# A document can be 20 MB; the browser is sent at most this much of it, centred on the quote.
MAX_SHOWN = 200_000
PART_SHOWN = (
    "长文档只显示引文附近的部分 · A long document: {shown:,} of its {total:,} characters are shown, around the quote."
)


@dataclass(frozen=True)
class ViewerRequest:
    reply_id: str
    citation_id: int


class ArticleViewer:
    def __init__(self, service: AssistantService):
        self.service = service

    def open(self, turns: list[Turn], owner: Owner | None, event: gr.EventData) -> str:
        """The viewer's HTML for the citation the page asked for ("" closes it on a malformed request).
        `owner`: the session's, so an uploaded document is read from its own file, never from another
        owner's of the same name."""
        request = viewer_request(_event_data(event))
        if request is None:
            return ""
        found = cited(turns, request.reply_id, request.citation_id)
        if found is None:
            return message_html(GONE_FROM_CHAT)
        turn, citation = found
        try:
            text = self.service.article_text(citation.source, owner=owner)
        except ServiceError as error:
            return message_html(str(error))
        if text is None:
            return message_html(GONE_FROM_INDEX)
        others = [c for c in turn.citations if c.source == citation.source and c.id != citation.id]
        return article_html(citation, text, uploaded=citation.source in turn.uploaded, others=others)


def viewer_request(data: Any) -> ViewerRequest | None:
    """What the page's script sent ({"reply": "…", "cite": n}); None for anything else."""
    if not isinstance(data, dict):
        return None
    reply, cite = data.get("reply"), data.get("cite")
    if not isinstance(reply, str) or not _REPLY_ID.fullmatch(reply):
        return None
    if isinstance(cite, bool) or not isinstance(cite, int | str) or not str(cite).isdigit():
        return None
    return ViewerRequest(reply, int(cite))


def article_html(citation: Citation, text: str, *, uploaded: bool, others: list[Citation]) -> str:
    """The whole text, escaped, with the quote marked (and the answer's other quotes from it, lighter).
    A very long document is shown around the quote, MAX_SHOWN characters of it."""
    primary = _span(citation, text)
    marks: list[tuple[int, int, bool]] = [] if primary is None else [(*primary, True)]
    for other in others:
        span = _span(other, text)
        if span is not None and not any(span[0] < end and start < span[1] for start, end, _ in marks):
            marks.append((*span, False))
    first, last = _shown(len(text), primary)
    body, position = ["…" if first else ""], first
    for start, end, is_primary in sorted(marks):
        if start < first or end > last:
            continue
        body.append(escape(text[position:start]))
        attributes = f'id="{QUOTE_ID}" class="kz-viewer-quote"' if is_primary else 'class="kz-viewer-other"'
        body.append(f"<mark {attributes}>{escape(text[start:end])}</mark>")
        position = end
    body.append(escape(text[position:last]) + ("…" if last < len(text) else ""))
    notes = [] if primary is not None else [QUOTE_MOVED]
    if last - first < len(text):
        notes.append(PART_SHOWN.format(shown=last - first, total=len(text)))
    noted = "".join(f'<div class="kz-note kz-note-warning">{escape(note)}</div>' for note in notes)
    return _frame(_head_html(citation, uploaded), noted + f'<div class="kz-viewer-text">{"".join(body)}</div>')


def message_html(message: str) -> str:
    head = '<div class="kz-viewer-title"><span class="kz-title">阅读原文 · Read in article</span></div>'
    return _frame(head, f'<div class="kz-note kz-note-warning">{escape(message)}</div>')


def _span(citation: Citation, text: str) -> tuple[int, int] | None:
    if citation.quote and text[citation.start : citation.end] == citation.quote:
        return citation.start, citation.end
    found = text.find(citation.quote) if citation.quote else -1
    return (found, found + len(citation.quote)) if found >= 0 else None


def _shown(length: int, quote: tuple[int, int] | None) -> tuple[int, int]:
    """[first, last) of a text of `length` characters to show: all of it, or MAX_SHOWN around the quote."""
    if length <= MAX_SHOWN:
        return 0, length
    middle = (quote[0] + quote[1]) // 2 if quote else 0
    first = min(max(0, middle - MAX_SHOWN // 2), length - MAX_SHOWN)
    return first, first + MAX_SHOWN


def _head_html(citation: Citation, uploaded: bool) -> str:
    meta = [escape(value) for value in (citation.publisher, citation.published) if value]
    meta.append(f'<code class="kz-file">{escape(citation.source)}</code>')
    if uploaded:
        meta.append(UPLOADED_BADGE)
    elif is_web_address(citation.url):
        meta.append(f'<a class="kz-link" href="{escape(citation.url)}" target="_blank" rel="noopener">网页 · web ↗</a>')
    return (
        f'<div class="kz-viewer-title"><span class="kz-title">《{escape(citation.title)}》</span>'
        f'<span class="kz-meta">{" · ".join(meta)}</span></div>'
    )


def _frame(head: str, body: str) -> str:
    return (
        '<div class="kz-viewer-backdrop"><div class="kz-viewer" role="dialog" aria-modal="true" '
        'aria-label="阅读原文 · Read in article">'
        f'<div class="kz-viewer-head">{head}'
        '<button type="button" class="kz-viewer-close" aria-label="关闭 · Close" title="关闭 · Close (Esc)">✕</button>'
        f'</div><div class="kz-viewer-body">{body}</div></div></div>'
    )


def _event_data(event: gr.EventData) -> Any:
    return getattr(event, "_data", None)
