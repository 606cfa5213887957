"""How replies look: linked markers, one card per quoted passage, refusals that say what to try,
retrieval details kept apart, escaping."""

from __future__ import annotations

import re

import pytest

from chat_app.ui.answer_html import answer_html, error_html, notice_html, preview_html, question_html
from tests.support.sample_answer import PASSAGE_TEXT, QUOTE, REPLY, answer, citation, passage


def html_of(**changes) -> str:
    return answer_html(answer(**changes), reply_id=REPLY)


def visible(html: str) -> str:
    """The reply without its retrieval-details block (hidden until the setting is on)."""
    return html[: html.index('<div class="kz-retrieval">')]


def html_blocks(html: str) -> list[str]:
    """The one-line HTML blocks (what follows the answer's Markdown)."""
    return [block for block in html.split("\n\n") if block.startswith("<") and not block.startswith("</div>")]


class TestAnswer:
    def test_a_marker_links_to_its_source_card(self):
        html = html_of()
        assert f'<a class="kz-marker" href="#kz-src-{REPLY}-1">[1]</a>' in html
        assert f'<details class="kz-card" id="kz-src-{REPLY}-1">' in html

    def test_a_marker_without_a_citation_stays_a_plain_label(self):
        html = html_of(text=f"{QUOTE}[1][7]")
        assert '<span class="kz-marker">[7]</span>' in html and 'href="#kz-src-0a1b2c3d4e-7"' not in html

    def test_markers_of_one_passage_all_lead_to_its_card(self):
        second = "俄罗斯一直努力维持影响力。"
        start = 100 + PASSAGE_TEXT.index(second)
        cited = [citation(), citation(id=2, quote=second, start=start, end=start + len(second))]
        html = html_of(text=f"{QUOTE}[1]{second}[2]", citations=cited)
        assert f'href="#kz-src-{REPLY}-1">[2]</a>' in html
        assert html.count('<details class="kz-card"') == 1

    def test_the_reply_keeps_the_answer_markdown_between_blank_lines(self):
        assert html_of(text="**要点**[1]").startswith('<div class="kz-answer">\n\n**要点**')

    def test_html_blocks_have_no_blank_lines_for_markdown_to_break(self):
        text = "第一段。\n\n第二段。"
        html = html_of(passages=[passage(text=f"{text}{QUOTE}")], citations=[citation(quote=QUOTE)])
        for block in html_blocks(html):
            assert "\n" not in block

    def test_escapes_html_from_documents(self):
        evil = '<img src=x onerror="alert(1)">'
        html = html_of(text=f"{evil}[1]", citations=[citation(title=evil)], passages=[passage(title=evil)])
        assert "<img" not in html
        assert "&lt;img" in html


class TestRetrievalDetails:
    def test_scores_ranks_and_timings_are_only_in_the_details_block(self):
        html = html_of()
        for internal in ("score 0.0328", "BM25 #2", "cosine 0.875", "1.2 s", "retrieve 120 ms", "extractive ·"):
            assert internal in html and internal not in visible(html)

    def test_the_engine_s_own_notes_are_details_but_disagreement_is_for_everyone(self):
        disagree = "sources disagree: 000_336fa4486c18f44b.txt says 7,644公里, 002_14648caa620776ea.txt says 6846公里"
        html = html_of(notes=[disagree, "corroborated by 002_14648caa620776ea.txt"])
        assert re.search(r"kz-note-disagree.*Sources disagree</span> 000_336fa4486c18f44b.txt says 7,644公里",
                         visible(html))  # fmt: skip
        assert "corroborated by" not in visible(html) and "corroborated by" in html

    def test_an_llm_fallback_is_a_visible_warning(self):
        html = html_of(notes=["LLM unavailable (timeout); showing the extractive answer"])
        assert 'kz-note-warning">LLM unavailable' in visible(html)


class TestRefusal:
    def refusal(self, **changes) -> str:
        fields = {"refused": True, "text": "资料中没有找到关于“天气”的信息。", "citations": [],
                  "notes": ["refused: the articles never mention the year asked about"]}  # fmt: skip
        return html_of(**(fields | changes))

    def test_looks_like_a_refusal_and_has_no_sources(self):
        html = self.refusal()
        assert html.startswith('<div class="kz-refusal">')
        assert "kz-sources" not in html

    def test_says_what_to_try_instead_and_keeps_the_reason_for_the_details(self):
        html = self.refusal()
        for hint in ("rephrasing", "naming the country, person or year", "what the articles cover"):
            assert hint in visible(html)
        assert "never mention" not in visible(html)
        assert "Why refused:</span> the articles never mention the year asked about" in html
        assert "none answers the question" in html  # the retrieved passages, in the details

    def test_a_partial_refusal_links_its_related_quotes_marked_as_not_an_answer(self):
        html = self.refusal(text=f"资料没有直接回答“边境”。相关的内容是：\n{QUOTE}[1]", related=[citation()])
        assert f'<a class="kz-marker" href="#kz-src-{REPLY}-1">[1]</a>' in html
        assert (
            '<div class="kz-sources kz-related"><div class="kz-label">相关内容（并非答案）· Related, not an answer'
            in html
        )


class TestOtherMessages:
    def test_question_is_text_not_html(self):
        assert question_html("  <b>粗体</b>\n问题 ") == '<div class="kz-question">&lt;b&gt;粗体&lt;/b&gt; 问题</div>'

    def test_preview_shows_a_cursor_and_links_nothing_yet(self):
        html = preview_html("正在生成[1]")
        assert "▍" in html and '<span class="kz-marker">[1]</span>' in html and "href" not in html

    def test_error_is_escaped(self):
        assert "&lt;script&gt;" in error_html("<script>")

    def test_a_notice_asks_for_a_question_and_is_escaped(self):
        html = notice_html("'<b>？？？</b>' has no words to search for")
        assert "请提一个问题 · Please ask a question" in html and "&lt;b&gt;" in html and "kz-error" not in html


@pytest.mark.parametrize("url", [None, "javascript:alert(1)", "file:///etc/passwd"])
def test_links_only_web_addresses(url):
    assert "<a " not in html_of(citations=[citation(url=url)], text=QUOTE)
