"""ExtractiveComposer on hand-made ranked evidence (deterministic fakes, no model or index)."""

import re
from dataclasses import replace

import pytest

from chat_app.engine.composer import CompositionSettings, ExtractiveComposer
from chat_app.engine.records import Decision, Verdict
from tests.support.fake_evidence import evidence_of, question_about

ANSWER = Verdict(Decision.ANSWER, 0.9, "test")
SETTINGS = CompositionSettings(support_margin=0.2, max_points=3, max_support=1, support_same_source=True,
                               trim_chars=40)  # fmt: skip


@pytest.fixture(scope="module")
def composer():
    return ExtractiveComposer(settings=SETTINGS)


def quotes_match_their_passages(draft, evidence):
    passages = {p.chunk_id: p for p in evidence.pool.passages.values()}
    for citation in (*draft.citations, *draft.related):
        passage = passages[citation.chunk_id]
        assert passage.text[citation.start - passage.start : citation.end - passage.start] == citation.quote
        assert f"[{citation.id}]" in draft.text


def test_a_leading_connective_is_trimmed_and_the_span_stays_exact(composer):
    sentence = "因此，哈萨克斯坦在投票中投了弃权票。"
    evidence = evidence_of([(sentence, "a.txt", 0.9, "上一句话。" + sentence)])
    draft = composer.run(question_about(["投票"]), evidence, ANSWER)
    assert draft.text.startswith("哈萨克斯坦在投票中投了弃权票。")
    assert draft.citations[0].quote == "哈萨克斯坦在投票中投了弃权票。"
    quotes_match_their_passages(draft, evidence)


def test_no_sentence_appears_twice(composer):
    same = "俄罗斯派遣了2,000多名士兵帮助镇压骚乱。"
    evidence = evidence_of([(same, "a.txt", 0.9), (same, "a.txt", 0.85), ("另一句无关的话在这里。", "a.txt", 0.8)])
    draft = composer.run(question_about(["士兵"], answer_type="number"), evidence, ANSWER)
    assert draft.text.count(same.rstrip("。")) == 1


def test_the_articles_own_question_and_sentences_about_another_country_are_left_out(composer):
    evidence = evidence_of(
        [("难道哈萨克斯坦会背弃盟友吗？", "a.txt", 0.95), ("中国在这里投资了192亿美元。", "a.txt", 0.9),
         ("俄罗斯对哈累计投资达430亿美元。", "a.txt", 0.85)],
        features={0: {"is_question": 1.0}, 1: {"other_entity": 1.0}},
    )  # fmt: skip
    draft = composer.run(question_about(["投资"], answer_type="number", entities=["俄罗斯"]), evidence, ANSWER)
    assert draft.text.startswith("俄罗斯对哈累计投资达430亿美元。")
    assert "难道" not in draft.text and "192亿" not in draft.text


def test_a_sentence_that_only_announces_a_list_is_not_quoted(composer):
    evidence = evidence_of(
        [("哈萨克斯坦围绕以下几个关键问题的表态尤为值得关注：", "a.txt", 0.95),
         ("哈萨克斯坦出口原油的97%经俄罗斯港口出口。", "a.txt", 0.9)],
    )  # fmt: skip
    draft = composer.run(question_about(["原油"], answer_type="number"), evidence, ANSWER)
    assert draft.text.startswith("哈萨克斯坦出口原油的97%")
    assert "值得关注" not in draft.text


FORMER = "在哈萨克斯坦前首都、目前中亚最大经济中心城市阿拉木图，政府机关一度被占领。"
CURRENT = "也有报道说，首都努尔苏丹等城市的局势相对比较稳定。"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("哈萨克斯坦的首都现在叫什么名字？", CURRENT),
        ("哈萨克斯坦以前的首都是哪里？", FORMER),  # asked about the past: the former one answers it
        ("目前首都在哪里？", CURRENT),
        ("Which city is the capital now, I was told it moved?", CURRENT),  # "told" is not "old"
        ("What was the old capital?", FORMER),
    ],
)
def test_a_sentence_naming_the_noun_asked_about_only_as_a_former_one_does_not_answer_what_it_is(composer, text,
                                                                                                  first):
    evidence = evidence_of([(FORMER, "a.txt", 0.9), (CURRENT, "a.txt", 0.8)])
    question = question_about(["首都"], text=text)
    question = question.__class__(**{**question.__dict__, "focus_nouns": ("首都",)})
    draft = composer.run(question, evidence, ANSWER)
    assert draft.citations[0].quote.endswith(first.split("，")[-1])


def test_a_long_factoid_sentence_is_cut_to_the_clauses_holding_the_answer(composer):
    sentence = "在经历了漫长而复杂的谈判之后，经过双方多轮磋商，哈萨克斯坦还将国防预算增加了4,410亿坚戈，这在当地引起了广泛讨论。"
    evidence = evidence_of([(sentence, "a.txt", 0.9)])
    draft = composer.run(question_about(["国防预算"], answer_type="number"), evidence, ANSWER)
    assert "4,410亿坚戈" in draft.text and "谈判" not in draft.text
    assert draft.text.startswith("……") and "……[1]" in draft.text
    quotes_match_their_passages(draft, evidence)


def test_a_long_sentence_lacking_a_word_asked_about_is_quoted_whole(composer):
    # "明年" is not in the sentence: no clause can be shown to answer, so none is cut away.
    sentence = "世界银行预测今年哈萨克斯坦的GDP增速预期为2.0%，次年的增速预期为4.0%，两者都低于此前的估计。"
    evidence = evidence_of([(sentence, "a.txt", 0.9)])
    draft = composer.run(question_about(["GDP", "明年"], answer_type="number"), evidence, ANSWER)
    assert draft.text.startswith(sentence) and "……" not in draft.text
    quotes_match_their_passages(draft, evidence)


@pytest.mark.parametrize("same_source, expected_sources", [(True, {"a.txt"}), (False, {"a.txt", "b.txt"})])
def test_points_may_be_held_to_the_best_sentences_article(same_source, expected_sources):
    composer = ExtractiveComposer(settings=CompositionSettings(max_points=3, points_same_source=same_source))
    evidence = evidence_of([
        ("哈萨克斯坦珍视其主权独立。", "a.txt", 0.9),
        ("北方有众多俄罗斯族人，让它体会到唇亡齿寒。", "b.txt", 0.88),
        ("它也担心西方的二次制裁。", "a.txt", 0.85),
    ])  # fmt: skip
    draft = composer.run(question_about(["支持"], answer_type="reason"), evidence, ANSWER)
    assert {c.source for c in draft.citations} == expected_sources
    assert "二次制裁" in draft.text


def test_each_further_ask_of_a_compound_why_question_gets_a_point_even_from_another_article():
    """Points held to the lead's article still answer the question's second ask from another one."""
    composer = ExtractiveComposer(settings=CompositionSettings(max_points=3, points_same_source=True, max_parts=2))
    evidence = evidence_of([
        ("这次出兵是该组织第一次向成员国派兵，开了先例。", "a.txt", 0.9),
        ("该组织的部队很快就会撤出。", "a.txt", 0.8),
        ("此前两个成员国求援时都被拒绝了。", "b.txt", 0.5),
    ])  # fmt: skip
    text = "为什么说这次出兵开了先例？此前成员国求援时又是怎么处理的？"
    question = question_about(["出兵", "先例", "此前", "求援"], answer_type="reason", text=text,
                              parts=("为什么说这次出兵开了先例", "此前成员国求援时又是怎么处理的"))  # fmt: skip
    draft = composer.run(question, evidence, ANSWER)
    assert "都被拒绝了" in draft.text and {c.source for c in draft.citations} == {"a.txt", "b.txt"}
    quotes_match_their_passages(draft, evidence)


def test_a_why_question_gets_distinct_points_from_different_places(composer):
    evidence = evidence_of([
        ("哈萨克斯坦珍视其主权独立。", "a.txt", 0.9),
        ("哈萨克斯坦珍视其主权独立，不愿依附。", "a.txt", 0.88),  # says the same again
        ("北方有众多俄罗斯族人，让它体会到唇亡齿寒。", "b.txt", 0.85),
        ("它也担心西方的二次制裁。", "b.txt", 0.8),
        ("一条弱得多的理由。", "b.txt", 0.2),
    ])  # fmt: skip
    draft = composer.run(question_about(["支持"], answer_type="reason"), evidence, ANSWER)
    assert len(draft.citations) == 3
    assert "主权独立" in draft.text and "唇亡齿寒" in draft.text and "二次制裁" in draft.text
    assert "不愿依附" not in draft.text and "弱得多" not in draft.text


def test_a_why_answers_points_that_state_a_reason_come_before_those_that_state_none():
    composer = ExtractiveComposer(settings=CompositionSettings(max_points=2, points_margin=0.5))
    evidence = evidence_of(
        [
            ("哈萨克斯坦珍视其主权独立。", "a.txt", 0.9),
            ("哈萨克斯坦与俄罗斯的贸易额创下纪录。", "a.txt", 0.8),  # scores higher, states no reason
            ("它也担心西方的二次制裁。", "a.txt", 0.7),
        ],
        features={2: {"type_hit": 1.0}},
    )
    draft = composer.run(question_about(["支持"], answer_type="reason"), evidence, ANSWER)
    assert "二次制裁" in draft.text and "贸易额" not in draft.text


@pytest.mark.parametrize("points_margin, expected_points", [(0.0, 1), (0.5, 2)])
def test_a_why_answers_further_points_may_score_lower_than_a_factual_answers_support(points_margin, expected_points):
    settings = CompositionSettings(support_margin=0.1, max_points=3, points_margin=points_margin)
    evidence = evidence_of([
        ("哈萨克斯坦珍视其主权独立。", "a.txt", 0.9),
        ("它也担心西方的二次制裁。", "a.txt", 0.5),  # below the support margin, within the points margin
        ("一条弱得多的理由。", "a.txt", 0.2),  # below both
    ])  # fmt: skip
    draft = ExtractiveComposer(settings=settings).run(question_about(["支持"], answer_type="reason"), evidence, ANSWER)
    assert len(draft.citations) == expected_points and "弱得多" not in draft.text
    factual = ExtractiveComposer(settings=replace(settings, max_support=2))
    assert len(factual.run(question_about(["支持"], answer_type="number"), evidence, ANSWER).citations) == 1


def test_a_second_article_stating_the_same_fact_is_cited_beside_the_first(composer):
    evidence = evidence_of(
        [("集安组织在1月19日完成了撤军。", "a.txt", 0.9), ("集安组织1月19日完成撤军。", "b.txt", 0.7)]
    )
    draft = composer.run(question_about(["撤军"], answer_type="date"), evidence, ANSWER)
    assert {c.source for c in draft.citations} == {"a.txt", "b.txt"}
    assert re.search(r"\[1\]\[2\]$", draft.text)


def test_figures_that_disagree_are_shown_side_by_side_with_a_note(composer):
    evidence = evidence_of([("俄哈边境线长达7,644公里。", "a.txt", 0.9), ("俄哈边境线——6846公里。", "b.txt", 0.88)])
    draft = composer.run(question_about(["边境线"], answer_type="number"), evidence, ANSWER)
    assert "7,644公里" in draft.text and "6846公里" in draft.text
    assert draft.notes[0].startswith("sources disagree")


def test_disagreeing_long_sentences_are_quoted_for_a_question_of_no_particular_type(composer):
    """A question whose type is not recognised ("other") still gets the disagreement, not an error."""
    long_a = "据统计，两国之间的陆地边境线长达7,644公里，从西部的里海一直延伸到东部的山区，为世界第二长。"
    long_b = "有学者指出，两国之间的陆地边境线全长6846公里，是世界上最长的一段陆地边境线，横跨多个地区。"
    evidence = evidence_of([(long_a, "a.txt", 0.9), (long_b, "b.txt", 0.88)])
    draft = composer.run(question_about(["边境线"], answer_type="other"), evidence, ANSWER)
    assert "7,644公里" in draft.text and "6846公里" in draft.text
    quotes_match_their_passages(draft, evidence)


def test_an_english_question_gets_an_english_lead_in_and_one_quote_per_line(composer):
    evidence = evidence_of([("俄罗斯的态度很复杂。", "a.txt", 0.9)])
    draft = composer.run(question_about(["俄罗斯"], language="en", text="What is Russia's stance?"), evidence, ANSWER)
    first, second = draft.text.split("\n", 1)
    assert first.isascii() and "Chinese" in first and second.startswith("俄罗斯的态度很复杂。")


def test_an_english_document_answers_an_english_question_without_a_chinese_lead_in(composer):
    evidence = evidence_of([("The festival will be held on 14 June 2023.", "festival.md", 0.9)])
    question = question_about(["festival"], answer_type="date", language="en", text="When is the festival?")
    assert composer.run(question, evidence, ANSWER).text == "The festival will be held on 14 June 2023.[1]"


def test_an_english_figure_question_is_answered_in_english_first_and_cited(composer):
    evidence = evidence_of([("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.9)])
    question = question_about(["俄罗斯"], answer_type="number", language="en", text="How many troops did Russia send?")
    first, heading, quote = composer.run(question, evidence, ANSWER).text.split("\n")
    assert first == "More than 2,000 soldiers [1]"
    assert heading.isascii() and quote == "俄罗斯派遣了2,000多名士兵。[1]"


def test_a_partial_refusal_says_what_the_articles_do_say_and_cites_it_as_related(composer):
    evidence = evidence_of([("哈萨克斯坦的首都是阿斯塔纳。", "a.txt", 0.6)])
    verdict = Verdict(Decision.PARTIAL, 0.2, "no sentence answers the question closely enough")
    draft = composer.run(question_about(["首都", "人口"], text="首都有多少人口？"), evidence, verdict)
    assert draft.refused and draft.citations == () and len(draft.related) == 1
    assert draft.text.startswith("资料没有直接回答“首都有多少人口”") and "阿斯塔纳" in draft.text
    quotes_match_their_passages(draft, evidence)


@pytest.mark.parametrize(("language", "lead"), [("zh", "资料中没有找到"), ("en", "The articles do not contain")])
def test_a_refusal_with_nothing_related_cites_nothing(composer, language, lead):
    verdict = Verdict(Decision.NONE, 0.01, "nothing related")
    draft = composer.run(question_about(["红烧肉"], language=language), evidence_of([]), verdict)
    assert draft.refused and draft.text.startswith(lead) and draft.citations == () and draft.related == ()


def test_table_rows_come_together_when_the_question_compares_them(composer):
    table = (
        "表1\n2017-2021：俄罗斯GDP 1637.8，比值9.2:1。\n2012-2016：俄罗斯GDP 1840.1，比值9.3:1。\n资料来源：世界银行"
    )
    rows = table.split("\n")[1:3]
    evidence = evidence_of([(rows[0], "p.txt", 0.9, table), (rows[1], "p.txt", 0.5, table)])
    # both rows live in one chunk: make the second candidate point into the first one's chunk

    second = evidence.sentences[1]
    moved = replace(second, candidate=replace(second.candidate, chunk_id=evidence.sentences[0].candidate.chunk_id,
                                              start=table.index(rows[1]), end=table.index(rows[1]) + len(rows[1])))  # fmt: skip
    evidence = replace(evidence, sentences=(evidence.sentences[0], moved))
    draft = composer.run(question_about(["GDP"], text="俄罗斯GDP哪一段最高？"), evidence, ANSWER)
    assert draft.text.split("\n") == [rows[1] + "[1]", rows[0] + "[2]"] or draft.text.split("\n") == [
        rows[0] + "[1]", rows[1] + "[2]"]  # fmt: skip
    quotes_match_their_passages(draft, evidence)


@pytest.mark.parametrize("elaborate_chars, runs_on", [(0, False), (30, True)])
def test_a_short_topic_sentence_of_a_why_answer_runs_on_into_its_reasons(elaborate_chars, runs_on):
    composer = ExtractiveComposer(settings=CompositionSettings(max_points=1, elaborate_chars=elaborate_chars))
    topic, reasons = "结盟是由当时的形势决定的。", "一是一强多弱的格局，二是军事优势。"
    paragraph = f"前文。{topic}{reasons}\n下一段的话。"
    evidence = evidence_of([(topic, "a.txt", 0.9, paragraph)])
    draft = composer.run(question_about(["结盟"], answer_type="reason"), evidence, ANSWER)
    assert ("一强多弱" in draft.text) is runs_on
    assert "前文" not in draft.text and "下一段" not in draft.text
    quotes_match_their_passages(draft, evidence)


def test_a_topic_sentence_ending_its_paragraph_is_quoted_alone():
    composer = ExtractiveComposer(settings=CompositionSettings(max_points=1, elaborate_chars=30))
    topic = "结盟是由当时的形势决定的。"
    evidence = evidence_of([(topic, "a.txt", 0.9, f"{topic}\n另一段的话。")])
    draft = composer.run(question_about(["结盟"], answer_type="reason"), evidence, ANSWER)
    assert draft.citations[0].quote == topic


def _same_paragraph(evidence, offset: int):
    """The second ranked sentence moved into the first one's chunk, `offset` rows after it."""
    first, second = evidence.sentences[0], evidence.sentences[1]
    text = evidence.passage(first).text
    start = text.index(second.candidate.text)
    moved = replace(second, candidate=replace(second.candidate, chunk_id=first.candidate.chunk_id,
                                              row=first.candidate.row + offset, start=start,
                                              end=start + len(second.candidate.text)))  # fmt: skip
    return replace(evidence, sentences=(first, moved, *evidence.sentences[2:]))


CLOSED = "俄罗斯两次关闭了里海输油管道。"
SHARE = "哈萨克斯坦约80%的石油出口都经由这条管道。"


@pytest.mark.parametrize("join_rank, joined", [(0, False), (2, True)])
def test_a_well_ranked_next_sentence_of_the_paragraph_joins_the_quote(join_rank, joined):
    composer = ExtractiveComposer(settings=replace(SETTINGS, join_rank=join_rank, max_support=0))
    paragraph = f"前文。{CLOSED}{SHARE}\n下一段的话。"
    evidence = _same_paragraph(evidence_of([(CLOSED, "a.txt", 0.9, paragraph), (SHARE, "a.txt", 0.2, paragraph)]), 1)
    draft = composer.run(question_about(["管道"], answer_type="reason"), evidence, ANSWER)
    assert ("80%" in draft.text) is joined
    assert draft.citations[0].quote == (CLOSED + SHARE if joined else CLOSED)
    assert len(draft.citations) == 1 and "前文" not in draft.text
    quotes_match_their_passages(draft, evidence)


def test_a_well_ranked_sentence_just_before_joins_the_quote_without_its_connective():
    composer = ExtractiveComposer(settings=replace(SETTINGS, join_rank=2, max_support=0))
    before = "因此，" + CLOSED
    paragraph = f"{before}{SHARE}"
    evidence = _same_paragraph(evidence_of([(SHARE, "a.txt", 0.9, paragraph), (before, "a.txt", 0.2, paragraph)]), -1)
    draft = composer.run(question_about(["石油出口"], answer_type="number"), evidence, ANSWER)
    assert draft.citations[0].quote == CLOSED + SHARE
    assert draft.text.count("80%") == 1
    quotes_match_their_passages(draft, evidence)


@pytest.mark.parametrize(
    ("paragraph", "offset"),
    [(f"{CLOSED}\n{SHARE}", 1), (f"{CLOSED}另一句话。{SHARE}", 2)],
    ids=["another paragraph", "not adjacent"],
)
def test_a_sentence_of_another_paragraph_or_further_away_does_not_join(paragraph, offset):
    composer = ExtractiveComposer(settings=replace(SETTINGS, join_rank=2, max_support=0))
    evidence = _same_paragraph(
        evidence_of([(CLOSED, "a.txt", 0.9, paragraph), (SHARE, "a.txt", 0.2, paragraph)]), offset
    )
    draft = composer.run(question_about(["管道"], answer_type="reason"), evidence, ANSWER)
    assert "80%" not in draft.text
    quotes_match_their_passages(draft, evidence)


NO_FIGURE = "中国在当地经济上投入了大量资金。"
MONEY = "截至去年底，俄罗斯对哈累计投资达430亿美元。"


@pytest.mark.parametrize(
    ("typed_lead", "second_probability", "led_by_figure"),
    [(False, 0.7, False), (True, 0.7, True), (True, 0.5, False)],
    ids=["off", "within the margin", "below the margin"],
)
def test_a_how_much_question_is_led_by_the_sentence_stating_a_sum_when_typed_lead_is_on(
    typed_lead, second_probability, led_by_figure
):
    composer = ExtractiveComposer(settings=replace(SETTINGS, typed_lead=typed_lead, max_support=0))
    evidence = evidence_of([(NO_FIGURE, "a.txt", 0.8), (MONEY, "b.txt", second_probability)],
                           features={1: {"type_hit": 1.0}})  # fmt: skip
    question = question_about(["投资"], answer_type="number", text="俄罗斯在哈萨克斯坦投资了多少钱？")
    draft = composer.run(question, evidence, ANSWER)
    assert draft.text.startswith(MONEY) is led_by_figure
    assert ("430亿" in draft.text) is led_by_figure
    quotes_match_their_passages(draft, evidence)


def test_typed_lead_keeps_the_order_when_the_best_sentence_states_the_asked_kind():
    composer = ExtractiveComposer(settings=replace(SETTINGS, typed_lead=True, max_support=0))
    evidence = evidence_of([(MONEY, "b.txt", 0.8), ("另有文章说两国贸易额达242亿美元。", "a.txt", 0.75)],
                           features={0: {"type_hit": 1.0}, 1: {"type_hit": 1.0}})  # fmt: skip
    draft = composer.run(question_about(["投资"], answer_type="number", text="投资了多少？"), evidence, ANSWER)
    assert draft.text.startswith(MONEY) and "242亿" not in draft.text


def test_a_how_many_question_is_led_by_the_sentence_counting_the_noun_it_asks_about():
    """多少个民族: a sentence whose figures are shares of the population does not answer it, though it ranks
    first and has figures; the one stating 140个民族 does."""
    composer = ExtractiveComposer(settings=replace(SETTINGS, typed_lead=True, max_support=0))
    shares = "1991年，俄罗斯族是该国第二大民族，占总人口的37.8%。"
    count = "该国约有140个民族。"
    evidence = evidence_of([(shares, "a.txt", 0.8), (count, "b.txt", 0.7)],
                           features={0: {"type_hit": 1.0}, 1: {"type_hit": 1.0}})  # fmt: skip
    question = question_about(["民族"], answer_type="number", text="该国大约有多少个民族？")
    draft = composer.run(question, evidence, ANSWER)
    assert draft.text.startswith(count) and "37.8%" not in draft.text
    # … while a question asking which ones is not a count
    which = question_about(["国家"], answer_type="number", text="哪几个国家退出了？")
    assert composer.run(which, evidence_of([(shares, "a.txt", 0.8), ("共有3个国家退出。", "b.txt", 0.7)],
                                           features={0: {"type_hit": 1.0}, 1: {"type_hit": 1.0}}),
                        ANSWER).text.startswith(shares)  # fmt: skip


def test_typed_lead_leaves_reason_questions_alone():
    composer = ExtractiveComposer(settings=replace(SETTINGS, typed_lead=True, max_points=1))
    evidence = evidence_of([(NO_FIGURE, "a.txt", 0.8), (MONEY, "b.txt", 0.75)], features={1: {"type_hit": 1.0}})
    draft = composer.run(question_about(["投资"], answer_type="reason", text="为什么投资？"), evidence, ANSWER)
    assert draft.text.startswith(NO_FIGURE)


NOT_WHY = "托卡耶夫表示，哈萨克斯坦不承认顿涅茨克和卢甘斯克。"
WHY = "他的理由是民族自决权的实现会使国家数量不断增多，从而造成混乱。"


@pytest.mark.parametrize(
    ("reason_lead", "answer_type", "second_probability", "led_by_reason"),
    [(False, "reason", 0.7, False), (True, "reason", 0.7, True), (True, "reason", 0.5, False),
     (True, "manner", 0.7, False)],
    ids=["off", "within the margin", "below the margin", "not a why-question"],
)  # fmt: skip
def test_a_why_question_opens_on_the_sentence_stating_a_reason_when_reason_lead_is_on(
    reason_lead, answer_type, second_probability, led_by_reason
):
    composer = ExtractiveComposer(settings=replace(SETTINGS, reason_lead=reason_lead, max_points=1))
    evidence = evidence_of([(NOT_WHY, "a.txt", 0.8), (WHY, "b.txt", second_probability)],
                           features={1: {"type_hit": 1.0}})  # fmt: skip
    question = question_about(["承认"], answer_type=answer_type, text="哈萨克斯坦为什么不承认顿涅茨克？")
    draft = composer.run(question, evidence, ANSWER)
    assert draft.text.startswith(WHY) is led_by_reason
    quotes_match_their_passages(draft, evidence)


@pytest.mark.parametrize("typed_lead", [False, True])
def test_a_who_holds_the_role_question_opens_on_the_sentence_naming_the_holder(typed_lead):
    """哈萨克斯坦总统是谁: 实行总统制 names the role, not who holds it (whatever the fitted typed_lead)."""
    composer = ExtractiveComposer(settings=replace(SETTINGS, typed_lead=typed_lead, max_support=0))
    role_only = "哈萨克斯坦实行总统制，总统在外交决策中具有举足轻重的作用。"
    holder = "哈萨克斯坦总统托卡耶夫是个中国通。"
    evidence = evidence_of([(role_only, "a.txt", 0.8), (holder, "a.txt", 0.7)],
                           features={0: {"type_hit": 1.0}, 1: {"type_hit": 1.0}})  # fmt: skip
    question = replace(question_about(["总统"], answer_type="person", text="哈萨克斯坦总统是谁？"), focus_nouns=("总统",))
    assert composer.run(question, evidence, ANSWER).text.startswith(holder)


def test_a_where_question_opens_on_the_sentence_naming_a_place_the_question_does_not():
    """她从哈萨克斯坦走了以后又去了哪: the sentence naming only 哈萨克斯坦 does not say where she went."""
    composer = ExtractiveComposer(settings=replace(SETTINGS, typed_lead=True, max_support=0))
    asked_place_only = "今年4月，拜登政府的人权特使泽雅访问了哈萨克斯坦。"
    new_place = "泽雅访问哈萨克斯坦之后，又去了吉尔吉斯斯坦。"
    evidence = evidence_of([(asked_place_only, "a.txt", 0.8), (new_place, "a.txt", 0.7)],
                           features={0: {"type_hit": 1.0}, 1: {"type_hit": 1.0}})  # fmt: skip
    question = question_about(["泽雅", "哈萨克斯坦"], answer_type="place", text="她从哈萨克斯坦走了以后又去了哪？")
    assert composer.run(question, evidence, ANSWER).text.startswith(new_place)


@pytest.mark.parametrize(
    ("asked", "first"),
    [
        ("2022年哈萨克斯坦什么时候举行的修宪公投？", "6月5日"),  # 2022年 is the question's own year, not its answer
        ("哈萨克斯坦哪年举行的修宪公投？", "2022年"),  # … asked without it, that year may well answer
    ],
)
def test_a_when_question_opens_on_a_date_the_question_does_not_name(asked, first):
    composer = ExtractiveComposer(settings=replace(SETTINGS, typed_lead=True, max_support=0))
    same_year = "2022年哈萨克斯坦举行了多场活动，修宪是其中之一。"
    the_day = "6月5日，哈萨克斯坦通过修宪公投。"
    evidence = evidence_of([(same_year, "a.txt", 0.8), (the_day, "a.txt", 0.7)],
                           features={0: {"type_hit": 1.0}, 1: {"type_hit": 1.0}})  # fmt: skip
    terms = ["哈萨克斯坦", "修宪", "公投"] + (["2022"] if "2022" in asked else [])
    question = question_about(terms, answer_type="date", text=asked)
    assert composer.run(question, evidence, ANSWER).text.startswith(same_year if first == "2022年" else the_day)


LIST_TOPIC = "冲突致使经济遭受冲击。"
LIST_ITEMS = ("首当其冲的是金融市场，货币大幅贬值。", "其次，货物过境遇到困难。", "最后，侨汇收入下降。")


@pytest.mark.parametrize("listed_points", [False, True])
def test_a_why_answer_gives_the_items_of_the_list_its_lead_opens(listed_points):
    composer = ExtractiveComposer(settings=CompositionSettings(max_points=4, listed_points=listed_points))
    paragraph = f"前文。{LIST_TOPIC}{''.join(LIST_ITEMS)}\n下一段的话。"
    # only the topic sentence was ranked: the items are found in its paragraph
    evidence = evidence_of([(LIST_TOPIC, "a.txt", 0.9, paragraph)])
    draft = composer.run(question_about(["经济", "冲击"], answer_type="manner"), evidence, ANSWER)
    assert all((item[-6:-1] in draft.text) is listed_points for item in LIST_ITEMS)
    assert "下一段" not in draft.text and "前文" not in draft.text
    assert len(draft.citations) == (4 if listed_points else 1)
    quotes_match_their_passages(draft, evidence)


def test_a_list_is_read_on_into_the_articles_next_retrieved_chunk():
    composer = ExtractiveComposer(settings=CompositionSettings(max_points=4, listed_points=True))
    first_chunk, next_chunk = f"{LIST_TOPIC}{LIST_ITEMS[0]}", f"{LIST_ITEMS[1]}{LIST_ITEMS[2]}\n下一段的话。"
    evidence = evidence_of([(LIST_TOPIC, "a.txt", 0.9, first_chunk), ("下一段的话。", "a.txt", 0.1, next_chunk)])
    head = evidence.pool.passages["chunk-0"]
    passages = {**evidence.pool.passages,
                "chunk-1": replace(evidence.pool.passages["chunk-1"], start=head.end, end=head.end + len(next_chunk))}  # fmt: skip
    evidence = replace(evidence, pool=replace(evidence.pool, passages=passages))
    draft = composer.run(question_about(["经济", "冲击"], answer_type="manner"), evidence, ANSWER)
    assert "贬值" in draft.text and "过境" in draft.text and "侨汇" in draft.text
    assert "下一段" not in draft.text
    quotes_match_their_passages(draft, evidence)


@pytest.mark.parametrize(
    "after_topic",
    [
        f"{LIST_ITEMS[0]}\n{LIST_ITEMS[1]}{LIST_ITEMS[2]}",  # the list's other items are another paragraph's
        "俄罗斯是第一大贸易伙伴。最后一次会谈在四月。其次，货物过境遇到困难。",  # 第一大/最后一次 open no item
    ],
    ids=["items in another paragraph", "ordinary words"],
)
def test_fewer_than_two_items_in_the_leads_paragraph_make_no_list(after_topic):
    composer = ExtractiveComposer(settings=CompositionSettings(max_points=4, listed_points=True))
    evidence = evidence_of([(LIST_TOPIC, "a.txt", 0.9, f"{LIST_TOPIC}{after_topic}")])
    draft = composer.run(question_about(["经济", "冲击"], answer_type="manner"), evidence, ANSWER)
    assert len(draft.citations) == 1


def test_a_lead_that_is_a_lists_first_item_brings_the_next_one():
    composer = ExtractiveComposer(settings=CompositionSettings(max_points=4, listed_points=True))
    lead = "在这一背景下，一方面，哈国担心与俄走得太近会遭致制裁。"
    paragraph = f"{lead}白俄罗斯遭到了制裁。另一方面，哈国恐与西方过于接近会引发颜色革命。"
    evidence = evidence_of([(lead, "a.txt", 0.9, paragraph)])
    draft = composer.run(question_about(["西方"], answer_type="reason"), evidence, ANSWER)
    assert "颜色革命" in draft.text and "白俄罗斯" not in draft.text
    quotes_match_their_passages(draft, evidence)


def test_articles_giving_different_reasons_for_one_event_are_shown_side_by_side_with_a_note(composer):
    evidence = evidence_of([("5月3日，当地法院以安全隐患为由，下令关闭该港口14天。", "a.txt", 0.7),
                            ("5月初，一家法院因码头工人罢工而责令港口停止作业14天。", "b.txt", 0.3)])  # fmt: skip
    draft = composer.run(question_about(["法院", "港口"], answer_type="reason"), evidence, ANSWER)
    assert "安全隐患" in draft.text and "码头工人罢工" in draft.text
    assert {c.source for c in draft.citations} == {"a.txt", "b.txt"}
    assert draft.notes[0] == "sources disagree: a.txt says 安全隐患, b.txt says 码头工人罢工"
    quotes_match_their_passages(draft, evidence)


@pytest.mark.parametrize(("conflict_margin", "shown"), [(0.0, False), (0.3, True)])
def test_an_article_stating_the_asked_quantity_otherwise_is_shown_though_it_ranks_below_the_support_margin(
    conflict_margin, shown
):
    composer = ExtractiveComposer(settings=CompositionSettings(support_margin=0.2, conflict_margin=conflict_margin))
    wsj = "俄哈两国边境线长达4,750英里（约合7,644公里），是仅次于美加边境的世界第二长边境线。"
    paper = "俄哈拥有世界上最长的一段陆地边境线——6846公里，哈是俄南部天然屏障。"
    evidence = evidence_of([(wsj, "a.txt", 0.9), (paper, "b.txt", 0.5)])
    draft = composer.run(question_about(["边境线", "俄罗斯"], answer_type="number"), evidence, ANSWER)
    assert ("6846公里" in draft.text) == shown
    quotes_match_their_passages(draft, evidence)
