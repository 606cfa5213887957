"""How `kzqa ask` prints an answer: the text, then a numbered source list with the quoted span.

Every piece of question, answer or document text is escaped: rich would read "[/]" in a title or
an og:url as markup and stop with a MarkupError.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from chat_app.answer import Answer, Citation

UPLOADED_TAG = "[yellow]\\[uploaded][/yellow]"  # a document a user added, not one of the corpus articles


def render_answer(answer: Answer, console: Console) -> None:
    style = "yellow" if answer.refused else ""
    console.print(f"[{style}]{escape(answer.text)}[/{style}]" if style else escape(answer.text))
    cited = answer.citations or answer.related
    if cited:
        heading = "Sources" if answer.citations else "Related (not an answer)"
        console.print(f"\n[bold]{heading}[/bold]")
        for citation in cited:
            _render_citation(citation, answer.is_uploaded(citation.source), console)
    for note in answer.notes:
        console.print(f"[dim]note: {escape(note)}[/dim]")


def _render_citation(citation: Citation, uploaded: bool, console: Console) -> None:
    where = " · ".join(p for p in (citation.publisher, citation.published) if p)
    head = f"[{citation.id}] {escape(citation.source)}" + (f" {UPLOADED_TAG}" if uploaded else "")
    console.print(f"{head} — {escape(citation.title)}" + (f" ({escape(where)})" if where else ""))
    console.print(f"    “{escape(citation.quote)}” [dim](chars {citation.start}-{citation.end})[/dim]")
    if citation.url and not uploaded:  # an uploaded document can claim any address
        console.print(f"    [dim]{escape(citation.url)}[/dim]")
