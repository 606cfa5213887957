"""RoleNames on made-up sentences: the name written right after the role's noun (real jieba, the real
entity list)."""

import pytest

from chat_app.engine.role_names import RoleNames


@pytest.fixture(scope="module")
def role_names():
    return RoleNames()


@pytest.mark.parametrize(
    ("nouns", "sentence", "question", "named"),
    [
        (["首都"], "也有报道说，首都努尔苏丹等城市的局势相对稳定。", "首都叫什么？", True),
        (["总统"], "哈萨克斯坦总统托卡耶夫是个中国通。", "哈萨克斯坦总统是谁？", True),  # a leader of the entity list
        (["外长"], "哈萨克斯坦外长特列乌别尔季通报了有关情况。", "外长是谁？", True),  # jieba's name tag
        (["总统"], "哈萨克斯坦实行总统制，总统在外交决策中具有举足轻重的作用。", "哈萨克斯坦总统是谁？", False),
        (["首都"], "在前首都阿拉木图等地，政府机关一度被占领。", "首都叫什么？", False),  # the former one
        (["国防部长"], "4月下旬，中国国防部长魏凤和访问了哈萨克斯坦。", "哈萨克斯坦的国防部长是谁？", False),
        (["国防部长"], "4月下旬，中国国防部长魏凤和访问了哈萨克斯坦。", "中国的国防部长是谁？", True),
        (["首都"], "首都的局势相对稳定。", "首都叫什么？", False),
    ],
    ids=[
        "place",
        "leader",
        "tagged name",
        "the noun alone",
        "former",
        "another country's",
        "the asked country's",
        "no name",
    ],
)
def test_a_name_right_after_the_role_noun(role_names, nouns, sentence, question, named):
    assert role_names.named(nouns, sentence, question) is named


@pytest.mark.parametrize(
    ("nouns", "sentence", "question", "holder"),
    [
        (["首都"], "也有报道说，首都努尔苏丹等城市的局势相对稳定。", "首都叫什么？", "努尔苏丹"),
        (["总统"], "俄罗斯总统普京召开了视频峰会。", "俄罗斯总统是谁？", "普京"),
        (["总统"], "俄罗斯总统普京召开了视频峰会。", "哈萨克斯坦总统是谁？", None),
    ],
)
def test_the_holder_is_the_name_after_the_role_noun(role_names, nouns, sentence, question, holder):
    assert role_names.holder(nouns, sentence, question) == holder
