"""The answer engine end to end: real model, real index of the five articles, extractive answers."""

import pytest

from chat_app.assistant import QuestionError
from chat_app.evaluation.answer_eval import evaluate_answers
from chat_app.evaluation.testset import load_testset
from tests.chat_app.evaluation.test_testset import DEV_SET
from tests.conftest import PAPER, WSJ


@pytest.fixture(scope="module")
def dev_report(assistant):
    return evaluate_answers(lambda q, h: assistant.chat(q, h), load_testset(DEV_SET))


def test_at_least_fifteen_dev_questions_are_answered_with_their_keywords_from_the_right_files(dev_report):
    good = [r for r in dev_report.results if r.answerable and r.keywords_ok and r.citation_precision == 1.0]
    assert len(good) >= 15
    assert {r.type for r in good} >= {"fact", "table", "multi", "synthesis", "english"}


def test_dev_set_quality_stays_at_the_measured_level(dev_report):
    overall = dev_report.overall
    assert overall.answer_accuracy >= 0.60
    assert overall.citation_precision >= 0.85
    assert overall.refusal_rate >= 0.80
    assert overall.false_refusal_rate <= 0.05


def test_the_border_disagreement_names_both_figures_and_cites_both_articles(assistant):
    answer = assistant.ask("俄罗斯和哈萨克斯坦的边境线到底有多长？")
    assert not answer.refused
    assert "7,644" in answer.text and "6846" in answer.text
    assert {c.source for c in answer.citations} == {WSJ, PAPER}
    assert any(note.startswith("sources disagree") for note in answer.notes)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("托卡耶夫是哪一年出生的？", "资料中没有找到"),
        ("哈萨克斯坦现在的失业率是多少？", "资料中没有找到"),
        ("What's a good recipe for sourdough bread?", "The articles do not contain"),
    ],
)
def test_unanswerable_questions_are_refused_without_citations(assistant, question, lead):
    answer = assistant.ask(question)
    assert answer.refused and answer.text.startswith(lead)
    assert answer.citations == []
    assert any(note.startswith("refused:") for note in answer.notes)


def test_every_citation_quotes_the_exact_span_of_its_article(assistant, documents):
    answer = assistant.ask("集安组织有哪些成员国？")
    assert answer.citations
    for citation in answer.citations:
        assert documents[citation.source].document.text[citation.start : citation.end] == citation.quote
        assert f"[{citation.id}]" in answer.text


def test_a_table_question_is_answered_with_the_table_rows(assistant):
    answer = assistant.ask("从1997-2001年到2017-2021年，俄哈GDP比值从多少降到了多少？")
    assert "14.2:1" in answer.text and "9.2:1" in answer.text
    assert {c.source for c in answer.citations} == {PAPER}


def test_an_english_question_gets_an_english_lead_and_chinese_quotes(assistant):
    answer = assistant.ask("Which countries are members of the CSTO?")
    assert not answer.refused
    assert answer.text.startswith("According to the articles")
    assert "白俄罗斯" in answer.text


def test_stream_yields_previews_then_the_final_answer(assistant):
    pieces = list(assistant.stream("哈萨克斯坦为什么没有支持俄罗斯入侵乌克兰？"))
    final = pieces[-1]
    previews = pieces[:-1]
    assert previews and all(isinstance(p, str) for p in previews)
    assert "".join(previews) == final.text
    assert final.citations


def test_a_follow_up_carries_the_topic_of_the_previous_question(assistant):
    history = [{"role": "user", "content": "集安组织是什么时候成立的？"}, {"role": "assistant", "content": "……"}]
    answer = assistant.chat("现在有几个成员国？", history)
    assert "集安组织" in answer.standalone_question
    assert not answer.refused and answer.citations


@pytest.mark.parametrize("question", ["", "   \n\t "])
def test_an_empty_question_is_a_clear_error(assistant, question):
    with pytest.raises(QuestionError, match="question is empty"):
        assistant.ask(question)


def test_an_overlong_question_is_cut_with_a_note(assistant):
    answer = assistant.ask("俄哈边境线有多长？" + "啊" * 3000)
    assert any("only the first 500 were used" in note for note in answer.notes)


def test_to_dict_has_the_documented_shape(assistant):
    data = assistant.ask("俄哈边境线有多长？").to_dict()
    assert set(data) == {"question", "answer", "refused", "citations", "passages", "generator", "notes", "timings_ms"}
    assert set(data["citations"][0]) == {"id", "source", "title", "quote", "start", "end", "url"}
    assert set(data["passages"][0]) == {"source", "text", "score", "chunk_id"}
    assert data["generator"] == "extractive" and data["timings_ms"]["total"] > 0


def test_the_retrieval_mode_setting_is_used_and_checked(kzqa_config, embedder):
    from chat_app.assistant import Assistant
    from chat_app.config import ConfigError

    bm25_only = Assistant(kzqa_config.with_overrides(retrieval_mode="bm25"), embedder=embedder)
    answer = bm25_only.ask("集安组织有哪些成员国？")
    assert answer.passages and all(p.vector_rank is None and p.bm25_rank for p in answer.passages)
    with pytest.raises(ConfigError, match="retrieval_mode: unknown retrieval mode 'dense'"):
        Assistant(kzqa_config.with_overrides(retrieval_mode="dense"), embedder=embedder)
