"""The English first line: figures, dates and names read out of a Chinese quote.

Names come from a deterministic fake of the glossary/CC-CEDICT lookup (a dict), so these tests check
the reading logic; the real lookup is tested in tests/index/test_cross_lingual.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from chat_app.engine.english_lead import EnglishLead
from chat_app.engine.records import Term
from chat_app.engine.role_names import RoleNames
from tests.support.fake_evidence import question_about

FAKE_NAMES = {"士兵": "soldier", "阿拉木图": "Almaty", "坚戈": "tenge", "罗马": "Rome"}


@pytest.fixture(scope="module")
def lead() -> EnglishLead:
    return EnglishLead(name_of=FAKE_NAMES.get)


@pytest.mark.parametrize(
    ("terms", "quote", "expected"),
    [
        (["派"], "集安组织派出了2,000多名士兵。", "More than 2,000 soldiers"),
        (["投资"], "中国在哈萨克斯坦的投资金额高达192亿美元；", "As much as 19.2 billion US dollars"),
        (["进口"], "中国从哈萨克斯坦进口402万吨天然气。", "4.02 million tonnes"),
        (["俄罗斯族"], "哈萨克族的比例上升至69.03％，俄罗斯族比例降至18.47%", "18.47%"),
        (["边境线"], "俄哈两国边境线长达4,750英里（约合7,644公里）。", "4,750 miles"),
    ],
)
def test_a_figure_keeps_its_digits_and_gets_its_scale_hedge_and_unit_in_english(lead, terms, quote, expected):
    assert lead.statement(question_about(terms, answer_type="number", language="en"), quote) == expected


def test_a_date_is_not_read_as_an_amount(lead):
    question = question_about(["法院"], answer_type="number", language="en")
    assert lead.statement(question, "7月6日，法院下令暂停运营30天。") == "30 days"


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("2022年1月5日，总统宣布紧急状态。", "5 January 2022"),
        ("4月下旬，部长访问了哈萨克斯坦。", "Late April"),
        ("2013年9月，领导人首次提出倡议。", "September 2013"),
        ("7月6日，法院下令暂停运营。", "6 July"),
        ("2022年初，骚乱爆发。", "Early 2022"),
    ],
)
def test_a_date_is_written_the_english_way(lead, quote, expected):
    question = question_about(["宣布", "访问", "倡议", "法院", "骚乱"], answer_type="date", language="en")
    assert lead.statement(question, quote) == expected


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        ("What year did the court halt the pipeline?", "7月6日，法院下令暂停运营。", None),  # no year to state
        ("What year did the court halt the pipeline?", "2022年7月6日，法院下令暂停运营。", "6 July 2022"),
        ("When did the court halt the pipeline?", "7月6日，法院下令暂停运营。", "6 July"),
    ],
)
def test_a_date_without_its_year_does_not_answer_a_what_year_question(lead, text, quote, expected):
    question = question_about(["法院"], answer_type="date", language="en", text=text)
    assert lead.statement(question, quote) == expected


def test_the_date_next_to_the_rarest_question_word_is_the_answer_not_the_one_next_to_a_common_word(lead):
    # "When did Kazakhstan become independent?": the country's name is everywhere, 独立 is telling.
    common, rare = Term(("哈萨克斯坦",), 0.2, True), Term(("独立",), 3.0, True)
    question = replace(question_about([], answer_type="date", language="en"), terms=(common, rare))
    quote = "1936年哈萨克斯坦成为苏联加盟共和国之一。1991年从苏联独立，但之后加入独联体。"
    assert lead.statement(question, quote) == "1991"
    weights_swapped = replace(question, terms=(replace(common, weight=3.0), replace(rare, weight=0.2)))
    assert lead.statement(weights_swapped, quote) == "1936"


def test_a_person_named_in_latin_letters_is_named_that_way(lead):
    quote = "副国务卿乌兹拉．泽雅（Uzra Zeya）对哈萨克斯坦进行了访问。"
    assert lead.statement(question_about(["访问"], answer_type="person", language="en"), quote) == "Uzra Zeya"


def test_the_answer_is_not_a_word_the_question_already_names(lead):
    quote = "首都由南部的阿拉木图迁往中北部。"
    question = question_about(["阿拉木图"], answer_type="place", language="en")
    assert lead.statement(question, quote) is None


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("峰会期间，各国领导人在罗马举行了会谈。", "Rome"),
        # 罗马 says which church: a name right before a noun modifies it, it is no place where
        ("峰会期间，各国领导人迎接了罗马天主教教皇的访问。", None),
        ("峰会期间，各国领导人在阿拉木图迎接了罗马天主教教皇的访问。", None),  # one place, but not sure
    ],
)
def test_a_place_name_that_modifies_a_noun_is_not_where_it_happened(lead, quote, expected):
    question = question_about(["峰会"], answer_type="place", language="en")
    assert lead.statement(question, quote) == expected


def test_a_question_of_another_kind_gets_no_statement(lead):
    assert lead.statement(question_about(["派"], answer_type="reason", language="en"), "因为2,000名士兵。") is None


@pytest.fixture(scope="module")
def kind_aware_lead() -> EnglishLead:
    """The lead with the real kinds of figure from resources/language.toml."""
    from chat_app.engine.resources import language

    return EnglishLead(name_of={**FAKE_NAMES, "劳工": "worker", "中国": "China"}.get, kinds=language())


def _number_question(text: str):
    return question_about(["劳工"], answer_type="number", language="en", text=text)


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        # a share does not count workers, tonnes do not count flights, money does not count plans
        ("Roughly how many Kazakh workers are there?", "哈萨克族只占42.7％。", None),
        ("How many flights were sent?", "派出一架飞机，载运28吨药品。", None),
        ("How many plans were there?", "投资高达192亿美元。", None),
        # … but a count does, and a question asking for money or a share is answered with one
        ("Roughly how many Kazakh workers are there?", "哈萨克族只占42.7％，约有7万名劳工。", "70,000"),
        ("How much money did they invest?", "有56名劳工，投资高达192亿美元。", "As much as 19.2 billion US dollars"),
        ("What share of the population is Kazakh?", "有7万名劳工，哈萨克族占42.7％。", "42.7%"),
    ],
    ids=["share for a count", "tonnes for a count", "money for a count", "count kept", "money asked", "share asked"],
)
def test_a_figure_of_another_kind_than_asked_is_not_stated(kind_aware_lead, text, quote, expected):
    stated = kind_aware_lead.statement(_number_question(text), quote)
    assert stated == expected if expected is None else stated.startswith(expected)


def test_a_models_number_is_not_an_amount(kind_aware_lead):
    quote = "哈萨克斯坦派出一架波音（Boeing）767飞机前往乌克兰。"
    assert kind_aware_lead.statement(_number_question("How many planes went?"), quote) is None


def test_a_name_after_the_figure_is_not_what_it_counts(kind_aware_lead):
    """56个中国出资的计划 counts plans: "56 China" would be nonsense, so nothing is stated."""
    assert kind_aware_lead.statement(_number_question("How many plans?"), "约有56个中国出资的计划。") is None


@pytest.mark.parametrize(
    ("text", "answer_type", "quote"),
    [
        # a follow-up that asks nothing of the earlier question's type: its date or figure is no answer
        ("Did the two ministers discuss it?", "date", "1月7日，两国外长通了电话。"),
        ("what's part of that money for", "number", "国防预算增加了4,410亿坚戈。"),
        # the question asks who; "when" opens a clause
        ("Who was he talking to when he said it?", "date", "7月4日，他在电话中表示。"),
        ("What did they sign when he flew there in May?", "date", "5月初，两国签署了协议。"),
        # "when" inside a sentence opens a clause: this asks for a stance, not a date
        ("What was the official line when the troops arrived?", "date", "1月7日，发言人表示支持。"),
    ],
    ids=["yes-no follow-up", "purpose follow-up", "who before when", "what before when", "clause when"],
)
def test_no_statement_of_a_type_the_message_does_not_ask_first(kind_aware_lead, text, answer_type, quote):
    question = question_about(["表示"], answer_type=answer_type, language="en", text=text)
    assert kind_aware_lead.statement(question, quote) is None


def test_a_when_that_starts_a_second_ask_asks_for_a_date(kind_aware_lead):
    question = question_about(["表示"], answer_type="date", language="en", text="Who spoke, and when did he say it?")
    assert kind_aware_lead.statement(question, "7月4日，他在电话中表示。") is None  # who comes first
    question = question_about(["表示"], answer_type="date", language="en", text="So when did he say it?")
    assert kind_aware_lead.statement(question, "7月4日，他在电话中表示。") == "4 July"


def test_the_type_the_message_asks_first_is_stated(kind_aware_lead):
    question = question_about(["访问"], answer_type="date", language="en", text="When did she visit, and who met her?")
    assert kind_aware_lead.statement(question, "4月下旬，乌兹拉．泽雅（Uzra Zeya）进行了访问。") == "Late April"


def test_a_name_the_question_already_says_in_english_is_not_the_answer(kind_aware_lead):
    question = question_about(["访问"], answer_type="person", language="en", text="Who did Uzra Zeya visit?")
    assert kind_aware_lead.statement(question, "副国务卿乌兹拉．泽雅（Uzra Zeya）进行了访问。") is None


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("驻美大使阿什克·巴耶夫（Erlan Ashkbayev）会见了总统。", "Erlan Ashkbayev"),
        ("外交部长卡扎克巴耶夫（Ruslan Kazakbayev）举办了发布会。", None),  # about someone else
    ],
)
def test_a_name_is_stated_only_from_a_quote_that_shares_a_word_with_the_question(lead, quote, expected):
    question = question_about(["大使"], answer_type="person", language="en", text="who was the ambassador")
    assert lead.statement(question, quote) == expected


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("Who is Tokayev?", None),  # asks what he is: a name in the quote is not the answer
        ("who was zeya", None),
        ("Can you tell me who Zeya is?", None),  # asked politely: still what she is
        ("Can you tell me who visited in April?", "Uzra Zeya"),
        ("Who visited Kazakhstan in April?", "Uzra Zeya"),
        ("Who is the official that visited in April?", "Uzra Zeya"),  # "the official": asks for a name
    ],
)
def test_a_who_is_question_about_someone_named_asks_what_they_are_not_for_a_name(lead, text, stated):
    quote = "副国务卿乌兹拉．泽雅（Uzra Zeya）对哈萨克斯坦进行了访问。"
    question = question_about(["访问"], answer_type="person", language="en", text=text)
    assert lead.statement(question, quote) == stated


def test_who_holds_the_role_asked_about_is_stated_although_the_quote_names_others_too():
    # The names come from a fake lookup; RoleNames reads the quote with real jieba and the entity list.
    names = {"普京": "Putin", "托卡耶夫": "Tokayev"}.get
    asked = question_about(["总统"], answer_type="person", language="en", text="Who is Russia's president?")
    question = replace(asked, focus_nouns=("总统",), terms=(Term(("俄罗斯",), 1.0, True), Term(("总统",), 1.0, True)))
    quote = "俄罗斯总统普京召开了视频峰会，并与托卡耶夫通了电话。"
    assert EnglishLead(name_of=names).statement(question, quote) is None  # two names: no guess
    assert EnglishLead(name_of=names, role_names=RoleNames()).statement(question, quote) == "Putin"
    # Asked about another country's president, the name after 俄罗斯总统 holds no role asked about.
    other = replace(question, terms=(Term(("哈萨克斯坦",), 1.0, True), Term(("总统",), 1.0, True)),
                    resolved=replace(question.resolved, focus="Who is Kazakhstan's president?"))  # fmt: skip
    assert EnglishLead(name_of=names, role_names=RoleNames()).statement(other, quote) is None


def test_a_country_jieba_tags_like_a_name_is_never_who_was_asked_for():
    """Who is the Chinese foreign minister? was headlined "KAZ": jieba tags 哈萨克斯坦 as a name."""
    names = {"哈萨克斯坦": "Kazakhstan"}.get
    quote = "中国外交部发言人表示，希望哈萨克斯坦局势尽快稳定。"
    text = "Who is the Chinese foreign minister?"
    question = question_about(["外交部"], answer_type="person", language="en", text=text)
    assert EnglishLead(name_of=names).statement(question, quote) == "Kazakhstan"  # what it did
    assert EnglishLead(name_of=names, countries=frozenset({"哈萨克斯坦"})).statement(question, quote) is None
