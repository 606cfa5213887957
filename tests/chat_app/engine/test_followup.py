"""FollowUpResolver: a message is rewritten only when it leans on the conversation, and a rewrite
keeps every word of the new message."""

import pytest

from chat_app.engine.followup import FollowUpResolver, user_turns


def history(*questions, answers=False):
    turns = []
    for question in questions:
        turns.append({"role": "user", "content": question})
        if answers:
            turns.append({"role": "assistant", "content": "某个回答[1]"})
    return turns


@pytest.fixture(scope="module")
def resolver():
    return FollowUpResolver()


class TestCompleteQuestionsAreNeverRewritten:
    @pytest.mark.parametrize(
        ("message", "earlier"),
        [
            ("今天天气怎么样？", "哈萨克斯坦的首都现在叫什么名字？"),
            ("其他国家在联合国怎么投的票", "哈萨克斯坦在联合国投票时是什么立场？"),  # 其他 and 他国 are words,
            ("他国对中亚安全的看法如何", "哈萨克斯坦在联合国投票时是什么立场？"),  # not pointers
            ("What is the Caspian Pipeline Consortium?", "How long is the border between Russia and Kazakhstan?"),
            ("美国对哈萨克斯坦来说又算什么角色", "中国从哪年开始成了哈国最大的出口市场"),
            ("托卡耶夫在圣彼得堡说了什么？", "中国在哈萨克斯坦投资了多少钱？"),
            ("集安组织有哪些成员国", "为什么哈萨克斯坦没有支持俄罗斯？"),
            ("Is it snowing in Astana right now?", "What's part of that money for?"),  # an "it" pointing at nothing
            ("Is it still raining in Almaty today?", "Who is Tokayev?"),
            ("Is it worth visiting Almaty in winter?", "How long is the border?"),
            ("中国对俄乌冲突是什么态度", "哈萨克斯坦为什么不支持俄罗斯？"),  # says what the attitude is towards
            ("Who is Tokayev?", "How did Russia react to the unrest?"),
            ("How did Russia react to the sanctions?", "Why did Kazakhstan abstain at the UN?"),
            ("那中国和俄罗斯在中亚是什么关系", "哈萨克斯坦为什么不支持俄罗斯？"),
            # a demonstrative right after what it points at, in a message that says what it is about
            ("习近平去阿斯塔纳那次演讲提出了什么倡议？", "哈萨克斯坦在联合国投票时是什么态度？"),
            ("撒马尔罕那场峰会有哪些国家领导人出席", "俄罗斯往哈萨克斯坦派了多少兵？"),
        ],
    )
    def test_a_topic_switch_is_read_on_its_own(self, resolver, message, earlier):
        resolved = resolver.run(message, history(earlier))
        assert resolved.followup == ""
        assert resolved.standalone == resolved.focus == message

    @pytest.mark.parametrize(
        ("message", "question"),
        [
            ("换个话题，这条管道是哪年建成的？", "这条管道是哪年建成的？"),  # a pointer, but the topic is switched
            ("Different question: who is the president of Kazakhstan?", "who is the president of Kazakhstan?"),
            ("By the way, what is it called now?", "what is it called now?"),
        ],
    )
    def test_a_topic_switch_is_never_a_follow_up_and_its_framing_is_not_asked(self, resolver, message, question):
        resolved = resolver.run(message, history("俄哈边境线有多长？"))
        assert resolved.followup == ""
        assert resolved.standalone == resolved.focus == question
        assert resolved.message == message

    def test_a_polite_preamble_is_not_asked_and_does_not_stop_a_follow_up(self, resolver):
        resolved = resolver.run("请问，他给出的理由是什么？", history("托卡耶夫对顿涅茨克是什么态度？"))
        assert resolved.followup == "pointer" and resolved.focus == "他给出的理由是什么？"
        assert "请问" not in resolved.standalone and "托卡耶夫" in resolved.standalone

    def test_framing_alone_stays_what_it_is(self, resolver):
        assert resolver.run("换个话题", []).standalone == "换个话题"

    def test_the_first_message_of_a_conversation_stands_alone(self, resolver):
        resolved = resolver.run("为什么？", [])
        assert resolved.followup == "" and resolved.standalone == "为什么？"


class TestFollowUps:
    @pytest.mark.parametrize(
        ("message", "earlier", "kind"),
        [
            ("为什么？", "哈萨克斯坦为什么没有支持俄罗斯？", "bare"),
            ("具体是哪一年？", "中国什么时候成了哈萨克斯坦最大的投资国", "bare"),
            ("why?", "Did Kazakhstan support Russia's invasion?", "bare"),
            ("Tell me more", "Why did Kazakhstan abstain at the UN?", "bare"),
            ("What year?", "When did Xi propose the Belt and Road?", "bare"),
            ("详细说说", "哈萨克斯坦的石油主要通过什么出口？", "bare"),
            ("他给出的理由是什么？", "托卡耶夫对顿涅茨克是什么态度？", "pointer"),
            ("when was that?", "Xi proposed the Belt and Road in Astana", "pointer"),
            ("Is it true that it's the longest in the world?", "How long is the Russia-Kazakhstan border?", "pointer"),
            ("What's it called now?", "What was the capital of Kazakhstan?", "pointer"),
            ("Is it still used?", "Which pipeline carries Kazakh oil to the Black Sea?", "pointer"),
            ("还有别的原因吗", "为什么哈萨克斯坦要搞贸易多元化", "opener"),
            # a demonstrative jieba glues to what follows (这条路线), or cuts in two (同一 / 时期)
            ("这条路线一共多长？", "中间走廊经过哪些国家？", "pointer"),
            ("同一时期出口了多少？", "去年前十个月进口了多少粮食？", "pointer"),
            ("那会儿的比例是多少", "苏联解体时俄罗斯族占多少？", "pointer"),
            ("这番话俄罗斯怎么回应的", "托卡耶夫在圣彼得堡论坛上说了什么？", "pointer"),
            # … but not after a name alone (中国那边: China's side of what was asked), nor past a pronoun
            ("中国那边做了什么？", "一月骚乱时俄罗斯出兵了吗", "pointer"),
            # a pronoun jieba glues to the next character (它会), and 对此 ("about this")
            ("为什么它会派兵去哈萨克斯坦？", "集安组织是什么？", "pointer"),
            ("美国对此什么反应", "哈萨克斯坦在联合国投票时是什么立场？", "pointer"),
            ("后来法院叫它停运那事怎么收场的", "哈萨克斯坦的石油经过哪条管道出口？", "pointer"),
            # one country and a noun that needs an object: the attitude towards what was just asked about
            ("那中国是什么态度", "哈萨克斯坦为什么不支持俄罗斯打乌克兰？", "relational"),
            ("中国的反应是什么", "一月骚乱时俄罗斯出兵了吗", "relational"),
            ("How did Russia react?", "What did Kazakhstan say about Donetsk and Luhansk?", "relational"),
            ("what was china's position", "Why did Kazakhstan abstain at the UN?", "relational"),
        ],
    )
    def test_an_elliptical_message_carries_the_earlier_topic_and_keeps_its_own_words(
        self, resolver, message, earlier, kind
    ):
        resolved = resolver.run(message, history(earlier))
        assert resolved.followup == kind
        assert resolved.focus == message
        assert message in resolved.standalone and earlier.rstrip("？?") in resolved.standalone
        assert resolved.context == earlier

    @pytest.mark.parametrize(
        ("message", "earlier", "expected"),
        [
            (
                "那苏联刚解体那会儿呢？",
                "哈萨克斯坦现在俄罗斯族人多吗？",
                "哈萨克斯坦俄罗斯族人多吗，那苏联刚解体那会儿呢？",
            ),
            ("去年呢？", "今年中哈贸易额是多少？", "中哈贸易额是多少，去年呢？"),
            ("1997年以前呢？", "哈萨克斯坦的首都现在叫什么？", "哈萨克斯坦的首都叫什么，1997年以前呢？"),
            (
                "What about back then?",
                "What share of the people are Russian now?",
                "What share of the people are Russian What about back then?",
            ),
            # no time of its own: the earlier question's time stays
            ("那哈萨克族呢？", "哈萨克斯坦现在俄罗斯族人多吗？", "哈萨克斯坦现在哈萨克族人多吗？"),
            ("他们怎么说？", "俄罗斯现在怎么看待这件事？", "俄罗斯现在怎么看待这件事，他们怎么说？"),
        ],
    )
    def test_a_follow_up_naming_its_own_time_drops_the_earlier_present(self, resolver, message, earlier, expected):
        assert resolver.run(message, history(earlier)).standalone == expected

    @pytest.mark.parametrize(
        ("message", "earlier", "expected"),
        [
            (
                "白俄罗斯呢？它对俄乌战争啥态度",
                "乌兹别克斯坦承认顿巴斯独立吗",
                "白俄罗斯承认顿巴斯独立吗，它对俄乌战争啥态度",
            ),
            ("那中国呢，为什么？", "俄罗斯为什么出兵哈萨克斯坦？", "中国为什么出兵哈萨克斯坦，为什么？"),
            (
                "去年呢？全年多少",
                "今年前9个月俄哈贸易额多少",
                "前9个月俄哈贸易额多少，去年呢？全年多少",
            ),  # no one to swap
        ],
    )
    def test_a_message_opening_with_an_elliptical_subject_swaps_it_and_keeps_the_rest(
        self, resolver, message, earlier, expected
    ):
        resolved = resolver.run(message, history(earlier))
        assert resolved.standalone == expected and resolved.followup in ("swap", "ellipsis")

    def test_a_swap_after_a_follow_up_that_named_no_one_swaps_in_the_question_it_was_read_as(self, resolver):
        resolved = resolver.run("那中国呢？", history("俄罗斯对哈萨克斯坦投资多少？", "排第几？"))
        assert resolved.followup == "swap" and resolved.standalone == "中国对哈萨克斯坦投资多少，排第几？"

    @pytest.mark.parametrize(
        ("message", "earlier", "expected"),
        [
            ("那俄罗斯呢？", "中国在哈萨克斯坦投资了多少钱？", "俄罗斯在哈萨克斯坦投资了多少钱？"),
            ("那中国呢？", "哈萨克斯坦对俄罗斯出口多少", "哈萨克斯坦对中国出口多少"),
            (
                "What about China?",
                "How much did Russia invest in Kazakhstan?",
                "How much did China invest in Kazakhstan?",
            ),
            ("乌兹别克斯坦呢？", "侨汇在塔吉克斯坦的经济里占多大比重", "侨汇在乌兹别克斯坦的经济里占多大比重"),
            # the people's name replaces the other people's whole name, not only its country part
            ("那哈萨克族呢？", "现在俄罗斯族占人口多少？", "现在哈萨克族占人口多少？"),
            ("那跟俄罗斯呢？", "哈萨克斯坦跟中国的贸易额有多少？", "哈萨克斯坦跟俄罗斯的贸易额有多少？"),  # 那 + 跟
            # a peer replaces a peer (entities.toml `group`), wherever it stands and though it is the
            # country every article is about
            (
                "那吉尔吉斯斯坦呢？",
                "哈萨克斯坦为什么不支持俄罗斯打乌克兰？",
                "吉尔吉斯斯坦为什么不支持俄罗斯打乌克兰？",
            ),
            ("那吉尔吉斯斯坦呢？", "中国在哈萨克斯坦投资了多少？", "中国在吉尔吉斯斯坦投资了多少？"),
            (
                "What about Uzbekistan?",
                "Why did Kazakhstan abstain at the UN?",
                "Why did Uzbekistan abstain at the UN?",
            ),
            # across languages the earlier question keeps its own, with the name as it writes it
            ("What about China?", "俄罗斯和哈萨克斯坦的边境有多长？", "中国和哈萨克斯坦的边境有多长？"),
            (
                "那俄罗斯呢？",
                "How much has China invested in Kazakhstan?",
                "How much has Russia invested in Kazakhstan?",
            ),
            ("What about the US?", "中国给了哈萨克斯坦多少援助", "美国给了哈萨克斯坦多少援助"),
            # the country goes where the earlier one was, not "between with China"
            (
                "And with China?",
                "How long is the border between Russia and Kazakhstan?",
                "How long is the border between China and Kazakhstan?",
            ),
        ],
    )
    def test_what_about_x_swaps_the_subject_of_the_earlier_question(self, resolver, message, earlier, expected):
        resolved = resolver.run(message, history(earlier))
        assert resolved.followup == "swap"
        assert resolved.standalone == resolved.focus == expected

    def test_a_swap_drops_only_the_little_words_before_the_name_and_keeps_what_follows_it(self, resolver):
        resolved = resolver.run("And for China, how much did that grow?", history("How much did Russia invest?"))
        assert resolved.followup == "swap"
        assert "China, how much did that grow" in resolved.standalone and "Russia" not in resolved.standalone
        assert "for China" not in resolved.standalone

    def test_an_elliptical_subject_that_names_no_entity_is_added_to_the_earlier_question(self, resolver):
        resolved = resolver.run("跟亚洲国家的呢？", history("今年哈国和欧亚经济联盟的贸易占比是多少"))
        assert resolved.followup == "ellipsis" and resolved.focus == "跟亚洲国家的呢？"
        assert "亚洲国家" in resolved.standalone and "欧亚经济联盟" in resolved.standalone

    def test_swaps_chain_through_a_conversation(self, resolver):
        turns = history("侨汇在吉尔吉斯斯坦的经济里占多大比重", "那塔吉克斯坦呢")
        assert resolver.run("乌兹别克斯坦呢？", turns).standalone == "侨汇在乌兹别克斯坦的经济里占多大比重"

    def test_assistant_turns_do_not_change_the_reading(self, resolver):
        plain = resolver.run("那俄罗斯呢？", history("中国在哈萨克斯坦投资了多少钱？"))
        with_answers = resolver.run("那俄罗斯呢？", history("中国在哈萨克斯坦投资了多少钱？", answers=True))
        assert plain == with_answers


@pytest.mark.parametrize(
    "turns",
    [
        [{"role": "user"}, {"role": "system", "content": "x"}, "not a message", {"content": "no role"}],
        [{"role": "user", "content": "   "}],
        None,
    ],
)
def test_malformed_history_entries_are_skipped(turns):
    assert user_turns(turns) == []


def test_a_short_question_naming_nothing_of_its_own_asks_about_the_topic_at_hand():
    from chat_app.engine.vocabulary import Vocabulary

    resolver = FollowUpResolver(vocabulary=Vocabulary(["集安组织现有6个成员国。", "它成立于2002年。"]))
    resolved = resolver.run("现在有几个成员国？", history("集安组织是什么时候成立的？"))
    assert resolved.followup == "subjectless"
    assert "集安组织" in resolved.standalone and resolved.focus == "现在有几个成员国？"
    # a word the articles never use gives a message a topic of its own
    assert resolver.run("今天天气怎么样？", history("集安组织是什么时候成立的？")).followup == ""


def test_a_verb_the_articles_never_use_beside_a_word_they_do_use_still_asks_about_the_topic_at_hand():
    from chat_app.engine.vocabulary import Vocabulary

    resolver = FollowUpResolver(vocabulary=Vocabulary(["国防预算增加了4,410亿坚戈（约合9.18亿美元）。"]))
    resolved = resolver.run("折合成美元大概是多少？", history("今年的国防预算增加了多少？"))
    assert resolved.followup == "subjectless" and "国防预算" in resolved.standalone
    # … but an unknown verb alone, or an unknown noun, is a message of its own
    assert resolver.run("好吃吗？", history("今年的国防预算增加了多少？")).followup == ""
    assert resolver.run("今天天气怎么样？", history("今年的国防预算增加了多少？")).followup == ""


def test_words_that_cannot_be_a_topic_do_not_make_a_short_question_stand_alone():
    # 每个 and 大概 (a pronoun and an adverb to jieba) are not in these articles, yet "那平均每个月大概多少"
    # still asks about the coal just asked about.
    from chat_app.engine.vocabulary import Vocabulary

    resolver = FollowUpResolver(vocabulary=Vocabulary(["1—5月对欧盟出口煤炭150万吨，平均每月30万吨。"]))
    resolved = resolver.run("那平均每个月大概多少？", history("1到5月对欧盟出口了多少煤炭？"))
    assert resolved.followup == "subjectless"
    assert "煤炭" in resolved.standalone
