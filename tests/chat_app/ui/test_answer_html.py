"""How replies look: markers, sources with highlighted quotes, refusals, notes, escaping."""

from __future__ import annotations

import re

import pytest

from chat_app.answer import Answer, Citation
from chat_app.ui.answer_html import answer_html, error_html, notice_html, preview_html, question_html
from index.passage import Passage

PASSAGE_TEXT = (
    "解体以来的几十年里，俄罗斯一直努力维持影响力。俄哈两国边境线长达7,644公里，是世界第二长边境线。此后的内容。"
)
QUOTE = "俄哈两国边境线长达7,644公里，是世界第二长边境线。"


def passage(**changes) -> Passage:
    fields = {"chunk_id": "c1", "source": "000_336fa4486c18f44b.txt", "title": "普丁意想不到的挑战", "section": "",
              "text": PASSAGE_TEXT, "start": 100, "end": 100 + len(PASSAGE_TEXT), "score": 0.0328,
              "vector_rank": 1, "bm25_rank": 2, "vector_similarity": 0.875}  # fmt: skip
    return Passage(**(fields | changes))


def citation(**changes) -> Citation:
    start = 100 + PASSAGE_TEXT.index(QUOTE)
    fields = {"id": 1, "source": "000_336fa4486c18f44b.txt", "title": "普丁意想不到的挑战", "quote": QUOTE,
              "start": start, "end": start + len(QUOTE), "url": "https://cn.wsj.com/articles/x",
              "published": "2022-01-07", "publisher": "WSJ/Initium", "chunk_id": "c1"}  # fmt: skip
    return Citation(**(fields | changes))


def answer(**changes) -> Answer:
    fields = {"question": "俄哈边境线有多长？", "text": f"{QUOTE}[1]", "refused": False, "citations": [citation()],
              "passages": [passage()], "timings_ms": {"total": 1234.0}}  # fmt: skip
    return Answer(**(fields | changes))


def html_blocks(html: str) -> list[str]:
    """The one-line HTML blocks (what follows the answer's Markdown)."""
    return [block for block in html.split("\n\n") if block.startswith("<") and not block.startswith("</div>")]


class TestAnswer:
    def test_marks_citation_markers(self):
        assert '<span class="kz-marker">[1]</span>' in answer_html(answer())

    def test_sources_name_file_title_publisher_date_and_link(self):
        html = answer_html(answer())
        sources = html[html.index("kz-sources") :]
        for expected in ("000_336fa4486c18f44b.txt", "《普丁意想不到的挑战》", "WSJ/Initium", "2022-01-07",
                         'href="https://cn.wsj.com/articles/x"'):  # fmt: skip
            assert expected in sources

    def test_highlights_the_quote_inside_its_passage(self):
        html = answer_html(answer())
        assert f'俄罗斯一直努力维持影响力。<mark class="kz-quote">{QUOTE}</mark>此后的内容。' in html

    def test_finds_the_quote_when_offsets_disagree(self):
        html = answer_html(answer(citations=[citation(start=0, end=5)]))
        assert f'<mark class="kz-quote">{QUOTE}</mark>' in html

    def test_shows_the_quote_alone_when_its_passage_is_missing(self):
        html = answer_html(answer(passages=[]))
        assert f'<div class="kz-passage"><mark class="kz-quote">{QUOTE}</mark></div>' in html

    def test_trims_long_context_around_the_quote(self):
        long_text = "前" * 500 + QUOTE + "后" * 500
        html = answer_html(answer(passages=[passage(text=long_text)], citations=[citation(start=100 + 500)]))
        assert "…" + "前" * 90 + "<mark" in html
        assert "</mark>" + "后" * 90 + "…" in html

    def test_context_is_cut_at_sentence_boundaries_when_it_can_be(self):
        before, after = "甲" * 100 + "。乙乙乙。", "丙丙丙。" + "丁" * 100
        html = answer_html(
            answer(passages=[passage(text=before + QUOTE + after)], citations=[citation(start=100 + len(before))])
        )
        assert f'<div class="kz-passage">…乙乙乙。<mark class="kz-quote">{QUOTE}</mark>丙丙丙。…</div>' in html

    def test_context_never_shrinks_to_a_bare_ellipsis(self):
        before, after = "甲" * 100 + "。\n\n", "\n\n" + "丁" * 100
        html = answer_html(
            answer(passages=[passage(text=before + QUOTE + after)], citations=[citation(start=100 + len(before))])
        )
        assert "甲甲。<br><mark" in html and "</mark><br>丁丁" in html

    @pytest.mark.parametrize("url", [None, "javascript:alert(1)", "file:///etc/passwd"])
    def test_links_only_web_addresses(self, url):
        assert "<a " not in answer_html(answer(citations=[citation(url=url)]))

    def test_an_uploaded_source_is_marked_and_never_linked(self):
        upload = "forum.html"
        spoof = citation(source=upload, title="普丁意想不到的挑战", url="https://evil.example/")  # a copied title
        html = answer_html(answer(citations=[spoof], passages=[passage(source=upload)], uploaded_sources={upload}))
        sources = html[html.index("kz-sources") : html.index("<details")]
        assert 'class="kz-uploaded"' in sources and "上传 · uploaded" in sources
        assert "evil.example" not in html and "<a " not in html
        passages = html[html.index("<details") :]
        assert f'<code class="kz-file">{upload}</code> <span class="kz-uploaded"' in passages

    def test_a_corpus_source_has_no_uploaded_mark(self):
        assert "kz-uploaded" not in answer_html(answer())

    def test_lists_retrieved_passages_with_scores_collapsed(self):
        html = answer_html(answer())
        details = html[html.index("<details") :]
        assert '<details class="kz-passages">' in html  # closed until asked for
        assert "score 0.0328 · vector #1 · BM25 #2 · cosine 0.875" in details

    def test_html_blocks_have_no_blank_lines_for_markdown_to_break(self):
        text = "第一段。\n\n第二段。"
        html = answer_html(answer(passages=[passage(text=f"{text}{QUOTE}")], citations=[citation(quote=QUOTE)]))
        for block in html_blocks(html):
            assert "\n" not in block

    def test_escapes_html_from_documents(self):
        evil = '<img src=x onerror="alert(1)">'
        html = answer_html(answer(text=f"{evil}[1]", citations=[citation(title=evil)], passages=[passage(title=evil)]))
        assert "<img" not in html
        assert "&lt;img" in html


class TestRefusal:
    def test_looks_like_a_refusal_and_has_no_sources(self):
        html = answer_html(answer(refused=True, text="资料中没有找到相关信息。", citations=[]))
        assert html.startswith('<div class="kz-refusal">')
        assert "kz-sources" not in html
        assert "none answers the question" in html


class TestNotes:
    def test_disagreement_stands_out(self):
        note = "sources disagree: 000_336fa4486c18f44b.txt says 7,644公里, 002_14648caa620776ea.txt says 6846公里"
        html = answer_html(answer(notes=[note]))
        assert re.search(r"kz-note-disagree.*Sources disagree</span> 000_336fa4486c18f44b.txt says 7,644公里", html)

    def test_llm_fallback_is_a_warning(self):
        html = answer_html(answer(notes=["LLM unavailable (timeout); showing the extractive answer"]))
        assert 'kz-note-warning">LLM unavailable' in html


class TestOtherMessages:
    def test_question_is_text_not_html(self):
        assert question_html("  <b>粗体</b>\n问题 ") == '<div class="kz-question">&lt;b&gt;粗体&lt;/b&gt; 问题</div>'

    def test_preview_shows_a_cursor(self):
        assert "▍" in preview_html("正在生成[1]")

    def test_error_is_escaped(self):
        assert "&lt;script&gt;" in error_html("<script>")


def test_a_notice_asks_for_a_question_and_is_escaped():
    html = notice_html("'<b>？？？</b>' has no words to search for")
    assert "请提一个问题 · Please ask a question" in html and "&lt;b&gt;" in html and "kz-error" not in html
