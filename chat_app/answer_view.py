"""How `kzqa ask` prints an answer: the text, then a numbered source list with the quoted span."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from chat_app.answer import Answer


def render_answer(answer: Answer, console: Console) -> None:
    style = "yellow" if answer.refused else ""
    console.print(f"[{style}]{escape(answer.text)}[/{style}]" if style else escape(answer.text))
    cited = answer.citations or answer.related
    if cited:
        heading = "Sources" if answer.citations else "Related (not an answer)"
        console.print(f"\n[bold]{heading}[/bold]")
        for citation in cited:
            where = " · ".join(p for p in (citation.publisher, citation.published) if p)
            console.print(
                f"[{citation.id}] {citation.source} — {escape(citation.title)}" + (f" ({where})" if where else "")
            )
            console.print(f"    “{escape(citation.quote)}” [dim](chars {citation.start}-{citation.end})[/dim]")
            if citation.url:
                console.print(f"    [dim]{citation.url}[/dim]")
    for note in answer.notes:
        console.print(f"[dim]note: {escape(note)}[/dim]")
