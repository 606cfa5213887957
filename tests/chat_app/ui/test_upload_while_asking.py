"""A question from another session is answered while a document is still being added: the upload
(a real browser tab) is held inside its embedding step until the question (gradio_client) has its
answer. Were questions queued behind uploads, the question would never come back and the test
fails on its timeout. How fast the answer comes is measured in benchmarks/upload_concurrency.py."""

from __future__ import annotations

import os
import threading

import pytest

from tests.support.browser import ANSWER_TIMEOUT_MS, CHROMIUM, ask, open_library, open_page
from tests.support.live_app import forget_private_documents
from tests.support.live_app import message_text as text
from tests.support.paths import WSJ
from tests.support.polling import eventually

pytestmark = pytest.mark.browser
os.environ["HF_HUB_OFFLINE"] = "1"
DOCUMENT = "里海管道简报.md"
DOCUMENT_TEXT = (
    "# 里海管道联盟简报\n\n2022年夏天，里海管道联盟的输油量因为码头维修一度下降。"
    "哈萨克斯坦能源部表示，维修工作在八月底完成，出口随后恢复正常。\n"
)
QUESTION_TIMEOUT_S = 180  # far longer than an answer takes; only a question queued behind the upload reaches it


@pytest.fixture
def embedding_held(monkeypatch):
    """Document embedding waits at its first batch until `release` is set (question embedding is untouched)."""
    from index.embedder import Embedder

    started, release = threading.Event(), threading.Event()
    embed = Embedder.embed_passages

    def held(self, texts):
        started.set()
        assert release.wait(QUESTION_TIMEOUT_S + 60), "the test never released the upload"
        return embed(self, texts)

    monkeypatch.setattr(Embedder, "embed_passages", held)
    yield started, release
    release.set()


def test_a_question_is_answered_while_a_document_is_being_embedded(live_app, embedding_held, embedder, tmp_path):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (`make test` installs it)")
    from gradio_client import Client
    from playwright.sync_api import sync_playwright

    started, release = embedding_held
    document = tmp_path / DOCUMENT
    document.write_text(DOCUMENT_TEXT, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = open_page(browser, live_app)
            open_library(page)
            page.locator("#kz-library input[type=file]").set_input_files(document)
            assert started.wait(120), "the upload never reached its embedding step"

            job = Client(live_app.url, verbose=False).submit("俄哈边境线有多长？", 5, "extractive", api_name="/ask")
            try:
                messages, _ = job.result(timeout=QUESTION_TIMEOUT_S)
            finally:
                upload_done_before_answer = page.locator("#kz-library-status .kz-note-ok").count() > 0
                release.set()
            assert not upload_done_before_answer  # the answer came while the document was still being added
            reply = text(messages[-1])
            assert WSJ in reply and "kz-sources" in reply

            page.locator("#kz-library-status .kz-note-ok").wait_for(timeout=ANSWER_TIMEOUT_MS)
            reply = ask(page, "里海管道联盟的输油量为什么下降？")  # the document is this browser's own
            assert reply.locator(".kz-sources .kz-file").get_by_text(DOCUMENT).count() > 0  # the new build is in
        finally:
            browser.close()
            forget_private_documents(live_app, embedder)


def test_the_uploaded_copy_in_gradios_cache_is_deleted_once_added(live_app, embedder, tmp_path):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (`make test` installs it)")
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    document = tmp_path / "缓存检查.md"
    document.write_text(DOCUMENT_TEXT.replace("里海管道", "缓存检查"), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = open_page(browser, live_app)
            open_library(page)
            with page.expect_response(lambda r: "/gradio_api/upload" in r.url and r.request.method == "POST") as sent:
                page.locator("#kz-library input[type=file]").set_input_files(document)
            (cached,) = sent.value.json()
            # Waits on what the server does, not on the page's note (a shared server's page may be showing
            # another test's note). The bounds only end a wait on a busy machine.
            stored = live_app.service.config.private_documents_dir
            assert eventually(lambda: any(stored.glob(f"*/{document.name}")), timeout=ANSWER_TIMEOUT_MS / 1000)
            assert eventually(lambda: not Path(cached).exists(), timeout=ANSWER_TIMEOUT_MS / 1000)
        finally:
            browser.close()
            forget_private_documents(live_app, embedder)
