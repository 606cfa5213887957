"""The last gate before an answer is shown: every citation quotes its passage exactly, and every
[n] marker in the text has its citation (and the other way round).

Hand-written because it is the product's promise: a marker that points nowhere or a quote that is
not in the article never reaches the user. LLM drafts were checked for support before this (by
citation_verifier); this check holds for every generator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from chat_app.answer import Citation
from chat_app.answer_wording import CITATION_MARKER
from chat_app.engine.records import Draft
from index.passage import Passage


class CitationChecker:
    def run(self, draft: Draft, passages: Sequence[Passage]) -> Draft:
        by_chunk = {p.chunk_id: p for p in passages}
        notes = list(draft.notes)
        citations = self._exact(draft.citations, by_chunk, notes)
        related = self._exact(draft.related, by_chunk, notes)
        known = {c.id for c in (*citations, *related)}
        text = CITATION_MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in known else "", draft.text)
        if text != draft.text:
            notes.append("markers without a citation were removed")
        used = {int(n) for n in CITATION_MARKER.findall(text)}
        citations = tuple(c for c in citations if c.id in used)
        related = tuple(c for c in related if c.id in used)
        return replace(draft, text=text, citations=citations, related=related, notes=tuple(notes))

    @staticmethod
    def _exact(citations: Sequence[Citation], by_chunk: dict[str, Passage], notes: list[str]) -> tuple[Citation, ...]:
        kept = []
        for citation in citations:
            passage = by_chunk.get(citation.chunk_id or "")
            if passage is None:
                notes.append(f"citation [{citation.id}] points to a passage that was not retrieved and was dropped")
                continue
            span = passage.text[citation.start - passage.start : citation.end - passage.start]
            if span != citation.quote or not span:
                notes.append(f"citation [{citation.id}] does not quote its passage exactly and was dropped")
                continue
            kept.append(citation)
        return tuple(kept)
