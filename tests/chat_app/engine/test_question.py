"""What a question asks for: language, answer type, terms, and the words refusal hinges on."""

import jieba.posseg
import pytest

from chat_app.engine.question import AnswerType, analyze_question, measured_nouns, word_tokenizer


def profile(question, lexicon=None):
    return analyze_question(question, tokenizer=word_tokenizer(), lexicon=lexicon)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("俄哈边境线有多长？", AnswerType.NUMBER),
        ("哈萨克斯坦境内大约有多少个民族？", AnswerType.NUMBER),
        ("托卡耶夫是哪一年出生的？", AnswerType.DATE),
        ("集安组织的部队是什么时候撤走的？", AnswerType.DATE),
        ("1月7日表态的中国外交部发言人是谁？", AnswerType.PERSON),
        ("骚乱最早是从哪里开始的？", AnswerType.PLACE),
        ("哈萨克斯坦为什么没有支持俄罗斯？", AnswerType.REASON),
        ("How many countries voted for the resolution?", AnswerType.NUMBER),
        ("Why did Kazakhstan stay neutral?", AnswerType.REASON),
        ("上合组织的工作语言是什么？", AnswerType.OTHER),
    ],
)
def test_answer_type(question, expected):
    assert profile(question).answer_type == expected


def test_chinese_terms_drop_question_scaffolding():
    terms = profile("哈萨克斯坦现在的失业率是多少？").terms
    assert "失业率" in terms and "哈萨克斯坦" in terms
    assert "多少" not in terms and "现在" not in terms


def test_years_and_named_entities_are_found():
    p = profile("2023年中国和哈萨克斯坦的边境线有多长？")
    assert p.years == ("2023",)
    assert p.entities == ("中国",)  # Kazakhstan is everywhere, so it is not counted
    assert profile("白俄罗斯加入集安组织了吗？").entities == ()  # 白俄罗斯 is not 俄罗斯


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2021年哈萨克斯坦出口了多少吨小麦？", ("小麦",)),
        ("哈萨克斯坦现在的失业率是多少？", ("失业率",)),
        ("哈萨克斯坦军队现役总兵力有多少人？", ("总兵力",)),
        ("俄罗斯派了多少兵过去？", ()),  # a single character says too little
        ("打仗之后哈国的本币缩水了多少？", ()),  # a verb (缩水) stands between: not what is counted
    ],
)
def test_measured_noun_of_a_how_many_question(question, expected):
    words = [(w, t) for w, t in jieba.posseg.cut(question) if w.strip()]
    assert measured_nouns(words) == expected


def test_english_questions_are_translated_and_untranslatable_words_kept(retriever):
    p = profile("What was the voter turnout in the referendum?", lexicon=retriever.lexicon)
    assert p.language == "en"
    assert "turnout" in p.untranslated
    assert all(any("\u4e00" <= c <= "\u9fff" for c in term) for group in p.groups for term in group)
