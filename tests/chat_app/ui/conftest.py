"""One running kzqa UI for the client and browser tests, over a private copy of the session's index
(uploads in the tests must not touch the shared index)."""

from __future__ import annotations

import shutil

import pytest

from chat_app.ui.service import AssistantService
from tests.support.browser import ARTIFACTS, CHROMIUM
from tests.support.live_app import LiveApp
from tests.support.ports import free_port


@pytest.fixture(scope="package")
def live_app(kzqa_config, embedder, tmp_path_factory):
    from chat_app.ui.app import build_app
    from chat_app.ui.server import launch

    data_dir = tmp_path_factory.mktemp("ui") / "data"
    shutil.copytree(kzqa_config.data_dir, data_dir)
    service = AssistantService.start(kzqa_config.with_overrides(data_dir=data_dir), embedder=embedder)
    assert service.ready, service.startup_error
    app = build_app(service)
    url = launch(app, host="127.0.0.1", port=free_port())
    yield LiveApp(url=url, service=service)
    app.close()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (`make test` installs it)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()
