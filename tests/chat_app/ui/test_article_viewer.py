"""The article viewer's logic, over a fake assistant (the browser tests open real articles): what
the page may ask for, what it gets, and that the quote is marked at its offsets."""

from __future__ import annotations

import gradio as gr
import pytest

from chat_app.answer import Citation
from chat_app.config import KzqaConfig
from chat_app.ui.article_viewer import (
    GONE_FROM_CHAT,
    GONE_FROM_INDEX,
    MAX_SHOWN,
    QUOTE_ID,
    ArticleViewer,
    ViewerRequest,
    article_html,
    viewer_request,
)
from chat_app.ui.conversation import Turn
from chat_app.ui.service import AssistantService
from tests.support.fake_assistant import ARTICLE, SOURCE, FakeAssistant
from tests.support.paths import CORPUS_DIR

REPLY = "0a1b2c3d4e"
QUOTE = "边境线长达7,644公里。"
START = ARTICLE.index(QUOTE)


def citation(**changes) -> Citation:
    fields = {"id": 1, "source": SOURCE, "title": "普丁意想不到的挑战", "quote": QUOTE, "start": START,
              "end": START + len(QUOTE), "url": "https://cn.wsj.com/articles/x", "publisher": "WSJ/Initium"}  # fmt: skip
    return Citation(**(fields | changes))


@pytest.fixture
def viewer(tmp_path):
    config = KzqaConfig(corpus_dir=CORPUS_DIR, data_dir=tmp_path)
    return ArticleViewer(AssistantService(config, FakeAssistant(), None))


def opened(viewer, turns, data) -> str:
    return viewer.open(turns, None, gr.EventData(None, data))


class TestRequest:
    def test_names_a_reply_and_a_citation_number(self):
        assert viewer_request({"reply": REPLY, "cite": 3}) == ViewerRequest(REPLY, 3)

    @pytest.mark.parametrize(
        "data",
        [None, "x", {}, {"reply": REPLY}, {"reply": "../../etc", "cite": 1}, {"reply": REPLY, "cite": "1; drop"},
         {"reply": REPLY, "cite": True}, {"reply": REPLY.upper(), "cite": 1}, {"reply": 5, "cite": 1}],
    )  # fmt: skip
    def test_anything_else_is_ignored(self, data):
        assert viewer_request(data) is None


class TestOpen:
    def test_shows_the_whole_article_with_the_quote_marked(self, viewer):
        turns = [Turn("q", "<div/>", "a", reply_id=REPLY, citations=(citation(),))]
        html = opened(viewer, turns, {"reply": REPLY, "cite": 1})
        assert f'开头的一段。\n\n<mark id="{QUOTE_ID}" class="kz-viewer-quote">{QUOTE}</mark>后面的内容。' in html
        assert "《普丁意想不到的挑战》" in html and 'href="https://cn.wsj.com/articles/x"' in html

    def test_only_citations_this_session_was_shown_can_be_opened(self, viewer):
        other_session = [Turn("q", "<div/>", "a", reply_id="ffffffffff", citations=(citation(),))]
        assert GONE_FROM_CHAT in opened(viewer, other_session, {"reply": REPLY, "cite": 1})

    def test_a_malformed_request_closes_the_viewer(self, viewer):
        assert opened(viewer, [], {"reply": "<script>", "cite": 1}) == ""

    def test_a_document_no_longer_indexed_is_said_to_be_gone(self, viewer):
        removed = citation(source="removed.md")
        turns = [Turn("q", "<div/>", "a", reply_id=REPLY, citations=(removed,), uploaded=frozenset({"removed.md"}))]
        assert GONE_FROM_INDEX in opened(viewer, turns, {"reply": REPLY, "cite": 1})


class TestArticleHtml:
    def test_a_quote_whose_offsets_moved_is_found_by_its_text(self):
        html = article_html(citation(start=0, end=3), ARTICLE, uploaded=False, others=[])
        assert f'<mark id="{QUOTE_ID}" class="kz-viewer-quote">{QUOTE}</mark>' in html

    def test_a_quote_no_longer_there_is_said_to_be_missing(self):
        html = article_html(citation(quote="不在文中。"), ARTICLE, uploaded=False, others=[])
        assert QUOTE_ID not in html and "no longer in this version" in html

    def test_the_answer_s_other_quotes_from_the_article_are_marked_lighter(self):
        other = citation(id=2, quote="后面的内容。", start=ARTICLE.index("后面"), end=len(ARTICLE))
        html = article_html(citation(), ARTICLE, uploaded=False, others=[other])
        assert '<mark class="kz-viewer-other">后面的内容。</mark>' in html

    def test_a_very_long_document_is_shown_around_its_quote(self):
        long = "前" * MAX_SHOWN + ARTICLE + "后" * MAX_SHOWN
        start = long.index(QUOTE)
        html = article_html(citation(start=start, end=start + len(QUOTE)), long, uploaded=False, others=[])
        assert f'<mark id="{QUOTE_ID}" class="kz-viewer-quote">{QUOTE}</mark>' in html
        assert html.count("前") + html.count("后") < MAX_SHOWN and "around the quote" in html

    def test_an_upload_is_marked_and_never_linked(self):
        html = article_html(citation(url="https://evil.example/"), ARTICLE, uploaded=True, others=[])
        assert "上传 · uploaded" in html and "evil.example" not in html

    def test_escapes_the_text_and_what_is_said_about_it(self):
        evil = '<img src=x onerror="alert(1)">'
        html = article_html(citation(title=evil, quote=evil, start=0, end=len(evil)), evil + ARTICLE,
                            uploaded=False, others=[])  # fmt: skip
        assert "<img" not in html and "&lt;img" in html
