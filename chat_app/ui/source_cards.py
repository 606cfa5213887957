"""The source cards under an answer: one per cited passage, collapsed to one line until clicked.

Citations quoting the same passage share one card (two cards never show the same text), with
each quote highlighted inside it. Every card, quote and marker gets an id built from the reply's
id and the citation number: gradio's sanitizer keeps ids and classes (not data-* attributes), and
the page's script (sources.js) finds a marker's card, a quote's preview and the article to open
through them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from chat_app.answer import Citation
from chat_app.ui.html_text import UPLOADED_BADGE, is_web_address, lines_html
from index.passage import Passage

CONTEXT_CHARS = 90  # passage text shown on each side of the quotes: about two sentences of context
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”」』）)]*|\n+")


@dataclass(frozen=True)
class Quote:
    """Where the citations `ids` quote their passage: [start, end) of the passage text."""

    ids: tuple[int, ...]
    start: int
    end: int


@dataclass(frozen=True)
class SourceCard:
    citations: tuple[Citation, ...]  # by id; the first names the card
    text: str  # the passage the quotes are in (just the quote when it could not be found)
    quotes: tuple[Quote, ...]  # in text order, never overlapping

    @property
    def first(self) -> Citation:
        return self.citations[0]

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(citation.id for citation in self.citations)


def source_cards(citations: list[Citation], passages: list[Passage]) -> list[SourceCard]:
    """One card per passage quoted, in the order of their first citation."""
    groups: dict[tuple[str, str], list[tuple[Citation, int]]] = {}
    texts: dict[tuple[str, str], str] = {}
    for citation in sorted(citations, key=lambda c: c.id):
        passage, offset = _locate(citation, passages)
        if passage is None:  # not among the passages shown: the quote is all there is to show
            key, text, offset = (citation.source, f"quote:{citation.start}:{citation.end}"), citation.quote, 0
        else:
            key, text = (citation.source, passage.chunk_id), passage.text
        groups.setdefault(key, []).append((citation, offset))
        texts[key] = text
    return [_card(members, texts[key]) for key, members in groups.items()]


def card_id(reply_id: str, citation_id: int) -> str:
    return f"kz-src-{reply_id}-{citation_id}"


def quote_id(reply_id: str, citation_id: int) -> str:
    return f"kz-q-{reply_id}-{citation_id}"


def cards_html(cards: list[SourceCard], *, reply_id: str, uploaded: frozenset[str], label: str, css: str) -> str:
    items = "".join(_card_html(card, reply_id, card.first.source in uploaded) for card in cards)
    return f'<div class="{css}"><div class="kz-label">{label}</div>{items}</div>'


# -- grouping ------------------------------------------------------------------------------
def _locate(citation: Citation, passages: list[Passage]) -> tuple[Passage | None, int]:
    """The passage holding the quote (its own chunk first) and the quote's offset in it."""
    candidates = sorted(
        (p for p in passages if p.source == citation.source), key=lambda p: p.chunk_id != citation.chunk_id
    )
    for passage in candidates:
        offset = citation.start - passage.start
        if offset < 0 or passage.text[offset : offset + len(citation.quote)] != citation.quote:
            offset = passage.text.find(citation.quote)
        if offset >= 0 and citation.quote:
            return passage, offset
    return None, 0


def _card(members: list[tuple[Citation, int]], text: str) -> SourceCard:
    spans = sorted((offset, offset + len(citation.quote), citation.id) for citation, offset in members)
    quotes: list[Quote] = []
    for start, end, cited in spans:
        if quotes and start < quotes[-1].end:  # overlapping quotes are highlighted as one
            last = quotes.pop()
            quotes.append(Quote((*last.ids, cited), last.start, max(last.end, end)))
        else:
            quotes.append(Quote((cited,), start, end))
    return SourceCard(tuple(citation for citation, _ in members), text, tuple(quotes))


# -- rendering -------------------------------------------------------------------------------
def _card_html(card: SourceCard, reply_id: str, uploaded: bool) -> str:
    markers = "".join(f'<span class="kz-marker">[{cited}]</span>' for cited in card.ids)
    first = card.first
    meta = " · ".join(escape(value) for value in (first.publisher, first.published) if value)
    badge = UPLOADED_BADGE if uploaded else ""
    head = f'{markers}{badge}<span class="kz-title">《{escape(first.title)}》</span>'
    if meta:
        head += f'<span class="kz-meta">{meta}</span>'
    # The quote's opening words tell apart two cards from one article, which otherwise look alike.
    head += f'<span class="kz-snippet">{escape(" ".join(first.quote.split()))}</span>'
    actions = (
        '<button type="button" class="kz-read">阅读原文 · Read in article</button>'
        f'<code class="kz-file">{escape(first.source)}</code>'
    )
    if not uploaded and is_web_address(first.url):  # an upload can claim any address: never linked
        actions += f'<a class="kz-link" href="{escape(first.url)}" target="_blank" rel="noopener">网页 · web ↗</a>'
    return (
        f'<details class="kz-card" id="{card_id(reply_id, first.id)}">'
        f'<summary class="kz-source-head">{head}</summary>'
        f'<div class="kz-passage">{_excerpt_html(card, reply_id)}</div>'
        f'<div class="kz-card-actions">{actions}</div></details>'
    )


def _excerpt_html(card: SourceCard, reply_id: str) -> str:
    """The quotes highlighted, the text between them in full, and some context on either side."""
    parts = [lines_html(_context_before(card.text[: card.quotes[0].start]))]
    for index, quote in enumerate(card.quotes):
        if index:
            parts.append(lines_html(card.text[card.quotes[index - 1].end : quote.start]))
        marked = lines_html(card.text[quote.start : quote.end])
        parts.append(f'<mark class="kz-quote" id="{quote_id(reply_id, quote.ids[0])}">{marked}</mark>')
    parts.append(lines_html(_context_after(card.text[card.quotes[-1].end :])))
    return "".join(parts)


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
