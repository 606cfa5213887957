"""The chat handler: question shown at once, answer streamed in, per-session turns, errors kept out of history."""

from __future__ import annotations

import threading

import pytest

from chat_app.config import KzqaConfig
from chat_app.ui.chat_panel import ChatPanel
from chat_app.ui.service import AssistantService
from tests.support.fake_assistant import SOURCE, FakeAssistant
from tests.support.paths import CORPUS_DIR


@pytest.fixture
def assistant():
    return FakeAssistant()


@pytest.fixture
def panel(assistant, tmp_path):
    config = KzqaConfig(corpus_dir=CORPUS_DIR, data_dir=tmp_path)
    return ChatPanel(AssistantService(config, assistant, None))


def run(panel, question, turns, generator="extractive"):
    return list(panel.respond(question, turns, 5, generator))


def test_shows_the_question_at_once_and_clears_the_box(panel):
    messages, turns, box = run(panel, "俄哈边境线有多长？", [])[0]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert "kz-pending" in messages[-1]["content"]
    assert turns == [] and box == ""


def test_an_llm_answer_streams_in_before_the_answer_with_sources(panel):
    updates = run(panel, "俄哈边境线有多长？", [], generator="llm")
    assert any("kz-streaming" in update[0][-1]["content"] for update in updates)
    assert SOURCE in updates[-1][0][-1]["content"]


def test_an_extractive_answer_appears_whole_after_the_pending_note(panel):
    """Its previews come after the whole answer is made: showing them would only re-send the chat."""
    updates = run(panel, "俄哈边境线有多长？", [])
    assert len(updates) == 2 and "kz-pending" in updates[0][0][-1]["content"]
    assert not any("kz-streaming" in update[0][-1]["content"] for update in updates)
    messages, turns, _ = updates[-1]
    assert SOURCE in messages[-1]["content"]
    [turn] = turns
    assert (turn.question, turn.reply_html, turn.answer_text) == (
        "俄哈边境线有多长？",
        messages[-1]["content"],
        "边境线长达7,644公里。[1]",
    )


def test_each_reply_names_its_cards_and_keeps_what_they_cite_for_the_article_viewer(panel):
    first = run(panel, "俄哈边境线有多长？", [])[-1][1]
    turns = run(panel, "俄哈边境线有多长？", first)[-1][1]
    ids = [turn.reply_id for turn in turns]
    assert all(ids) and len(set(ids)) == 2  # two replies on one page never share card ids
    assert f'id="kz-src-{ids[1]}-1"' in turns[1].reply_html
    assert [c.source for c in turns[1].citations] == [SOURCE] and turns[1].uploaded == frozenset()


def test_follow_ups_see_earlier_questions_and_answers(panel, assistant):
    turns = run(panel, "俄哈边境线有多长？", [])[-1][1]
    messages, turns, _ = run(panel, "那中国呢？", turns)[-1]
    assert assistant.questions[-1] == (
        "那中国呢？",
        [
            {"role": "user", "content": "俄哈边境线有多长？"},
            {"role": "assistant", "content": "边境线长达7,644公里。[1]"},
        ],
    )
    assert len(messages) == 4 and len(turns) == 2


def test_an_error_is_shown_but_kept_out_of_the_history(panel, assistant):
    assistant.fail_with = RuntimeError("boom")
    messages, turns, _ = run(panel, "第一个问题", [])[-1]
    assert "kz-error" in messages[-1]["content"] and "boom" not in messages[-1]["content"]
    assistant.fail_with = None
    run(panel, "第二个问题", turns)
    assert assistant.questions[-1] == ("第二个问题", [])


def test_an_empty_question_changes_nothing(panel, assistant):
    assert run(panel, "   ", []) == [([], [], "")]
    assert assistant.questions == []


def test_a_question_during_start_up_shows_the_wait_then_the_answer(tmp_path, monkeypatch):
    from chat_app.ui import service as service_module
    from tests.support.fake_assistant import FakeAssistantBuildingItsIndex

    monkeypatch.setattr(service_module, "Assistant", FakeAssistantBuildingItsIndex)
    FakeAssistantBuildingItsIndex.release = threading.Event()
    FakeAssistantBuildingItsIndex.failure = None
    config = KzqaConfig(corpus_dir=CORPUS_DIR, data_dir=tmp_path)
    panel = ChatPanel(AssistantService.start_in_background(config))
    updates = panel.respond("俄哈边境线有多长？", [], 5, "extractive")

    first = next(updates)[0][-1]["content"]
    assert "answered as soon as the index is ready" in first
    FakeAssistantBuildingItsIndex.release.set()
    messages, turns, _ = list(updates)[-1]
    assert SOURCE in messages[-1]["content"] and len(turns) == 1


def test_a_long_question_is_cut_before_the_history_keeps_it(panel, assistant):
    messages, turns, _ = run(panel, "俄哈边境线有多长？" + "啊" * 1_000_000, [])[-1]
    assert len(turns[0].question) == 500 and len(assistant.questions[0][0]) == 500
    assert len(messages[0]["content"]) < 600  # what the browser is sent back on every update
    assert "only the first 500 were used" in messages[-1]["content"]
    run(panel, "为什么？", turns)
    assert [len(m["content"]) for m in assistant.questions[-1][1]] == [500, len("边境线长达7,644公里。[1]")]


def test_the_conversation_keeps_only_the_newest_turns(panel):
    from chat_app.ui.conversation import MAX_TURNS

    turns = []
    for i in range(MAX_TURNS + 5):
        messages, turns, _ = run(panel, f"问题{i}", turns)[-1]
    assert len(turns) == MAX_TURNS and turns[0].question == "问题5"
    assert len(messages) == 2 * MAX_TURNS


def test_a_rejected_question_gets_a_hint_and_stays_out_of_the_history(panel, assistant):
    from chat_app.question_input import QuestionError

    assistant.fail_with = QuestionError("'？？？' has no words to search for: please ask a question")
    messages, turns, _ = run(panel, "？？？", [])[-1]
    assert "Please ask a question" in messages[-1]["content"] and "kz-error" not in messages[-1]["content"]
    assert turns[0].answer_text is None
