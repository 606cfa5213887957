"""EntityMatcher over the catalog in resources/entities.toml."""

import pytest

from chat_app.engine.entities import EntityMatcher


@pytest.fixture(scope="module")
def matcher():
    return EntityMatcher()


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("普丁说俄军会撤出", ("俄罗斯",)),
        ("白俄罗斯是唯一支持的国家", ("白俄罗斯",)),  # 白俄罗斯 is not 俄罗斯
        ("How did Uzbekistan vote at the UN?", ("乌兹别克斯坦", "联合国")),
        ("students on the campus", ()),  # "us" is not a word here
        ("How much US aid does Kyrgyzstan get?", ("美国", "吉尔吉斯斯坦")),  # "US" as written is the country …
        ("tell us what Russia wants", ("俄罗斯",)),  # … "us" is a pronoun
        ("a USB stick", ()),
        ("哈萨克斯坦的首都", ()),  # every article is about it: ignored unless asked for
        ("其中哈萨克族占多少？", ()),  # 其中 + 哈萨克族 holds 中哈 (China–Kazakhstan) but names no China
        ("其中俄罗斯族占比不足20%", ("俄罗斯",)),  # … nor does 其中俄 name China
        ("俄乌战争后哈萨克斯坦加了多少国防预算", ()),  # the war's name frames the question, naming neither side
        ("俄乌冲突以后俄罗斯对哈萨克斯坦什么态度", ("俄罗斯",)),  # … Russia named outside it still counts
        ("在这当中俄罗斯最着急", ("俄罗斯",)),
        ("1990年人口中俄罗斯人比例达到40%", ("俄罗斯",)),  # 人口中 + 俄罗斯: no China–Russia here
        ("中国中亚天然气管道", ("中国",)),
        ("中哈原油管道", ("中国",)),  # the same two characters as a word of their own
        ("撒马尔罕峰会接收了哪个国家为成员国？", ()),  # a city that hosted a meeting says where, not whom
        ("乌兹别克斯坦总统在撒马尔罕说了什么", ("乌兹别克斯坦",)),
    ],
)
def test_named_entities(matcher, text, named):
    assert matcher.named(text) == named


def test_the_ignored_entity_is_found_on_request(matcher):
    assert matcher.named("哈国的首都", include_ignored=True) == ("哈萨克斯坦",)


def test_first_mention_gives_the_span_to_swap(matcher):
    mention = matcher.first_mention("中国在哈萨克斯坦投资了多少？")
    assert (mention.entity, mention.start, mention.end) == ("中国", 0, 2)


def test_a_text_asked_about_again_names_the_same_entities_with_or_without_the_ignored(matcher):
    # named() remembers its answers per text: the second call must not mix up the two kinds of request
    text = "哈国和中国的关系"
    assert matcher.named(text) == ("中国",)
    assert matcher.named(text, include_ignored=True) == ("哈萨克斯坦", "中国")  # catalog order
    assert matcher.named(text) == ("中国",)


def test_a_peer_mention_is_one_of_the_same_group_ignored_or_not(matcher):
    mention = matcher.first_peer_mention("吉尔吉斯斯坦", "中国在哈萨克斯坦投资了多少？")
    assert mention is not None and mention.entity == "哈萨克斯坦" and mention.start == 3
    assert matcher.first_peer_mention("吉尔吉斯斯坦", "中国和俄罗斯在中亚的分工") is None  # no peer named
    assert matcher.first_peer_mention("中国", "俄罗斯在哈萨克斯坦投资了多少？") is None  # China has no group


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("托卡耶夫表示", {"托卡耶夫"}),
        ("why did Tokayev say no", {"托卡耶夫"}),  # an English name is the same person
        ("纳扎尔巴耶夫和托卡耶夫", {"托卡耶夫", "纳扎尔巴耶夫"}),
        ("哈萨克斯坦总统表示", set()),  # the office is not the person
        ("tokayevs", set()),  # English names as whole words
    ],
)
def test_people_are_found_in_either_language(matcher, text, people):
    assert matcher.people_named(text) == people
