"""AnswerReferent: he/she in a follow-up to a who-question, and the person a quote of its answer names.

Real jieba and the real entity catalog; the sentences are invented, not the corpus's."""

import pytest

from chat_app.engine.referent import AnswerReferent, Person


@pytest.fixture(scope="module")
def referent():
    return AnswerReferent()


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("他后来去了哪里？", "他"),
        ("她的继任者是谁", "她"),
        ("What did he say next?", "he"),
        ("where'd she go after that?", "she"),
        ("What happened to him afterwards?", "him"),
    ],
)
def test_a_pronoun_for_one_person_is_found(referent, message, said):
    where = referent.pronoun(message)
    assert where is not None and message[where[0] : where[1]] == said


@pytest.mark.parametrize("message", ["其他国家呢？", "他们后来怎么样了", "What did they agree on?", "那中国呢？"])
def test_words_that_only_contain_the_pronoun_or_name_several_people_are_not_it(referent, message):
    assert referent.pronoun(message) is None


@pytest.mark.parametrize(
    ("quote", "asked", "roles", "person"),
    [
        # a name jieba cuts into pieces (a lone character before the rest) is read whole
        ("当局以叛国罪逮捕了安全委员会主席马西莫夫。", "谁被以叛国罪抓了？", (), Person("马西莫夫")),
        # given name and surname joined by a dot, with the Latin form the quote gives
        (
            "他与该国外长鲁斯兰·卡扎克巴耶夫（Ruslan Kazakbayev）举行了会谈。",
            "Who did he meet?",
            (),
            Person("鲁斯兰·卡扎克巴耶夫", "Ruslan Kazakbayev"),
        ),
        # the title the question asks the holder of
        ("现任总统托卡耶夫年轻时在莫斯科读书。", "现在的总统是谁？", ("总统",), Person("托卡耶夫")),
    ],
)
def test_the_person_named_after_a_title_is_read(referent, quote, asked, roles, person):
    assert referent.person(quote, asked, roles) == person


@pytest.mark.parametrize(
    ("quote", "asked"),
    [
        # the title the question itself uses names its subject, not the person it asks for
        ("副国务卿泽雅访问了该国。", "副国务卿去的时候跟谁一起开的发布会？"),
        # a title with no name after it
        ("总理的职位一度空缺。", "谁被抓了？"),
        ("主席国和客人国的领导人都出席了。", "谁出席了？"),
        # a name the question already gives is not what it asks for
        ("外长马西莫夫发表了讲话。", "马西莫夫见了谁？"),
    ],
)
def test_no_person_is_read_where_the_quote_names_none_the_question_asks_for(referent, quote, asked):
    assert referent.person(quote, asked) is None


def test_the_pronoun_is_replaced_by_the_name_in_the_messages_language(referent):
    person = Person("鲁斯兰·卡扎克巴耶夫", "Ruslan Kazakbayev")
    zh, en = "他后来怎么样了？", "What happened to him afterwards?"
    assert referent.rewrite(zh, referent.pronoun(zh), person) == "鲁斯兰·卡扎克巴耶夫后来怎么样了？"
    assert referent.rewrite(en, referent.pronoun(en), person) == "What happened to Ruslan Kazakbayev afterwards?"
    assert referent.rewrite(en, referent.pronoun(en), Person("马西莫夫")) == "What happened to 马西莫夫 afterwards?"


@pytest.mark.parametrize(
    ("asked", "named"),
    [
        ("马西莫夫是谁？", Person("马西莫夫")),
        ("托卡耶夫到底是谁", Person("托卡耶夫")),
        ("Who is Kadri Liik?", Person("Kadri Liik", "Kadri Liik")),
        ("哈萨克斯坦现在的总统是谁？", None),  # asks for a role's holder: the answer names him
        ("托卡耶夫的前任是谁？", None),  # names someone, but asks about another
        ("Who is the president of Kazakhstan?", None),
        ("他当过什么职务？", None),  # asks no who
    ],
)
def test_a_question_that_only_asks_who_someone_is_names_the_person_he_stands_for_next(referent, asked, named):
    assert referent.named_by(asked) == named
