"""Support scoring with the real embedding model, real jieba and the real corpus."""

from __future__ import annotations

from collections import Counter

import pytest

from chat_app.engine.citation_verifier import verify_citations
from chat_app.engine.support import SUPPORT_THRESHOLD, SupportScorer
from index.chinese_tokenizer import ChineseTokenizer, TokenizerMode
from index.cross_lingual import Lexicon
from index.passage import Passage

BORDER_SENTENCE = "俄哈两国边境线长达4,750英里（约合7,644公里），是仅次于美加边境的世界第二长边境线。"
BORDER_PARAPHRASE = "俄罗斯和哈萨克斯坦的边界约7644公里"


@pytest.fixture(scope="module")
def chunks(documents) -> list[str]:
    return [chunk.text for item in documents.values() for chunk in item.chunks]


def chunk_with(chunks: list[str], key: str) -> str:
    return next(text for text in chunks if key in text)


@pytest.fixture(scope="module")
def border(chunks) -> str:
    return chunk_with(chunks, BORDER_SENTENCE)


@pytest.fixture(scope="module")
def lexicon(documents) -> Lexicon:
    texts = [item.document.text for item in documents.values()]
    tokenize = ChineseTokenizer(TokenizerMode.SEARCH)
    return Lexicon.build(Counter(token for text in texts for token in tokenize(text)), corpus_texts=texts)


@pytest.fixture(scope="module")
def scorer(embedder, lexicon) -> SupportScorer:
    return SupportScorer(embedder, lexicon=lexicon)


class CountingEmbedder:
    """Passes through to the real embedder and records which texts it was asked to embed."""

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self.embedded: list[str] = []

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        self.embedded += texts
        return self.embedder.embed_passages(texts)


class TestSupport:
    def test_a_paraphrase_of_the_border_sentence_is_supported(self, scorer, border):
        assert scorer.support(BORDER_PARAPHRASE, border) >= SUPPORT_THRESHOLD

    @pytest.mark.parametrize(
        "claim",
        [
            "俄哈边境线长6846公里",
            "俄哈两国边境线长达4,750英里（约合6,846公里），是仅次于美加边境的世界第二长边境线。",
        ],
        ids=["short-claim", "verbatim-but-the-number"],
    )
    def test_a_different_number_is_not_supported_however_many_words_match(self, scorer, border, claim):
        assert scorer.support(claim, border) < SUPPORT_THRESHOLD

    def test_an_unrelated_passage_does_not_support(self, scorer, chunks):
        gdp_table = chunk_with(chunks, "比值9.2:1")
        assert scorer.support(BORDER_PARAPHRASE, gdp_table) < SUPPORT_THRESHOLD

    def test_support_falls_from_the_sentence_itself_to_a_paraphrase_to_a_wrong_number(self, scorer, border):
        own = scorer.support(BORDER_SENTENCE, border)
        paraphrase = scorer.support(BORDER_PARAPHRASE, border)
        wrong = scorer.support("俄罗斯和哈萨克斯坦的边界约6846公里", border)
        assert own > paraphrase > SUPPORT_THRESHOLD > wrong

    @pytest.mark.parametrize(
        ("claim", "key"),
        [
            ("今年年初，俄罗斯派出2000多名士兵，协助哈萨克斯坦镇压骚乱", "2,000多名士兵"),
            ("哈萨克斯坦曾用一架波音767运送28吨药品援助乌克兰", "28吨药品"),
            ("在3月2日要求俄罗斯撤军的联合国大会决议中，哈萨克斯坦投了弃权票", "有141个国家赞成"),
            ("2022年初的抗议最初是由液化气涨价引起的", "最初却由液化气价格上涨引发"),
        ],
        ids=["troops", "medicine-flight", "un-abstention", "protest-cause"],
    )
    def test_paraphrases_of_corpus_sentences_are_supported_by_their_chunk(self, scorer, chunks, claim, key):
        assert scorer.support(claim, chunk_with(chunks, key)) >= SUPPORT_THRESHOLD

    @pytest.mark.parametrize(
        ("claim", "key"),
        [
            ("哈萨克斯坦计划在2025年加入北约", "把加入北约写入宪法"),
            ("美国在哈萨克斯坦设有空军基地", "在哈萨克斯坦有一个反弹道飞弹试验场"),
            ("上合组织秘书处设在阿斯塔纳", "工作语言是汉语和俄语"),
        ],
        ids=["nato-2025", "us-air-base", "sco-secretariat"],
    )
    def test_same_topic_claims_the_chunk_does_not_state_are_not_supported(self, scorer, chunks, claim, key):
        assert scorer.support(claim, chunk_with(chunks, key)) < SUPPORT_THRESHOLD

    @pytest.mark.parametrize(
        ("claim", "supported"),
        [
            ("The Russia–Kazakhstan border is about 7,644 km long, the second longest in the world.", True),
            ("The Russia–Kazakhstan border is about 6,846 km long.", False),
        ],
        ids=["right-number", "wrong-number"],
    )
    def test_english_claims_are_matched_through_the_lexicon(self, scorer, border, claim, supported):
        assert (scorer.support(claim, border) >= SUPPORT_THRESHOLD) is supported

    def test_numbers_match_across_scale_words(self, scorer, chunks):
        budget = chunk_with(chunks, "4,410亿坚戈")
        claim = "Kazakhstan raised its defense budget by 441 billion tenge (about $918 million)."
        assert scorer.support(claim, budget) >= SUPPORT_THRESHOLD

    def test_thousands_separators_do_not_matter(self, border):
        lexical = SupportScorer(None)
        assert lexical.support("俄哈边境线长7,644公里", border) == lexical.support("俄哈边境线长7644公里", border)

    def test_citation_markers_in_the_claim_are_ignored(self, scorer, border):
        assert scorer.support(BORDER_PARAPHRASE + "[1]【2】", border) == scorer.support(BORDER_PARAPHRASE, border)

    def test_without_an_embedder_words_and_numbers_still_decide(self, border):
        lexical = SupportScorer(None)
        assert lexical.support(BORDER_PARAPHRASE, border) >= SUPPORT_THRESHOLD
        assert lexical.support("俄罗斯和哈萨克斯坦的边界约6846公里", border) < SUPPORT_THRESHOLD

    def test_support_many_scores_like_support(self, scorer, chunks, border):
        others = [border, chunk_with(chunks, "比值9.2:1"), chunk_with(chunks, "28吨药品")]
        batched = scorer.support_many(BORDER_PARAPHRASE, others)
        assert batched == pytest.approx([scorer.support(BORDER_PARAPHRASE, text) for text in others], abs=1e-6)

    def test_texts_already_embedded_are_not_embedded_again(self, embedder, chunks, border):
        counting = CountingEmbedder(embedder)
        scorer = SupportScorer(counting)
        evidences = [border, chunk_with(chunks, "28吨药品")]
        scorer.support_many(BORDER_PARAPHRASE, evidences)
        assert sorted(counting.embedded) == sorted([BORDER_PARAPHRASE, *evidences])
        counting.embedded.clear()
        scorer.support_many("哈萨克斯坦向乌克兰运送了药品", evidences)
        assert counting.embedded == ["哈萨克斯坦向乌克兰运送了药品"]


class TestBestSpan:
    def test_finds_the_sentence_that_states_the_claim(self, scorer, border):
        claim = "俄哈两国边境线长达7644公里，是世界第二长的边境线"
        start, end, score = scorer.best_span(claim, border)
        assert border[start:end] == BORDER_SENTENCE
        assert score == pytest.approx(scorer.support(claim, BORDER_SENTENCE), abs=1e-6)

    def test_adds_the_previous_sentence_when_the_stating_one_alone_falls_short(self, scorer, border):
        # The sentence abbreviates the two countries (俄哈); the one before names 哈萨克斯坦 in full.
        assert scorer.support(BORDER_PARAPHRASE, BORDER_SENTENCE) < SUPPORT_THRESHOLD
        start, end, score = scorer.best_span(BORDER_PARAPHRASE, border)
        assert border[start:end].endswith("的国家。" + BORDER_SENTENCE)
        assert score >= SUPPORT_THRESHOLD

    def test_quotes_two_sentences_when_the_claim_spans_both(self, scorer, chunks):
        first = "在3月初要求俄罗斯终止入侵行动的联合国决议投票中，哈萨克斯坦投了弃权票，而不是反对票。"
        second = (
            "几天后，哈萨克斯坦派出一架波音（Boeing）767飞机，载运28吨药品前往乌克兰，这是哈方派出的多架援助航班之一。"
        )
        passage = chunk_with(chunks, first + second)
        claim = "哈萨克斯坦在3月初联合国决议投票中投了弃权票，几天后派出波音767运送28吨药品前往乌克兰"
        start, end, score = scorer.best_span(claim, passage)
        assert passage[start:end] == first + second
        assert score >= SUPPORT_THRESHOLD

    def test_a_claim_one_sentence_supports_is_quoted_by_that_sentence_alone(self, scorer, chunks):
        sentence = "哈萨克斯坦还将国防预算增加了4,410亿坚戈（约合9.18亿美元）。"
        passage = chunk_with(chunks, sentence)
        start, end, _ = scorer.best_span("哈萨克斯坦的国防预算增加了4410亿坚戈", passage)
        assert passage[start:end] == sentence

    def test_a_text_without_sentences_has_no_span(self, scorer):
        assert scorer.best_span(BORDER_PARAPHRASE, "  \n ") == (0, 0, 0.0)


class TestVerifyWithTheRealScorer:
    @pytest.fixture
    def passages(self, chunks) -> list[Passage]:
        keys = ("2,000多名士兵", BORDER_SENTENCE, "比值9.2:1")
        texts = [chunk_with(chunks, key) for key in keys]
        return [Passage(f"c{i}", "s.txt", "t", "", text, 0, len(text), 1.0) for i, text in enumerate(texts)]

    def test_a_citation_of_the_wrong_passage_is_corrected(self, scorer, passages):
        result = verify_citations(BORDER_PARAPHRASE + "[1]。", passages, scorer)
        assert result.text == BORDER_PARAPHRASE + "。[1]"
        [citation] = result.citations
        assert citation.passage_index == 1
        assert passages[1].text[citation.quote_start : citation.quote_end].endswith(BORDER_SENTENCE)
        assert any("marker [1]" in note and "replaced by passage 2" in note for note in result.notes)

    def test_a_sentence_with_a_wrong_number_is_flagged_not_cited(self, scorer, passages):
        result = verify_citations("俄哈边境线长6846公里[2]。", passages, scorer)
        assert result.text == "俄哈边境线长6846公里。"
        assert result.citations == []
        assert result.unsupported_sentences == ["俄哈边境线长6846公里。"]
