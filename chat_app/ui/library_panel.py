"""The "add documents" panel's event handlers: open the page, upload, list, remove; each change
re-indexes with progress. Every handler acts for the session's owner (identity.py): it lists, adds and
removes that owner's documents, and the page's counts are that owner's."""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder

from chat_app.owners import Owner, OwnerKind
from chat_app.search_scope import SearchScope
from chat_app.ui.corpus_summary import Article, corpus_html
from chat_app.ui.documents import ALLOWED_SUFFIXES
from chat_app.ui.identity import identify
from chat_app.ui.page_copy import header_html, library_note_html, searched_en, searched_zh
from chat_app.ui.service import AssistantService, LibraryUpdate

log = logging.getLogger(__name__)

# What a library change updates: status, the removable documents, the note, the header, "About the articles".
Refreshed = tuple[str, dict, str, str, str]


class LibraryPanel:
    def __init__(self, service: AssistantService, articles: list[Article]):
        self.service = service
        self.articles = articles

    def open_page(self, token: object, request: gr.Request) -> tuple[str | None, Owner, str, str, str, dict, dict]:
        """On page load: who this session is, and the page as that owner sees it (the token goes back
        to the browser to keep). The upload button is enabled only now: a file sent before the session
        has an owner could not be stored (on a busy server the page shows a second or two earlier)."""
        kept, owner = identify(token, getattr(request, "username", None))
        return kept, owner, *self._page(owner), self.listing(owner), gr.update(interactive=True)

    def header(self, owner: Owner | None) -> str:
        return header_html(self.service.scope(owner), shared_library=self.service.shared_library)

    def about(self, owner: Owner | None) -> str:
        return corpus_html(self.articles, self.service.scope(owner))

    def note(self, owner: Owner | None) -> str:
        read_only = [d.name for d in self.service.library(owner) if not self.service.removable(d)]
        logged_in = owner is not None and owner.kind == OwnerKind.USER
        return library_note_html(shared_library=self.service.shared_library, logged_in=logged_in, read_only=read_only)

    def hint(self) -> str:
        folder = self.service.documents
        return (
            f"{' '.join(ALLOWED_SUFFIXES)} · ≤ {folder.max_bytes // (1024 * 1024)} MB · "
            f"≤ {folder.max_documents} 个文档 documents · UTF-8 / GB18030 / UTF-16"
        )

    def listing(self, owner: Owner | None) -> dict:
        """The documents this owner may remove, as an update for the checkbox list (nothing ticked)."""
        documents = [d for d in self.service.library(owner) if self.service.removable(d)]
        choices = [(f"{d.name} — 《{d.title}》 · {max(1, d.size // 1024)} KB", d.name) for d in documents]
        info = (
            "勾选后点“删除” · Tick documents, then Remove" if documents else "还没有添加文档 · No documents added yet"
        )
        return gr.update(choices=choices, value=[], info=info)

    def add(
        self,
        files: list[str] | None,
        owner: Owner | None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> Refreshed:
        uploads = [Path(file) for file in files or []]
        progress(0, desc="正在检查和索引 · Checking and indexing…")
        try:
            update = self.service.add_documents(uploads, owner=owner, progress=_bar(progress))
        finally:
            _forget_uploads(uploads)
        return self._refreshed(_report_html(update, self.service.scope(owner)), owner)

    def remove(
        self,
        names: list[str] | None,
        owner: Owner | None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> Refreshed:
        if not names:
            return self._refreshed(
                _message("kz-note-info", "先勾选要删除的文档 · Tick the documents to remove first"), owner
            )
        progress(0, desc="正在更新索引 · Updating the index…")
        update = self.service.remove_documents(names, owner=owner, progress=_bar(progress))
        return self._refreshed(_report_html(update, self.service.scope(owner)), owner)

    def _page(self, owner: Owner | None) -> tuple[str, str, str]:
        return self.header(owner), self.about(owner), self.note(owner)

    def _refreshed(self, status: str, owner: Owner | None) -> Refreshed:
        header, about, note = self._page(owner)
        return status, self.listing(owner), note, header, about


def _forget_uploads(uploads: list[Path]) -> None:
    """Delete gradio's cached copies: an accepted file now lives in the documents folder, a refused one
    nowhere. Only files inside gradio's upload folder are touched."""
    cache = Path(get_upload_folder()).resolve()
    for upload in uploads:
        path = upload.resolve()
        if path.is_relative_to(cache) and path != cache:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                log.warning("could not delete the uploaded copy %s; gradio's cache cleaning will", path)


def _bar(progress: gr.Progress):
    return lambda done, total: progress((done, total), desc="正在嵌入 · Embedding", unit="chunks")


def _report_html(update: LibraryUpdate, scope: SearchScope) -> str:
    """What the change did, and (once the index has it) what this reader's questions now search:
    never the index's size, which would tell them how much everyone else has added."""
    parts = []
    if update.added and update.error is None:
        parts.append(_message("kz-note-ok", f"已添加，可以提问了 · Added, ask away: {', '.join(update.added)}"))
    if update.removed and update.error is None:
        parts.append(_message("kz-note-ok", f"已删除 · Removed: {', '.join(update.removed)}"))
    if update.indexed_chunks is not None:
        parts.append(_message("kz-note-info", f"现在检索 {searched_zh(scope)} · Now searching {searched_en(scope)}"))
    parts += [_message("kz-note-warning", f"未处理 · Skipped: {reason}") for reason in update.rejected]
    if update.error:
        parts.append(_message("kz-note-warning", f"索引未更新 · The index was not updated: {update.error}"))
    return "".join(parts)


def _message(kind: str, text: str) -> str:
    return f'<div class="kz-note {kind}">{escape(text)}</div>'
