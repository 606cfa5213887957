"""One running kzqa UI for the client and browser tests, over a private copy of the session's index
(uploads in the tests must not touch the shared index)."""

from __future__ import annotations

import shutil
import socket
from dataclasses import dataclass

import pytest

from chat_app.ui.service import AssistantService


@dataclass(frozen=True)
class LiveApp:
    url: str
    service: AssistantService


@pytest.fixture(scope="package")
def live_app(kzqa_config, embedder, tmp_path_factory):
    from chat_app.ui.app import build_app
    from chat_app.ui.server import launch

    data_dir = tmp_path_factory.mktemp("ui") / "data"
    shutil.copytree(kzqa_config.data_dir, data_dir)
    service = AssistantService.start(kzqa_config.with_overrides(data_dir=data_dir), embedder=embedder)
    assert service.ready, service.startup_error
    app = build_app(service)
    url = launch(app, host="127.0.0.1", port=_free_port())
    yield LiveApp(url=url, service=service)
    app.close()


def forget_private_documents(live_app: LiveApp, embedder) -> None:
    """Test clean-up, as an operator would do it: delete every browser's private documents, then run
    `kzqa index`; the server moves to that build at its next request. (A test cannot remove them through
    the service: it does not know the browsers' owners, which is the point.)"""
    from chat_app.index_settings import index_settings
    from index.indexer import build_index

    shutil.rmtree(live_app.service.config.private_documents_dir, ignore_errors=True)
    build_index(index_settings(live_app.service.config), embedder=embedder)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
