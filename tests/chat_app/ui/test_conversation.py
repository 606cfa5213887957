"""A session's conversation is bounded in turns and in characters; the newest turn always stays."""

from __future__ import annotations

from chat_app.answer import Citation
from chat_app.ui.conversation import MAX_CHARS, MAX_TURNS, Turn, bounded, cited


def test_keeps_at_most_the_newest_turns():
    turns = [Turn(f"q{i}", "<div>a</div>", "a") for i in range(MAX_TURNS + 10)]
    assert bounded(turns) == turns[-MAX_TURNS:]


def test_drops_the_oldest_turns_when_they_grow_too_large():
    big = Turn("q", "x" * (MAX_CHARS // 3), "a")
    small = Turn("newest", "<div>a</div>", "a")
    kept = bounded([big, big, big, big, small])
    assert kept == [big, big, small] and sum(turn.size for turn in kept) <= MAX_CHARS


def test_the_newest_turn_stays_even_when_it_alone_is_too_large():
    huge = Turn("q", "x" * (MAX_CHARS + 1))
    assert bounded([Turn("old", "a"), huge]) == [huge]


def test_a_citation_is_found_by_its_reply_and_number_only_while_the_conversation_holds_it():
    citation = Citation(2, "a.txt", "标题", "引文。", 0, 3)
    turn = Turn("q", "<div>a</div>", "a", reply_id="0123456789", citations=(citation,))
    assert cited([Turn("old", "a"), turn], "0123456789", 2) == (turn, citation)
    assert cited([turn], "0123456789", 1) is None  # no such marker in that reply
    assert cited([Turn("newer", "a")], "0123456789", 2) is None  # the turn has left the conversation
