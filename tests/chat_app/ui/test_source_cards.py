"""Source cards: one per quoted passage (never two showing the same text), the quotes highlighted
with some context, collapsed to one line, uploads marked and never linked."""

from __future__ import annotations

import pytest

from chat_app.ui.source_cards import cards_html, source_cards
from tests.support.sample_answer import PASSAGE_TEXT, QUOTE, REPLY, citation, passage

SECOND = "俄罗斯一直努力维持影响力。"


def second(**changes):
    start = 100 + PASSAGE_TEXT.index(SECOND)
    return citation(**({"id": 2, "quote": SECOND, "start": start, "end": start + len(SECOND)} | changes))


def html_of(citations, passages, *, uploaded=frozenset()) -> str:
    cards = source_cards(citations, passages)
    return cards_html(cards, reply_id=REPLY, uploaded=uploaded, label="来源 · Sources", css="kz-sources")


class TestGrouping:
    def test_two_quotes_from_one_passage_share_one_card_with_both_highlighted(self):
        cards = source_cards([citation(), second()], [passage()])
        assert len(cards) == 1 and cards[0].ids == (1, 2)
        html = html_of([citation(), second()], [passage()])
        assert f'<mark class="kz-quote" id="kz-q-{REPLY}-2">{SECOND}</mark>' in html
        assert f'<mark class="kz-quote" id="kz-q-{REPLY}-1">{QUOTE}</mark>' in html

    def test_the_same_quote_cited_twice_is_one_highlight(self):
        cards = source_cards([citation(), citation(id=3)], [passage()])
        assert len(cards) == 1 and [quote.ids for quote in cards[0].quotes] == [(1, 3)]

    def test_quotes_from_different_passages_get_their_own_cards_in_citation_order(self):
        other = passage(chunk_id="c2", source="002_14648caa620776ea.txt", start=0, end=len(PASSAGE_TEXT))
        cited = [citation(id=2, source=other.source, chunk_id="c2", start=PASSAGE_TEXT.index(QUOTE)), citation()]
        cards = source_cards(cited, [passage(), other])
        assert [card.ids for card in cards] == [(1,), (2,)]

    def test_no_two_cards_show_the_same_text(self):
        cited = [citation(), second(), citation(id=3), second(id=4)]
        cards = source_cards(cited, [passage()])
        assert len({card.text for card in cards}) == len(cards) == 1

    def test_a_quote_whose_passage_is_missing_is_shown_alone(self):
        html = html_of([citation()], [])
        assert f'<div class="kz-passage"><mark class="kz-quote" id="kz-q-{REPLY}-1">{QUOTE}</mark></div>' in html

    def test_the_quote_is_found_when_offsets_disagree(self):
        html = html_of([citation(start=0, end=5)], [passage()])
        assert f'影响力。<mark class="kz-quote" id="kz-q-{REPLY}-1">{QUOTE}</mark>此后的内容。' in html


class TestContext:
    @staticmethod
    def excerpt(before: str, after: str) -> str:
        text = before + QUOTE + after
        html = html_of([citation(start=100 + len(before))], [passage(text=text)])
        return html[html.index('<div class="kz-passage">') : html.index('<div class="kz-card-actions">')]

    def test_long_context_is_trimmed(self):
        excerpt = self.excerpt("前" * 500, "后" * 500)
        assert "…" + "前" * 90 + "<mark" in excerpt and "</mark>" + "后" * 90 + "…" in excerpt

    def test_context_is_cut_at_sentence_boundaries_when_it_can_be(self):
        excerpt = self.excerpt("甲" * 100 + "。乙乙乙。", "丙丙丙。" + "丁" * 100)
        assert excerpt.startswith('<div class="kz-passage">…乙乙乙。<mark') and "</mark>丙丙丙。…</div>" in excerpt

    def test_context_never_shrinks_to_a_bare_ellipsis(self):
        excerpt = self.excerpt("甲" * 100 + "。\n\n", "\n\n" + "丁" * 100)
        assert "甲甲。<br><mark" in excerpt and "</mark><br>丁丁" in excerpt


class TestCard:
    def test_collapsed_to_one_line_naming_markers_title_publisher_date_and_the_quote(self):
        html = html_of([citation()], [passage()])
        head = html[html.index("<summary") : html.index("</summary>")]
        for expected in (
            "[1]",
            "《普丁意想不到的挑战》",
            "WSJ/Initium · 2022-01-07",
            f'<span class="kz-snippet">{QUOTE}',
        ):
            assert expected in head
        assert f'<details class="kz-card" id="kz-src-{REPLY}-1"><summary' in html  # closed: no `open`

    def test_opened_it_offers_the_article_the_file_and_the_web_page(self):
        html = html_of([citation()], [passage()])
        actions = html[html.index('<div class="kz-card-actions">') :]
        assert '<button type="button" class="kz-read">阅读原文 · Read in article</button>' in actions
        assert "000_336fa4486c18f44b.txt" in actions and 'href="https://cn.wsj.com/articles/x"' in actions

    @pytest.mark.parametrize("url", [None, "javascript:alert(1)", "file:///etc/passwd"])
    def test_links_only_web_addresses(self, url):
        assert "<a " not in html_of([citation(url=url)], [passage()])

    def test_an_uploaded_source_is_marked_and_never_linked(self):
        upload = "forum.html"
        spoof = citation(source=upload, title="普丁意想不到的挑战", url="https://evil.example/")  # a copied title
        html = html_of([spoof], [passage(source=upload)], uploaded=frozenset({upload}))
        head = html[html.index("<summary") : html.index("</summary>")]
        assert 'class="kz-uploaded"' in head and "上传 · uploaded" in head
        assert "evil.example" not in html and "<a " not in html

    def test_a_corpus_source_has_no_uploaded_mark(self):
        assert "kz-uploaded" not in html_of([citation()], [passage()])

    def test_escapes_titles_quotes_and_file_names(self):
        evil = '<img src=x onerror="alert(1)">'
        html = html_of([citation(title=evil, source=evil, quote=evil)], [])
        assert "<img" not in html and html.count("&lt;img") == 4  # title, file, quote and its snippet
