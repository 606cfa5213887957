"""The "add documents" panel's event handlers: upload, list, remove; each change re-indexes with progress."""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder

from chat_app.ui.documents import ALLOWED_SUFFIXES
from chat_app.ui.service import AssistantService, LibraryUpdate

log = logging.getLogger(__name__)


class LibraryPanel:
    def __init__(self, service: AssistantService):
        self.service = service

    def hint(self) -> str:
        folder = self.service.documents
        return (
            f"{' '.join(ALLOWED_SUFFIXES)} · ≤ {folder.max_bytes // (1024 * 1024)} MB · "
            f"≤ {folder.max_documents} 个文档 documents · UTF-8 / GB18030 / UTF-16"
        )

    def listing(self) -> dict:
        """The current documents, as an update for the checkbox list (nothing ticked)."""
        documents = self.service.documents.documents()
        choices = [(f"{d.name} — 《{d.title}》 · {max(1, d.size // 1024)} KB", d.name) for d in documents]
        info = (
            "勾选后点“删除” · Tick documents, then Remove" if documents else "还没有添加文档 · No documents added yet"
        )
        return gr.update(choices=choices, value=[], info=info)

    def add(self, files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[str, dict]:  # noqa: B008
        uploads = [Path(file) for file in files or []]
        progress(0, desc="正在检查和索引 · Checking and indexing…")
        try:
            update = self.service.add_documents(uploads, progress=_bar(progress))
        finally:
            _forget_uploads(uploads)
        return _report_html(update), self.listing()

    def remove(self, names: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[str, dict]:  # noqa: B008
        if not names:
            return _message("kz-note-info", "先勾选要删除的文档 · Tick the documents to remove first"), self.listing()
        progress(0, desc="正在更新索引 · Updating the index…")
        update = self.service.remove_documents(names, progress=_bar(progress))
        return _report_html(update), self.listing()


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


def _report_html(update: LibraryUpdate) -> str:
    parts = []
    if update.added and update.error is None:
        parts.append(_message("kz-note-ok", f"已添加，可以提问了 · Added, ask away: {', '.join(update.added)}"))
    if update.removed and update.error is None:
        parts.append(_message("kz-note-ok", f"已删除 · Removed: {', '.join(update.removed)}"))
    if update.indexed_chunks is not None:
        parts.append(
            _message("kz-note-info", f"索引共 {update.indexed_chunks} 段 · {update.indexed_chunks} chunks indexed")
        )
    parts += [_message("kz-note-warning", f"未处理 · Skipped: {reason}") for reason in update.rejected]
    if update.error:
        parts.append(_message("kz-note-warning", f"索引未更新 · The index was not updated: {update.error}"))
    return "".join(parts)


def _message(kind: str, text: str) -> str:
    return f'<div class="kz-note {kind}">{escape(text)}</div>'
