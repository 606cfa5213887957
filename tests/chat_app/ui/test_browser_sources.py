"""Sources you can open, retrieval details behind a setting, and the page's layout, in Debian's
chromium: a marker's hover preview and click, the article viewer at its quote, the page scrolling
once and centred at 1440×900, and a phone opening at the top with no sideways scroll.

Screenshots go to test-artifacts/ui/sources-*.png and layout-*.png for a person to look at.
"""

from __future__ import annotations

import re

import pytest

from tests.support.browser import (
    ANSWER_TIMEOUT_MS,
    ARTIFACTS,
    ask,
    open_cards,
    open_library,
    open_page,
    show_last_question,
    show_retrieval_details,
)
from tests.support.paths import PAPER

pytestmark = pytest.mark.browser

WHY = "哈萨克斯坦为什么没有支持俄罗斯对乌克兰的战争？"  # several points, so several markers and cards
DEEP = "托卡耶夫如何评价1月的骚乱？"  # its quote sits deep in a long article
DATED = "中国在哈萨克斯坦有哪些利益？"  # answered from dated news articles
REFUSED = "红烧肉怎么做才好吃？"
INTERNALS = ("score", "BM25", "cosine", "refused:", "passages ·")
UPLOADED = "纳乌尔孜节简报.md"
UPLOAD_TEXT = (
    "# 纳乌尔孜节简报\n\n纳乌尔孜节是哈萨克斯坦的传统新年，在每年3月22日前后庆祝。\n\n"
    "2022年的纳乌尔孜节庆祝活动在阿拉木图中央广场举行，主题为“团结与春天”。\n"
)


@pytest.fixture
def desktop(browser, live_app):
    page = open_page(browser, live_app, width=1440, height=900)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser, live_app):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_app.url, wait_until="load")
    page.locator("#kz-examples").wait_for()
    page.evaluate("document.fonts.ready.then(() => true)")  # the layout is final once the fonts are in
    yield page
    context.close()


def replies(page):
    """The chat's answers in their final form (the footer line is in, hidden or not)."""
    return page.locator("#kz-chat .bot .message-content").filter(has=page.locator(".kz-footer"))


def card_of(page, marker):
    return page.locator(marker.get_attribute("href"))


def quote_of(card, marker):
    """The quote a marker cites, highlighted in its card (kz-q-<reply>-<n>)."""
    reply = card.get_attribute("id").split("-")[2]
    number = marker.inner_text().strip("[]")
    return card.locator(f"#kz-q-{reply}-{number}")


def top_of_question_box(page) -> float:
    return page.locator("#kz-question").evaluate("box => box.getBoundingClientRect().top")


def in_view(locator, *, bottom: float) -> bool:
    box = locator.evaluate("el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; }")
    return box[0] >= 0 and box[1] <= bottom


def highlight_settled(page) -> None:
    """Wait until the chosen card's highlight has faded in, for a screenshot of the steady state."""
    page.wait_for_function("() => !document.querySelector('.kz-card.kz-target').getAnimations().length")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# -- sources you can open ---------------------------------------------------------------------
def test_a_marker_click_scrolls_to_its_card_opens_and_highlights_it(browser, live_app):
    page = open_page(browser, live_app, width=1440, height=700)  # a laptop: a long answer outgrows the window
    ask(page, DATED)
    ask(page, DEEP)  # answers above: room to scroll the last one's marker down to the bottom of the window
    ask(page, WHY)
    assert replies(page).count() == 3, page.locator("#kz-chat").inner_text()
    reply = replies(page).nth(2)
    marker = reply.locator(".kz-answer a.kz-marker").first
    card = card_of(page, marker)
    assert card.evaluate("card => !card.open")  # collapsed to one line until asked for
    # The marker just above the question box (which stays at the bottom of the window): its card,
    # further down the answer, is hidden behind the box or below the window.
    marker.evaluate(
        """m => { const box = document.getElementById('kz-question');
            window.scrollBy(0, m.getBoundingClientRect().bottom - (window.innerHeight - box.offsetHeight - 8)); }"""
    )
    bottom = top_of_question_box(page)
    assert in_view(marker, bottom=bottom) and not in_view(card, bottom=bottom)

    marker.click()
    page.wait_for_function(
        f"""() => {{ const card = document.getElementById('{card.get_attribute("id")}');
            const r = card.getBoundingClientRect(); return r.top >= 0 && r.bottom <= {bottom}; }}""",
        timeout=ANSWER_TIMEOUT_MS,
    )
    assert card.evaluate("card => card.open") and "kz-target" in card.get_attribute("class")
    assert card.evaluate("card => getComputedStyle(card).outlineStyle") == "solid"
    assert quote_of(card, marker).is_visible()
    highlight_settled(page)
    page.screenshot(path=ARTIFACTS / "sources-marker-click.png")
    page.context.close()


def test_hovering_a_marker_previews_its_quote_with_source_and_date(desktop):
    page = desktop
    reply = ask(page, DATED)
    markers = reply.locator(".kz-answer a.kz-marker").all()
    dated = [m for m in markers if re.search(r"\d{4}-\d{2}-\d{2}", card_of(page, m).locator(".kz-meta").inner_text())]
    assert dated, "the answer should cite a dated article"
    marker = dated[0]
    card = card_of(page, marker)
    marker.hover()
    tip = page.locator("#kz-tip")
    tip.wait_for()
    quote = quote_of(card, marker).text_content()
    shown = tip.inner_text()
    assert quote.strip() in shown
    assert card.locator(".kz-title").inner_text() in shown and card.locator(".kz-meta").inner_text() in shown
    assert card.evaluate("card => !card.open")  # a preview is not a click
    page.screenshot(path=ARTIFACTS / "sources-hover-preview.png")
    page.mouse.move(5, 5)
    tip.wait_for(state="hidden")


def test_read_in_article_opens_the_cleaned_article_scrolled_to_the_highlighted_quote(desktop, documents):
    page = desktop
    reply = ask(page, DEEP)
    card = reply.locator(".kz-card").first
    card.locator("summary").click()
    quote = card.locator("mark.kz-quote").first.text_content()
    source = card.locator(".kz-file").inner_text()
    card.locator(".kz-read").click()

    viewer = page.locator("#kz-viewer .kz-viewer")
    viewer.wait_for(timeout=ANSWER_TIMEOUT_MS)
    marked = viewer.locator("#kz-viewer-quote")
    assert marked.text_content() == quote
    body = viewer.locator(".kz-viewer-body")
    page.wait_for_function(
        """() => { const body = document.querySelector('#kz-viewer .kz-viewer-body');
            const mark = document.getElementById('kz-viewer-quote');
            const b = body.getBoundingClientRect(), m = mark.getBoundingClientRect();
            return m.top >= b.top && m.bottom <= b.bottom; }"""
    )
    whole = documents[source].document.text  # the article as ingest cleaned it, not just the passage
    assert re.sub(r"\s+", "", viewer.locator(".kz-viewer-text").inner_text()) == re.sub(r"\s+", "", whole)
    if source == PAPER:  # the long paper: its quote is far down, so the viewer had to scroll to it
        assert body.evaluate("body => body.scrollTop") > 0
    assert page.evaluate("getComputedStyle(document.documentElement).overflow") == "hidden"  # the page stays put
    page.screenshot(path=ARTIFACTS / "sources-article-viewer.png")

    page.keyboard.press("Escape")
    viewer.wait_for(state="detached")
    assert page.evaluate("getComputedStyle(document.documentElement).overflow") != "hidden"  # the page scrolls again


def test_read_in_article_works_for_an_uploaded_document(desktop, tmp_path):
    page = desktop
    document = tmp_path / UPLOADED
    document.write_text(UPLOAD_TEXT, encoding="utf-8")
    open_library(page)
    page.locator("#kz-library input[type=file]").set_input_files(document)
    page.locator("#kz-library-status .kz-note-ok").wait_for(timeout=ANSWER_TIMEOUT_MS)
    try:
        reply = ask(page, "2022年纳乌尔孜节庆祝活动的主题是什么？")
        card = reply.locator(".kz-card").filter(has_text=UPLOADED).first
        card.locator("summary").click()
        quote = card.locator("mark.kz-quote").first.text_content()
        card.locator(".kz-read").click()
        viewer = page.locator("#kz-viewer .kz-viewer")
        viewer.wait_for(timeout=ANSWER_TIMEOUT_MS)
        assert viewer.locator("#kz-viewer-quote").text_content() == quote
        assert "团结与春天" in viewer.locator(".kz-viewer-text").inner_text()
        assert viewer.locator(".kz-uploaded").is_visible() and viewer.locator("a").count() == 0
        page.screenshot(path=ARTIFACTS / "sources-article-viewer-upload.png")
        viewer.locator(".kz-viewer-close").click()
        viewer.wait_for(state="detached")
    finally:
        page.locator("#kz-documents").get_by_text(UPLOADED).click()
        page.locator("#kz-library").get_by_text("删除所选 · Remove selected").click()
        page.locator("#kz-library-status").get_by_text("Removed").wait_for(timeout=ANSWER_TIMEOUT_MS)


# -- retrieval details ------------------------------------------------------------------------
def test_retrieval_details_are_off_by_default_and_the_setting_shows_them(desktop):
    page = desktop
    ask(page, DATED)
    ask(page, REFUSED)
    chat = page.locator("#kz-chat")
    answered, refused = replies(page).nth(0), replies(page).nth(1)
    shown = chat.inner_text()
    for internal in INTERNALS:
        assert internal not in shown
    assert "rephrasing the question" in refused.inner_text()  # what to try instead
    page.screenshot(path=ARTIFACTS / "sources-details-off.png")
    page.get_by_text("设置 · Settings").click()
    assert not page.locator("#kz-details-toggle input").is_checked()

    show_retrieval_details(page)
    answered.locator(".kz-passages summary").click()
    shown = chat.inner_text()
    for internal in ("score", "BM25", "cosine", "Why refused:"):
        assert internal in shown
    assert answered.locator(".kz-footer").is_visible() and refused.locator(".kz-reason").is_visible()
    refused.locator(".kz-reason").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "sources-details-on.png")


# -- layout -----------------------------------------------------------------------------------
def test_the_page_scrolls_once_and_is_centred_at_1440(desktop):
    page = desktop
    ask(page, WHY)
    ask(page, DEEP)
    inner_scrolls = page.evaluate(
        """() => [...document.querySelectorAll('#kz-chat, #kz-chat *')].filter(el => {
            const style = getComputedStyle(el);
            return ['auto', 'scroll'].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
        }).map(el => el.className)"""
    )
    assert inner_scrolls == []  # the chat grows with its answers
    assert page.evaluate("document.documentElement.scrollHeight > window.innerHeight")  # the page scrolls
    assert not page.locator("#kz-chat .scroll-down-button-container").is_visible()
    left, right = page.evaluate(
        """() => { const r = document.querySelector('.gradio-container').getBoundingClientRect();
            return [r.left, window.innerWidth - r.right]; }"""
    )
    assert left > 0 and abs(left - right) <= 1, (left, right)
    page.screenshot(path=ARTIFACTS / "layout-desktop-1440.png")
    page.screenshot(path=ARTIFACTS / "layout-desktop-1440-full.png", full_page=True)


def test_a_phone_opens_at_the_top_with_no_sideways_scroll_and_can_open_sources(phone):
    page = phone
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.activeElement.tagName") != "TEXTAREA"  # no keyboard, no jump to the box
    assert no_sideways_scroll(page)
    page.screenshot(path=ARTIFACTS / "layout-phone-top.png")

    reply = ask(page, DEEP)
    marker = reply.locator(".kz-answer a.kz-marker").first
    marker.tap()  # a tap previews …
    page.locator("#kz-tip").wait_for()
    assert no_sideways_scroll(page)
    page.screenshot(path=ARTIFACTS / "layout-phone-tap-preview.png")
    marker.tap()  # … a second tap goes to the card
    card = card_of(page, marker)
    page.wait_for_function(f"() => document.getElementById('{card.get_attribute('id')}').open")
    open_cards(reply)
    assert no_sideways_scroll(page)
    highlight_settled(page)
    page.screenshot(path=ARTIFACTS / "layout-phone-answer.png")

    card.locator(".kz-read").tap()
    viewer = page.locator("#kz-viewer .kz-viewer")
    viewer.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert viewer.locator("#kz-viewer-quote").is_visible() and no_sideways_scroll(page)
    page.screenshot(path=ARTIFACTS / "layout-phone-viewer.png")


def test_an_english_figure_question_opens_with_an_english_line_then_the_chinese_evidence(desktop):
    reply = ask(desktop, "How much did China invest in Kazakhstan between 2005 and 2020?")
    lines = [line for line in reply.locator(".kz-answer").inner_text().splitlines() if line.strip()]
    assert lines[0].isascii() and "19.2 billion" in lines[0] and lines[0].endswith("[1]"), lines
    assert re.search(r"[\u4e00-\u9fff]", " ".join(lines[1:])), lines  # the Chinese quote follows as evidence
    assert reply.locator("a.kz-marker").first.inner_text() == "[1]"  # the English line's marker links to its card
    show_last_question(desktop)
    desktop.screenshot(path=ARTIFACTS / "english-first-line.png")
