"""A running kzqa UI that a test talks to, and the clean-up of what browsers uploaded to it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from chat_app.ui.service import AssistantService


@dataclass(frozen=True)
class LiveApp:
    url: str
    service: AssistantService


def forget_private_documents(live_app: LiveApp, embedder) -> None:
    """Test clean-up, as an operator would do it: delete every browser's private documents, then run
    `kzqa index`; the server moves to that build at its next request. (A test cannot remove them through
    the service: it does not know the browsers' owners, which is the point.)"""
    from chat_app.index_settings import index_settings
    from index.indexer import build_index

    shutil.rmtree(live_app.service.config.private_documents_dir, ignore_errors=True)
    build_index(index_settings(live_app.service.config), embedder=embedder)


def message_text(message: dict) -> str:
    """The text of a chat message as gradio's client returns it (a string, or a list of parts)."""
    content = message["content"]
    return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)
