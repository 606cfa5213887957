"""gradio's own upload route on a real server: another site's page cannot store files through it,
nothing over kzqa's limit is stored, and what is stored does not stay (the Assistant behind the
page is a fake: only the HTTP side is under test here)."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx
import pytest

from chat_app.config import KzqaConfig
from chat_app.ui.documents import MAX_BYTES
from chat_app.ui.service import AssistantService
from tests.support.fake_assistant import FakeAssistant
from tests.support.paths import CORPUS_DIR
from tests.support.polling import eventually
from tests.support.ports import free_port


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from chat_app.ui.app import build_app
    from chat_app.ui.server import launch

    config = KzqaConfig(corpus_dir=CORPUS_DIR, data_dir=tmp_path_factory.mktemp("upload-route"))
    app = build_app(AssistantService(config, FakeAssistant(), None), delete_cache=(1, 1))
    url = launch(app, host="127.0.0.1", port=free_port())
    yield url
    app.close()


def upload(url: str, data: bytes, *, origin: str | None = None) -> tuple[httpx.Response, str]:
    name = f"probe-{secrets.token_hex(6)}.txt"
    headers = {"Origin": origin} if origin else {}
    response = httpx.post(f"{url}gradio_api/upload", files={"files": (name, data)}, headers=headers, timeout=60)
    return response, name


def stored_anywhere(name: str) -> bool:
    from gradio.utils import get_upload_folder

    return any(Path(get_upload_folder()).rglob(name))


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1.evil.example"])
def test_another_site_cannot_store_files(server, origin):
    response, name = upload(server, b"x" * 1000, origin=origin)
    assert response.status_code == 403 and "Cross-site request refused" in response.text
    assert not stored_anywhere(name)


def test_the_page_itself_and_scripts_without_an_origin_can_upload(server):
    same_site = server.rstrip("/")
    for origin in (same_site, None):
        response, name = upload(server, b"x" * 1000, origin=origin)
        assert response.status_code == 200, response.text
        assert eventually(lambda name=name: stored_anywhere(name), timeout=10)


def test_nothing_over_kzqas_limit_is_stored(server):
    response, name = upload(server, b"x" * (MAX_BYTES + 1))
    assert response.status_code == 413
    assert not stored_anywhere(name)
    assert upload(server, b"x" * MAX_BYTES)[0].status_code == 200


def test_stored_uploads_that_no_event_used_are_deleted(server):
    response, _ = upload(server, b"x" * 1000)
    (stored,) = response.json()
    assert eventually(lambda: Path(stored).exists(), timeout=10)
    assert eventually(lambda: not Path(stored).exists(), timeout=60)  # delete_cache=(1, 1) in this server
