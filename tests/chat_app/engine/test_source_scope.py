"""SourceScope: outlets a question names, read from resources/publishers.toml, become where to look.
The restriction tests use deterministic pools built by tests.support.fake_evidence; the end-to-end
ones ask the real Assistant over the five articles."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chat_app.engine.source_scope import SourceScope
from tests.support.fake_evidence import evidence_of

HELD = ("WSJ/Initium", "BBC", "VOA", "马燕宁", None)


@pytest.fixture(scope="module")
def scope():
    return SourceScope(HELD)


@pytest.mark.parametrize(
    ("question", "sources", "rest"),
    [
        ("According to the Wall Street Journal piece, how long is the border?", ("WSJ",),
         "According to piece, how long is the border?"),
        ("BBC's take: why did kaz stay neutral", ("BBC",), "take: why did kaz stay neutral"),
        ("how do the WSJ and VOA describe the division of labour", ("WSJ", "VOA"),
         "how do and describe the division of labour"),
        ("《华尔街日报》说俄哈边境有多长？", ("WSJ",), "说俄哈边境有多长？"),
        ("美国之音那篇怎么看中俄分工", ("VOA",), "那篇怎么看中俄分工"),
        ("俄哈边境有多长？", (), "俄哈边境有多长？"),
        ("what did the voa say", ("VOA",), "what did say"),
        ("a voice over the bbcx feed", (), "a voice over the bbcx feed"),  # names only as whole words
        ("《华尔街日报》？", (), "《华尔街日报》？"),  # the name alone is what is asked about
        ("BBC", (), "BBC"),
    ],
)  # fmt: skip
def test_outlets_named_are_read_and_taken_out_of_the_question(scope, question, sources, rest):
    read = scope.read(question)
    assert read.sources == sources
    assert read.text == rest


def test_an_outlet_no_indexed_passage_comes_from_stays_part_of_the_question(scope):
    read = scope.read("纽约时报怎么报道哈萨克斯坦骚乱？")
    assert read.sources == () and read.text == "纽约时报怎么报道哈萨克斯坦骚乱？"


def _fake_pool_of_three_outlets():
    evidence = evidence_of([("甲。", "a.txt", 0.9), ("乙。", "b.txt", 0.8), ("丙。", "c.txt", 0.7)])
    pool = evidence.pool
    publishers = {"chunk-0": "WSJ/Initium", "chunk-1": "BBC", "chunk-2": None}
    return replace(pool, passages={k: replace(p, publisher=publishers[k]) for k, p in pool.passages.items()})


def test_restricting_a_fake_pool_keeps_the_named_outlets_sentences_only():
    pool = _fake_pool_of_three_outlets()
    assert [c.text for c in SourceScope.restrict(pool, ("Initium",)).candidates] == ["甲。"]
    assert [c.text for c in SourceScope.restrict(pool, ("WSJ", "BBC")).candidates] == ["甲。", "乙。"]
    assert SourceScope.restrict(pool, ()) == pool


def test_restricting_a_fake_pool_to_an_outlet_it_lacks_keeps_the_whole_pool():
    pool = _fake_pool_of_three_outlets()
    assert SourceScope.restrict(pool, ("VOA",)) == pool


def test_a_question_naming_an_outlet_is_answered_from_its_articles_only(assistant):
    answer = assistant.ask("华尔街日报那篇文章说俄罗斯和哈萨克斯坦的边境线有多长？")
    assert not answer.refused and answer.citations
    wsj = {p.source for p in answer.passages if p.publisher and "WSJ" in p.publisher}
    assert {c.source for c in answer.citations} <= wsj
    assert "本文原刊于" not in answer.text  # the byline naming the paper is not the answer


def test_a_question_naming_two_outlets_reads_both(assistant):
    answer = assistant.ask("BBC和美国之音怎么看中俄在中亚的分工？")
    named = {p.source for p in answer.passages if p.publisher in ("BBC", "VOA")}
    assert answer.citations and {c.source for c in answer.citations} <= named
