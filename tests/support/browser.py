"""Driving the chat page in Debian's chromium: open it, ask, wait for the final reply, open its cards."""

from __future__ import annotations

import json
import shutil

from tests.support.paths import ROOT

CHROMIUM = shutil.which("chromium")
ARTIFACTS = ROOT / "test-artifacts" / "ui"
# Waits for an outcome, not speed limits: a loaded 2-core machine (two test workers, an index
# build) can take a minute to add a document; only something broken takes three.
ANSWER_TIMEOUT_MS = 180_000


def open_page(browser, live_app, *, width=1280, height=900):
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()
    page.goto(live_app.url, wait_until="load")  # gradio keeps a connection open: never "networkidle"
    page.locator("#kz-examples").wait_for()
    return page


def open_library(page):
    """Open "Add documents" once the page knows whose uploads they are: the page load that gives the
    session its owner enables the upload button (a busy server shows the page a second or two earlier)."""
    page.get_by_text("添加文档 · Add documents").click()
    page.locator("#kz-upload:enabled").wait_for(timeout=ANSWER_TIMEOUT_MS)


def ask(page, question: str, *, timeout_ms: int = ANSWER_TIMEOUT_MS):
    asked = page.locator("#kz-chat .user-row").count()
    box = page.locator("#kz-question textarea")
    box.fill(question)
    box.press("Enter")
    # Wait for this question to be shown: until then the last reply is the previous answer.
    page.locator("#kz-chat .user-row").nth(asked).wait_for(timeout=timeout_ms)
    return last_reply(page, timeout_ms=timeout_ms)


def last_reply(page, *, timeout_ms: int = ANSWER_TIMEOUT_MS):
    """The newest bot message once its final form is in (its footer: hidden with the retrieval details)."""
    reply = page.locator("#kz-chat .bot .message-content").last
    reply.locator(".kz-footer").wait_for(state="attached", timeout=timeout_ms)
    return reply


def open_cards(reply):
    """Expand every source card of `reply` (they are collapsed to one line)."""
    for card in reply.locator("details.kz-card").all():
        if not card.evaluate("card => card.open"):
            card.locator("summary").click()


def show_retrieval_details(page):
    toggle = page.locator("#kz-details-toggle input")
    if not toggle.is_visible():
        page.get_by_text("设置 · Settings").click()  # the setting lives in a closed accordion
    toggle.check()


def show_last_question(page):
    page.locator("#kz-chat .user-row").last.evaluate("row => row.scrollIntoView({block: 'start'})")


def record_timing(name: str, seconds: float) -> None:
    path = ARTIFACTS / "timings.json"
    timings = json.loads(path.read_text()) if path.exists() else {}
    timings[name] = round(seconds, 2)
    path.write_text(json.dumps(timings, indent=2))
