"""QuestionAnalyzer: answer type, terms and their weights, the noun asked about, unknown words.

A small Vocabulary of made-up sentences and a hand-written Lexicon stand in for the index (both are
the real classes, fed deterministic data)."""

import pytest

from chat_app.engine.question import QuestionAnalyzer
from chat_app.engine.records import AnswerType, ResolvedQuestion
from chat_app.engine.vocabulary import Vocabulary
from index.cross_lingual import Lexicon

TEXTS = [
    "俄罗斯向哈萨克斯坦派遣了2,000多名士兵。",
    "哈萨克斯坦的首都是阿斯塔纳，前首都是阿拉木图。",
    "习近平在纳扎尔巴耶夫大学提出了一带一路倡议。",
    "哈萨克斯坦约有140个民族。",
    "俄哈两国边境线长达7,644公里。",
]
LEXICON = Lexicon({"border": ("边境线",), "soldier": ("士兵",), "russia": ("俄罗斯",), "university": ("大学",),
                   "capital": ("首都",), "call": ("呼吁",), "kazakhstan": ("哈萨克斯坦",), "foreign": ("国外",),
                   "foreign minister": ("外长",), "more": ("更加",)})  # fmt: skip


@pytest.fixture(scope="module")
def analyzer():
    return QuestionAnalyzer(vocabulary=Vocabulary(TEXTS), lexicon=LEXICON)


def analyse(analyzer, text):
    return analyzer.run(ResolvedQuestion(message=text, standalone=text, focus=text))


@pytest.mark.parametrize(
    ("text", "answer_type"),
    [
        ("哈萨克斯坦是哪一年加入苏联的？", AnswerType.DATE),
        ("俄罗斯派了多少兵？", AnswerType.NUMBER),
        ("谁在大学提出了一带一路？", AnswerType.PERSON),
        ("一带一路是在哪里提出的", AnswerType.PLACE),
        ("为啥哈萨克斯坦不支持俄罗斯", AnswerType.REASON),
        ("邻国凭啥不让我们的货车过境", AnswerType.REASON),  # 凭啥: colloquial 凭什么
        ("哈萨克斯坦怎么平衡大国关系", AnswerType.MANNER),
        ("中国和俄罗斯的做法有什么区别", AnswerType.COMPARE),
        ("俄乌冲突给哈萨克斯坦带来了哪些机会", AnswerType.MANNER),  # several points asked for
        ("哪些人参加了峰会", AnswerType.PERSON),
        ("How many soldiers did Russia send?", AnswerType.NUMBER),
        ("When did Kazakhstan join the USSR?", AnswerType.DATE),
        ("Why did Kazakhstan abstain?", AnswerType.REASON),
        ("哈萨克斯坦的首都叫什么名字", AnswerType.OTHER),
        ("哈萨克斯坦现在有几座核电站？", AnswerType.NUMBER),
        ("骚乱那几天哈萨克有没有断网啊", AnswerType.OTHER),  # 那几天: "those days", no figure asked for
        ("联合国那几次投票，哈萨克斯坦为什么弃权", AnswerType.REASON),
        ("托卡耶夫好几次访问过哪个国家", AnswerType.PLACE),  # 好几次: "several times"
        ("哈萨克斯坦为啥不支持俄罗斯？说几个原因", AnswerType.REASON),  # 说几个: "give a few"
        ("举几个例子，哈萨克斯坦怎么平衡大国关系", AnswerType.MANNER),
        ("她从哈萨克斯坦走了以后又去了哪？", AnswerType.PLACE),
        ("骚乱过后，哪个大官被抓起来了？", AnswerType.PERSON),  # which official: a person, by name
        # a measure named in an English question asks for a figure
        ("What's the yearly capacity of that pipeline?", AnswerType.NUMBER),
        ("What is the population of Astana?", AnswerType.NUMBER),
        ("Why was the pipeline's capacity cut?", AnswerType.REASON),  # the earliest cue asks
    ],
)
def test_answer_type(analyzer, text, answer_type):
    assert analyse(analyzer, text).answer_type == answer_type


@pytest.mark.parametrize(
    ("text", "focus"),
    [
        ("哈萨克斯坦的首都现在叫什么名字？", ("首都",)),
        ("习近平在哪所大学提出的一带一路", ("大学",)),
        ("哈萨克斯坦大约有多少个民族？", ("民族",)),
        ("Which university did Xi speak at?", ("大学",)),
        ("哈萨克斯坦的首都是哪里", ("首都",)),  # not 里, the end of 哪里
        ("哈萨克斯坦首都在哪里", ("首都",)),
        ("哈萨克斯坦首都是哪个城市", ("首都", "城市")),  # the noun it identifies and the noun asked about
        ("习近平在哪所大学演讲", ("大学",)),  # 在哪 before a measure word opens the noun, it does not end it
        ("中间走廊从哪里出发", ()),
        ("教皇在哈萨克斯坦待了几天？", ("天",)),
        ("骚乱那几天哈萨克有没有断网啊", ()),  # 那几天 asks for no number of days
        ("What is the capital of Kazakhstan called now?", ("首都",)),  # the noun right after "what is the"
        ("what's the capital of kazakhstan", ("首都",)),
        ("What did Russia do at the border?", ()),  # "what did": no noun right after
        ("Who is Russia's soldier?", ("士兵",)),  # the noun after a possessive
        ("what's kazakhstan's capital", ("首都",)),
        ("Who is Kazakhstan's foreign minister?", ("外长",)),  # the lexicon's phrase, not its first word
        ("Who is Russia's foreign soldier?", ("国外",)),  # no phrase: the first word
    ],
)
def test_the_noun_asked_about(analyzer, text, focus):
    assert analyse(analyzer, text).focus_nouns == focus


def test_how_much_money_asks_for_an_amount_and_names_nothing_to_look_for(analyzer):
    """Articles write 430亿美元, never 钱: 多少钱 must not make 钱 the question's rarest word."""
    question = analyse(analyzer, "俄罗斯向哈萨克斯坦投了多少钱？")
    assert question.answer_type == AnswerType.NUMBER
    assert "钱" not in {a for t in question.terms for a in t.alternatives}
    assert question.focus_nouns == () and "钱" not in question.unknown


def test_rare_words_weigh_more_than_common_ones(analyzer):
    terms = {t.alternatives[0]: t for t in analyse(analyzer, "哈萨克斯坦的边境线有多长").terms}
    assert terms["边境线"].weight > terms["哈萨克斯坦"].weight
    assert all(t.known for t in terms.values())


def test_words_no_text_uses_are_unknown_and_nouns_among_them_are_named(analyzer):
    question = analyse(analyzer, "2021年哈萨克斯坦出口了多少吨小麦？")
    assert "小麦" in question.unknown and "小麦" in question.unknown_nouns
    assert question.years == ("2021",)


def test_an_unknown_compound_is_looked_for_by_its_known_parts(analyzer):
    terms = analyse(analyzer, "边境线长度多少").terms
    assert any(t.alternatives == ("边境线",) for t in terms)


def test_english_terms_are_translated_and_keep_their_own_spelling(analyzer):
    question = analyse(analyzer, "How long is the border with Russia?")
    alternatives = {alt for t in question.terms for alt in t.alternatives}
    assert {"边境线", "俄罗斯", "border", "russia"} <= alternatives
    assert question.language == "en" and question.entities == ("俄罗斯",)


def test_asking_for_more_names_nothing_to_look_for_even_where_the_lexicon_has_the_word(analyzer):
    """The lexicon matches "more" by its stem; the scaffold list names the word as typed."""
    alternatives = {
        alt for t in analyse(analyzer, "Can you tell me more about the border?").terms for alt in t.alternatives
    }
    assert "边境线" in alternatives and "更加" not in alternatives


def test_english_months_are_looked_for_as_the_articles_write_them(analyzer):
    alternatives = {alt for t in analyse(analyzer, "What happened in June?").terms for alt in t.alternatives}
    assert "6月" in alternatives


def test_a_compound_question_is_split_into_its_asks(analyzer):
    assert analyse(analyzer, "中国国防部长什么时候去的？双方谈成了什么？").parts == (
        "中国国防部长什么时候去的", "双方谈成了什么")  # fmt: skip


def test_a_follow_up_inherits_the_answer_type_and_the_earlier_terms(analyzer):
    resolved = ResolvedQuestion(message="那阿拉木图呢？", standalone="首都是哪一年定的，那阿拉木图呢？",
                                focus="那阿拉木图呢？", context="首都是哪一年定的", followup="opener")  # fmt: skip
    question = analyzer.run(resolved)
    assert question.answer_type == AnswerType.DATE
    own = next(t for t in question.terms if t.alternatives == ("阿拉木图",))
    earlier = next(t for t in question.terms if t.alternatives == ("首都",))
    assert earlier.weight < own.weight or earlier.weight == pytest.approx(own.weight / 2, rel=1)
    assert question.context_terms and question.context_terms[0].alternatives == ("首都",)


@pytest.mark.parametrize(
    ("text", "calls"),
    [
        ("What is the capital of Kazakhstan called now?", False),  # a question-final "called" asks for a name
        ("What is it called?", False),
        ("What did Kazakhstan call for?", True),  # the verb: 呼吁
        ("Who called for talks with Kazakhstan?", True),
    ],
)
def test_a_question_final_called_asks_for_a_name_and_is_not_the_verb(analyzer, text, calls):
    alternatives = {a for t in analyse(analyzer, text).terms for a in t.alternatives}
    assert ("呼吁" in alternatives) is calls


def test_an_everyday_word_matches_the_written_words_the_articles_use(analyzer):
    """派兵 (synonyms.toml: 出兵, 派遣): the texts write 派遣, so the term is known and matches it."""
    question = analyse(analyzer, "俄罗斯派兵了吗")
    alternatives = [t.alternatives for t in question.terms]
    assert any("派遣" in a for a in alternatives)
    assert "派兵" not in question.unknown
    assert "派遣" in analyzer.search_tokens("俄罗斯派兵了吗")


def test_written_words_the_texts_do_not_contain_are_not_added(analyzer):
    alternatives = {a for t in analyse(analyzer, "俄罗斯派兵了吗").terms for a in t.alternatives}
    assert "出兵" not in alternatives  # not in this vocabulary's texts


def test_a_person_named_one_way_also_finds_the_other_ways_the_articles_write_the_name():
    """entities.toml lists 普京 and 普丁 (the Taiwanese spelling) as one person's names."""
    analyzer = QuestionAnalyzer(vocabulary=Vocabulary(["普丁选择该国作为首次外访之地。"]), lexicon=LEXICON)
    question = analyse(analyzer, "普京第一次出访去了哪里")
    assert any(set(t.alternatives) >= {"普丁"} and t.known for t in question.terms)
    assert "普京" not in question.unknown
    assert "普丁" in analyzer.search_tokens("普京第一次出访去了哪里")


def test_there_and_here_point_back_and_are_not_searched_for(analyzer):
    question = analyse(analyzer, "他在那儿和这儿说了什么")
    alternatives = {a for t in question.terms for a in t.alternatives}
    assert not {"那儿", "这儿"} & alternatives and not {"那儿", "这儿"} & set(question.unknown)
