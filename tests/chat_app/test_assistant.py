"""The Python API end to end: real model, real index of the five articles, extractive answers."""

import threading

import pytest

from chat_app.assistant import QuestionError
from tests.support.paths import PAPER, WSJ


def test_the_border_disagreement_names_both_figures_and_cites_both_articles(assistant):
    answer = assistant.ask("俄罗斯和哈萨克斯坦的边境线到底有多长？")
    assert not answer.refused
    assert "7,644" in answer.text and "6846" in answer.text
    assert {c.source for c in answer.citations} == {WSJ, PAPER}
    assert any(note.startswith("sources disagree") for note in answer.notes)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("红烧肉怎么做才好吃？", "资料中没有找到"),
        ("推荐几部好看的科幻电影吧", "资料中没有找到"),
        ("How do I bake sourdough?", "The articles do not contain"),
    ],
)
def test_a_question_about_nothing_in_the_articles_is_refused_without_citations(assistant, question, lead):
    answer = assistant.ask(question)
    assert answer.refused and answer.text.startswith(lead)
    assert answer.citations == [] and answer.related == []
    assert any(note.startswith("refused:") for note in answer.notes)


def test_every_citation_quotes_the_exact_span_of_its_article(assistant, documents):
    answer = assistant.ask("集安组织有哪些成员国？")
    assert answer.citations
    for citation in answer.citations:
        assert documents[citation.source].document.text[citation.start : citation.end] == citation.quote
        assert f"[{citation.id}]" in answer.text
    cited = {c.chunk_id for c in answer.citations}
    assert cited <= {p.chunk_id for p in answer.passages}


def test_an_english_question_gets_an_english_lead_and_chinese_quotes(assistant):
    answer = assistant.ask("Which countries are members of the CSTO?")
    assert not answer.refused
    assert answer.text.startswith("The articles are in Chinese")


def test_an_english_figure_question_states_the_figure_in_english_first(assistant):
    answer = assistant.ask("How much did China invest in Kazakhstan between 2005 and 2020?")
    first = answer.text.split("\n")[0]
    assert not answer.refused and first.isascii()
    assert "19.2 billion" in first and first.endswith("[1]"), answer.text


def test_ask_chat_and_stream_run_the_same_pipeline(assistant):
    question = "哈萨克斯坦为什么没有支持俄罗斯入侵乌克兰？"
    pieces = list(assistant.stream(question))
    final, previews = pieces[-1], pieces[:-1]
    assert previews and all(isinstance(p, str) for p in previews)
    assert "".join(previews) == final.text == assistant.ask(question).text == assistant.chat(question, []).text
    assert final.citations


def test_a_follow_up_carries_the_topic_of_the_previous_question(assistant):
    history = [{"role": "user", "content": "集安组织是什么时候成立的？"}, {"role": "assistant", "content": "……"}]
    answer = assistant.chat("现在有几个成员国？", history)
    assert "集安组织" in answer.standalone_question
    assert not answer.refused and answer.citations


def test_a_history_of_earlier_questions_as_strings_is_read_like_messages(assistant):
    as_messages = assistant.chat("那俄罗斯呢？", [{"role": "user", "content": "中国在哈萨克斯坦投资了多少钱？"}])
    as_strings = assistant.chat("那俄罗斯呢？", ["中国在哈萨克斯坦投资了多少钱？"])
    assert "投资" in as_strings.standalone_question and "俄罗斯" in as_strings.standalone_question
    assert as_strings.text == as_messages.text


def test_he_after_a_who_question_is_the_person_its_answer_names(assistant):
    """Only the answer to "who is the president" names him: the follow-up is read about that person."""
    answer = assistant.chat("他在哪上的大学？", ["哈萨克斯坦现在的总统是谁？"])
    assert "托卡耶夫" in answer.standalone_question and "他" not in answer.standalone_question
    assert answer.question == "他在哪上的大学？"  # the user's own words are kept
    assert not answer.refused and answer.citations


def test_he_after_asking_who_someone_named_is_stays_that_person_through_the_conversation(assistant):
    """The question "马西莫夫是谁？" names him; its answer names others (前总统纳扎尔巴耶夫, 总理马明), who are not "he"."""
    answer = assistant.chat("他是因为什么罪名被抓的？", ["马西莫夫是谁？", "他当过什么职务？"])
    assert answer.standalone_question.startswith("马西莫夫是因为什么罪名被抓的")
    assert not answer.refused and "叛国罪" in answer.text


def test_he_after_a_question_that_is_not_who_is_left_to_the_earlier_question(assistant):
    answer = assistant.chat("他给的理由是什么？", ["托卡耶夫为什么不承认顿涅茨克？"])
    assert (
        answer.standalone_question.startswith("托卡耶夫为什么不承认顿涅茨克")
        and "他给的理由" in answer.standalone_question
    )


def test_a_complete_question_in_a_conversation_is_not_glued_to_the_previous_one(assistant):
    history = [{"role": "user", "content": "哈萨克斯坦的首都现在叫什么名字？"}]
    answer = assistant.chat("今天天气怎么样？", history)
    assert answer.standalone_question == "今天天气怎么样？"


def test_a_question_in_traditional_characters_is_answered_as_its_simplified_form(assistant):
    traditional = assistant.ask("俄羅斯和哈薩克斯坦的邊境線有多長？")
    simplified = assistant.ask("俄罗斯和哈萨克斯坦的边境线有多长？")
    assert traditional.question == "俄羅斯和哈薩克斯坦的邊境線有多長？"  # the user's own words are kept
    assert traditional.text == simplified.text and not traditional.refused
    assert "read in simplified characters: 俄罗斯和哈萨克斯坦的边境线有多长？" in traditional.notes
    assert not any("simplified" in note for note in simplified.notes)


def test_spaces_between_chinese_words_do_not_change_the_answer(assistant):
    spaced = assistant.ask("俄 哈 边 境 线 有 多 长")
    assert spaced.text == assistant.ask("俄哈边境线有多长").text and spaced.citations


def test_a_follow_up_in_traditional_characters_leans_on_its_history(assistant):
    answer = assistant.chat("現在有幾個成員國？", [{"role": "user", "content": "集安組織是什麼時候成立的？"}])
    assert "集安组织" in answer.standalone_question and not answer.refused


def test_concurrent_questions_get_the_answers_they_get_alone(assistant):
    """No per-request state on shared objects: eight threads, two questions, the same answers."""
    questions = ["俄罗斯派了多少兵去哈萨克斯坦？", "集安组织有哪些成员国？"]
    alone = {q: assistant.ask(q).text for q in questions}
    seen: list[tuple[str, str]] = []

    def ask(question):
        seen.append((question, assistant.ask(question).text))

    threads = [threading.Thread(target=ask, args=(questions[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and all(text == alone[question] for question, text in seen)


@pytest.mark.parametrize("question", ["", "   \n\t "])
def test_an_empty_question_is_a_clear_error(assistant, question):
    with pytest.raises(QuestionError, match="question is empty"):
        assistant.ask(question)


@pytest.mark.parametrize("question", ["？？？！！！。。。", "?!", "……"])
def test_a_question_of_punctuation_alone_asks_for_a_question_instead_of_quoting(assistant, question):
    with pytest.raises(QuestionError, match="has no words to search for, only punctuation or symbols: please ask"):
        assistant.ask(question)


def test_a_history_of_megabyte_messages_is_bounded_before_the_engine_reads_it(assistant):
    history = [{"role": r, "content": "集安组织" + "长" * 1_000_000} for r in ("user", "assistant")] * 50
    answer = assistant.chat("现在有几个成员国？", history)
    assert len(answer.standalone_question) < 2_000  # the follow-up took the topic from a 500-character turn


@pytest.mark.parametrize("k", [-1, 0, 2.5, "3", True, 51])
def test_a_passage_count_that_is_not_a_whole_number_from_1_to_50_is_a_clear_error(assistant, k):
    with pytest.raises(QuestionError, match="k must be a whole number of passages from 1 to 50"):
        assistant.ask("俄哈边境线有多长？", k=k)


@pytest.mark.parametrize("history", ["那中国呢", 42, {"role": "user"}])
def test_a_history_that_is_not_a_list_of_messages_is_a_clear_error(assistant, history):
    with pytest.raises(QuestionError, match="history must be a list"):
        assistant.chat("那中国呢？", history)


def test_an_overlong_question_is_cut_with_a_note(assistant):
    answer = assistant.ask("俄哈边境线有多长？" + "啊" * 3000)
    assert any("only the first 500 were used" in note for note in answer.notes)


def test_to_dict_has_the_documented_shape(assistant):
    data = assistant.ask("俄哈边境线有多长？").to_dict()
    assert set(data) == {"question", "answer", "refused", "citations", "related", "passages", "generator", "notes",
                         "timings_ms", "standalone_question", "uploaded_sources"}  # fmt: skip
    assert set(data["citations"][0]) == {"id", "source", "title", "quote", "start", "end", "url", "published",
                                         "publisher", "chunk_id", "uploaded"}  # fmt: skip
    assert set(data["passages"][0]) == {"chunk_id", "source", "title", "section", "text", "start", "end", "score",
                                        "vector_rank", "bm25_rank", "vector_similarity", "url", "published",
                                        "publisher", "uploaded"}  # fmt: skip
    assert not any(c["uploaded"] for c in data["citations"]) and data["citations"][0]["url"].startswith("https://")
    assert data["generator"] == "extractive" and data["timings_ms"]["total"] > 0


def test_the_retrieval_mode_setting_is_used_and_checked(kzqa_config, embedder):
    from chat_app.assistant import Assistant
    from chat_app.config import ConfigError

    bm25_only = Assistant(kzqa_config.with_overrides(retrieval_mode="bm25"), embedder=embedder)
    answer = bm25_only.ask("集安组织有哪些成员国？")
    assert answer.passages and all(p.vector_rank is None for p in answer.passages)
    with pytest.raises(ConfigError, match="retrieval_mode: unknown retrieval mode 'dense'"):
        Assistant(kzqa_config.with_overrides(retrieval_mode="dense"), embedder=embedder)


def test_an_index_built_before_sentence_vectors_is_completed_on_open(kzqa_config, embedder, tmp_path):
    import shutil

    from chat_app.assistant import Assistant
    from index.build_layout import SENTENCE_FILES
    from index.manifest import read_manifest

    data_dir = tmp_path / "data"
    shutil.copytree(kzqa_config.data_dir, data_dir)
    build = read_manifest(data_dir).build_dir(data_dir)
    for name in SENTENCE_FILES:  # what an index of the previous release lacks
        path = build / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    notes = []
    bot = Assistant(kzqa_config.with_overrides(data_dir=data_dir), embedder=embedder, status=notes.append)
    assert any("completing the index" in note for note in notes)
    assert not bot.ask("集安组织有哪些成员国？").refused
