"""Which notes every reader sees and which are retrieval details."""

from __future__ import annotations

import pytest

from chat_app.ui.retrieval_details import NoteKind, details_html, note_kind
from tests.support.sample_answer import answer


class TestNoteKind:
    @pytest.mark.parametrize(
        ("note", "kind"),
        [
            ("sources disagree: a.txt says 7,644公里, b.txt says 6846公里", NoteKind.DISAGREEMENT),
            ("LLM unavailable (timeout); showing the extractive answer", NoteKind.WARNING),
            ("the question was 900 characters; only the first 500 were used", NoteKind.INFO),
            ("follow-up read as: 中国在哈萨克斯坦有哪些利益？", NoteKind.INFO),
            ("refused: most of the question's words never occur in the articles", NoteKind.DETAIL),
            ("partial", NoteKind.DETAIL),
            ("corroborated by 002_14648caa620776ea.txt", NoteKind.DETAIL),
            ("citation [2] does not quote its passage exactly and was dropped", NoteKind.DETAIL),
            ("marker [3] pointed to no passage and was removed", NoteKind.DETAIL),
            ("the LLM found no answer in the passages", NoteKind.DETAIL),
        ],
    )
    def test_each_note_has_its_place(self, note, kind):
        assert note_kind(note) is kind

    def test_a_note_nobody_foresaw_is_shown_rather_than_hidden(self):
        assert note_kind("something new the engine says") is NoteKind.INFO


class TestDetails:
    def test_holds_the_refusal_reason_scores_ranks_and_timings(self):
        html = details_html(answer(refused=True, notes=["refused: the articles never mention the year asked about"]))
        for expected in ("Why refused:</span> the articles never mention the year asked about",
                         "score 0.0328 · vector #1 · BM25 #2 · cosine 0.875", "1.2 s (retrieve 120 ms)"):  # fmt: skip
            assert expected in html

    def test_escapes_what_it_shows(self):
        html = details_html(answer(notes=["citation [1] <b>x</b> was dropped"]))
        assert "&lt;b&gt;" in html and "<b>" not in html
