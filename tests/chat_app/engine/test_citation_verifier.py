"""Citation checking over crafted answers and passages, with a deterministic fake support scorer."""

from __future__ import annotations

import re

import pytest

from chat_app.answer_wording import format_marker
from chat_app.engine.citation_verifier import VerifiedAnswer, verify_citations
from chat_app.engine.support import SupportScorer
from index.passage import Passage
from ingest.sentences import split_sentences

FAKE_THRESHOLD = 0.5

BORDER = "俄哈两国边境线长达7,644公里。这是仅次于美加边境的世界第二长边境线。"
TROOPS = "今年年初，俄罗斯向哈萨克斯坦派遣了2,000多名士兵。他们帮助当地政府镇压骚乱。"
SCO = "上合组织各国人口总数约为世界总人口的43%。工作语言是汉语和俄语。"
BORDER_AGAIN = "据报道，俄哈边境线长达7,644公里，仅次于美加边境。"
BORDER_EN = "The border between Russia and Kazakhstan is 7,644 km long."
TEXTS = (BORDER, TROOPS, SCO, BORDER_AGAIN, BORDER_EN)


class KeywordOverlapScorerFake(SupportScorer):
    """Support = share of the claim's keywords (Han bigrams, Latin words of 3+ letters) found in the evidence."""

    def __init__(self) -> None:
        super().__init__(None)

    def support_many(self, claim, evidences):
        wanted = _keywords(claim)
        return [len(wanted & _keywords(e)) / len(wanted) if wanted else 0.0 for e in evidences]

    def best_span(self, claim, passage_text):
        spans = split_sentences(passage_text)
        scores = self.support_many(claim, [passage_text[s.start : s.end] for s in spans])
        best = max(range(len(spans)), key=scores.__getitem__)
        return spans[best].start, spans[best].end, scores[best]


def _keywords(text: str) -> set[str]:
    text = re.sub(r"\[\d+\]", "", text)
    grams = {run[i : i + 2] for run in re.findall(r"[\u4e00-\u9fff]+", text) for i in range(len(run) - 1)}
    return grams | {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}


def _passage(number: int, text: str) -> Passage:
    return Passage(
        chunk_id=f"c{number}",
        source=f"{number:03d}.txt",
        title="t",
        section="",
        text=text,
        start=0,
        end=len(text),
        score=1.0,
    )


@pytest.fixture
def passages() -> list[Passage]:
    return [_passage(i, text) for i, text in enumerate(TEXTS)]


def verify(answer: str, passages: list[Passage]) -> VerifiedAnswer:
    return verify_citations(answer, passages, KeywordOverlapScorerFake(), threshold=FAKE_THRESHOLD)


def quotes(result: VerifiedAnswer, passages: list[Passage]) -> list[str]:
    return [passages[c.passage_index].text[c.quote_start : c.quote_end] for c in result.citations]


class TestVerifyCitations:
    def test_correct_citations_are_kept(self, passages):
        result = verify("俄哈两国边境线长达7,644公里[1]。上合组织各国人口约为世界总人口的43%[3]。", passages)
        assert result.text == "俄哈两国边境线长达7,644公里。[1]上合组织各国人口约为世界总人口的43%。[2]"
        assert [c.passage_index for c in result.citations] == [0, 2]
        assert quotes(result, passages) == [
            "俄哈两国边境线长达7,644公里。",
            "上合组织各国人口总数约为世界总人口的43%。",
        ]
        assert all(c.score >= FAKE_THRESHOLD for c in result.citations)
        assert result.notes == [] and result.unsupported_sentences == []

    def test_a_marker_to_the_wrong_passage_is_replaced_by_the_supporting_one(self, passages):
        result = verify("俄罗斯向哈萨克斯坦派遣了2,000多名士兵[3]。", passages)
        assert result.text == "俄罗斯向哈萨克斯坦派遣了2,000多名士兵。[1]"
        assert [c.passage_index for c in result.citations] == [1]
        assert any("marker [3]" in n and "replaced by passage 2" in n for n in result.notes)

    def test_a_marker_to_no_passage_never_reaches_the_user(self, passages):
        result = verify("俄哈两国边境线长达7,644公里[7]。", passages)
        assert "[7]" not in result.text
        assert "marker [7] pointed to no passage and was removed" in result.notes
        # The sentence is still supported, so the right passage is cited instead.
        assert result.text == "俄哈两国边境线长达7,644公里。[1]"
        assert result.citations[0].passage_index == 0

    def test_a_supported_sentence_without_a_marker_gets_one(self, passages):
        result = verify("他们帮助当地政府镇压骚乱。", passages)
        assert result.text == "他们帮助当地政府镇压骚乱。[1]"
        assert quotes(result, passages) == ["他们帮助当地政府镇压骚乱。"]
        assert any("passage 2 supports it" in n for n in result.notes)

    def test_an_unsupported_sentence_loses_its_marker_and_is_flagged(self, passages):
        result = verify("俄哈两国边境线长达7,644公里[1]。哈萨克斯坦的首都是阿斯塔纳[2]。", passages)
        assert result.text == "俄哈两国边境线长达7,644公里。[1]哈萨克斯坦的首都是阿斯塔纳。"
        assert result.unsupported_sentences == ["哈萨克斯坦的首都是阿斯塔纳。"]
        assert any("marker [2]" in n and "removed" in n for n in result.notes)
        assert any("not supported by any passage" in n for n in result.notes)
        assert len(result.citations) == 1

    def test_markers_are_renumbered_in_order_of_first_use(self, passages):
        result = verify("上合组织的工作语言是汉语和俄语[3]。俄哈两国边境线长达7,644公里[1]。", passages)
        assert result.text == "上合组织的工作语言是汉语和俄语。[1]俄哈两国边境线长达7,644公里。[2]"
        assert [c.passage_index for c in result.citations] == [2, 0]

    def test_the_same_quote_cited_twice_gets_one_id(self, passages):
        result = verify("俄哈两国边境线长达7,644公里[1][1]。俄哈两国的边境线长达7,644公里[1]。", passages)
        assert result.text == "俄哈两国边境线长达7,644公里。[1]俄哈两国的边境线长达7,644公里。[1]"
        assert len(result.citations) == 1

    @pytest.mark.parametrize(
        "answer",
        [
            "资料中没有找到这个问题的答案。",
            "The articles do not contain the answer to this question.",
            "资料中没有找到关于哈萨克斯坦首都的信息。建议查阅其他来源。",
        ],
    )
    def test_a_refusal_passes_through_without_citations(self, passages, answer):
        result = verify(answer, passages)
        assert result == VerifiedAnswer(text=answer, citations=[], notes=[], unsupported_sentences=[])

    def test_a_refusal_with_a_marker_to_no_passage_only_loses_the_marker(self, passages):
        result = verify("资料中没有找到这个问题的答案[9]。", passages)
        assert result.text == "资料中没有找到这个问题的答案。"
        assert result.citations == [] and result.unsupported_sentences == []

    def test_a_statement_of_absence_inside_an_answer_is_not_flagged(self, passages):
        result = verify("俄哈两国边境线长达7,644公里[1]。资料中没有提到边境口岸的数量。", passages)
        assert result.text == "俄哈两国边境线长达7,644公里。[1]资料中没有提到边境口岸的数量。"
        assert result.unsupported_sentences == []

    @pytest.mark.parametrize(
        ("answer", "expected_passages"),
        [
            ("俄哈两国边境线长达7,644公里【1】。", [0]),
            ("俄哈两国边境线长达7,644公里【1，4】。", [0, 3]),
            ("俄哈两国边境线长达7,644公里[1, 4]。", [0, 3]),
            ("俄哈两国边境线长达7,644公里[1][4]。", [0, 3]),
            ("俄哈两国边境线长达7,644公里。[1-2]", [0]),  # passage 2 does not state it
        ],
    )
    def test_every_marker_form_comes_out_as_one_group_of_square_brackets(self, passages, answer, expected_passages):
        result = verify(answer, passages)
        assert result.text == "俄哈两国边境线长达7,644公里。" + format_marker(range(1, len(expected_passages) + 1))
        assert [c.passage_index for c in result.citations] == expected_passages

    def test_a_marker_inside_a_sentence_moves_to_its_end(self, passages):
        result = verify("俄哈两国边境线[1]长达7,644公里。", passages)
        assert result.text == "俄哈两国边境线长达7,644公里。[1]"

    def test_markers_inside_a_sentence_are_checked_against_their_own_clause(self, passages):
        # Neither passage states the whole sentence; each states the clause its marker ends.
        answer = "俄哈两国边境线长达7,644公里[1]，而上合组织各国人口约为世界总人口的43%[3]。"
        result = verify(answer, passages)
        assert result.text == "俄哈两国边境线长达7,644公里，而上合组织各国人口约为世界总人口的43%。[1][2]"
        assert [c.passage_index for c in result.citations] == [0, 2]
        assert result.unsupported_sentences == []

    def test_a_space_before_an_english_marker_is_dropped(self, passages):
        result = verify("The border between Russia and Kazakhstan is 7,644 km long [5]. ", passages)
        assert result.text == "The border between Russia and Kazakhstan is 7,644 km long.[1]"
        assert result.citations[0].passage_index == 4

    def test_lead_ins_and_list_numbers_need_no_citation(self, passages):
        result = verify("要点如下：\n1. 俄哈两国边境线长达7,644公里[1]。", passages)
        assert result.text == "要点如下：\n1. 俄哈两国边境线长达7,644公里。[1]"
        assert result.unsupported_sentences == [] and result.notes == []

    def test_without_passages_every_marker_is_removed_and_every_sentence_flagged(self):
        result = verify("俄哈两国边境线长达7,644公里[1]。", [])
        assert result.text == "俄哈两国边境线长达7,644公里。"
        assert result.unsupported_sentences == ["俄哈两国边境线长达7,644公里。"]
        assert "marker [1] pointed to no passage and was removed" in result.notes
