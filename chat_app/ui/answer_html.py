"""How replies look in the chat: Markdown and HTML for gr.Chatbot.

Text from users and documents is always HTML-escaped. A document a user added is marked as
uploaded wherever it is shown, and only corpus articles get a web link: an upload can copy a
corpus title and claim any address. The blocks built here stay on one line, so the chat's
Markdown renderer passes them through as HTML; only the answer text itself is Markdown (an LLM
may write lists or bold), between blank lines inside its <div>.

Each [n] marker links to its source card (source_cards.py); what the engine did to get there
(scores, ranks, timings, why it refused) is in a block the "show retrieval details" setting
reveals (retrieval_details.py).
"""

from __future__ import annotations

import re
from html import escape

from chat_app.answer import Answer
from chat_app.answer_wording import CITATION_MARKER
from chat_app.ui.html_text import lines_html
from chat_app.ui.retrieval_details import NoteKind, details_html, note_kind
from chat_app.ui.source_cards import SourceCard, card_id, cards_html, source_cards

_DISAGREEMENT = "sources disagree:"
# A refusal says what to try instead; why the engine refused is a retrieval detail.
TRY_INSTEAD = (
    '<div class="kz-try"><span class="kz-label">可以试试 · You could try:</span><ul>'
    "<li>换个说法 · rephrasing the question</li>"
    "<li>写明国家、人物或年份 · naming the country, person or year you mean</li>"
    "<li>问这些文章谈到的事（见“关于这些文章”）· asking about what the articles cover (see “About the articles”)</li>"
    "</ul></div>"
)


def question_html(question: str) -> str:
    return f'<div class="kz-question">{escape(" ".join(question.split()))}</div>'


def pending_html() -> str:
    return '<div class="kz-pending">正在检索文章… · Searching the articles…</div>'


def preview_html(text: str) -> str:
    """A streamed answer so far, with a cursor; its markers link nowhere yet."""
    return _answer_text(text + " ▍", css_class="kz-answer kz-streaming", targets={}, reply_id="")


def notice_html(message: str) -> str:
    """A question that cannot be answered as asked: a hint, not an error."""
    return (
        '<div class="kz-note kz-note-warning"><div class="kz-label">请提一个问题 · Please ask a question</div>'
        f"<div>{lines_html(message.strip())}</div></div>"
    )


def error_html(message: str) -> str:
    return (
        '<div class="kz-error"><div class="kz-label">出错了 · Something went wrong</div>'
        f"<div>{lines_html(message.strip())}</div></div>"
    )


def answer_html(answer: Answer, *, reply_id: str) -> str:
    """The final reply. `reply_id` (letters and digits) names its cards and quotes on the page."""
    cited = answer.related if answer.refused else answer.citations
    cards = source_cards(cited, answer.passages)
    targets = {citation.id: card.first.id for card in cards for citation in card.citations}
    if answer.refused:
        text = _linked(lines_html(answer.text.strip()), targets, reply_id)
        body = (
            '<div class="kz-refusal"><div class="kz-label">文章中没有答案 · Not answered by the articles</div>'
            f"<div>{text}</div>{TRY_INSTEAD}</div>"
        )
    else:
        body = _answer_text(answer.text, css_class="kz-answer", targets=targets, reply_id=reply_id)
    parts = (body, _notes_html(answer.notes), _sources_html(answer, cards, reply_id), details_html(answer))
    return "\n\n".join(part for part in parts if part)


# -- the answer text -------------------------------------------------------------------------
def _answer_text(text: str, *, css_class: str, targets: dict[int, int], reply_id: str) -> str:
    return f'<div class="{css_class}">\n\n{_linked(escape(text), targets, reply_id)}\n\n</div>'


def _linked(escaped: str, targets: dict[int, int], reply_id: str) -> str:
    """Markers with a card become links to it; any other [n] stays a plain label."""

    def marker(match: re.Match[str]) -> str:
        target = targets.get(int(match.group(1)))
        if target is None:
            return f'<span class="kz-marker">{match.group(0)}</span>'
        return f'<a class="kz-marker" href="#{card_id(reply_id, target)}">{match.group(0)}</a>'

    return CITATION_MARKER.sub(marker, escaped)


# -- notes: disagreement stands out, the engine's own notes are retrieval details -------------
def _notes_html(notes: list[str]) -> str:
    return "".join(_note_html(note) for note in notes if note_kind(note) is not NoteKind.DETAIL)


def _note_html(note: str) -> str:
    kind = note_kind(note)
    if kind is NoteKind.DISAGREEMENT:
        detail = note[len(_DISAGREEMENT) :].strip()
        return (
            '<div class="kz-note kz-note-disagree"><span class="kz-label">⚖ 来源说法不一 · Sources disagree</span> '
            f"{escape(detail)}</div>"
        )
    return f'<div class="kz-note kz-note-{kind.value}">{escape(note)}</div>'


# -- sources ---------------------------------------------------------------------------------
def _sources_html(answer: Answer, cards: list[SourceCard], reply_id: str) -> str:
    if not cards:
        return ""
    if answer.refused:  # a partial refusal: what the articles do say, marked as not being an answer
        label, css = "相关内容（并非答案）· Related, not an answer", "kz-sources kz-related"
    else:
        label, css = "来源 · Sources", "kz-sources"
    return cards_html(cards, reply_id=reply_id, uploaded=answer.uploaded_sources, label=label, css=css)
