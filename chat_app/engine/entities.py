"""The countries, blocs and leaders questions about this corpus name, with the ways articles refer
to them ("俄罗斯" is also 俄国, 俄方, 莫斯科, 普京 …).

Hand-written: a short domain list beats a general NER model here, and none ships offline. 哈萨克斯坦
is left out on purpose: every article is about it, so naming it tells nothing.
"""

from __future__ import annotations

import re

_ALIASES = {
    "中国": "中国|中方|北京|中哈|中俄|习近平|中共|中资|汉语|中文",
    "俄罗斯": "俄罗斯|俄国|俄方|俄军|莫斯科|普京|普丁|俄哈|俄乌|克里姆林宫|俄",
    "美国": "美国|美方|华盛顿|拜登|美俄|美哈|美军",
    "土耳其": "土耳其|安卡拉|土哈",
    "乌克兰": "乌克兰|乌东|基辅|俄乌|顿巴斯",
    "欧盟": "欧盟|欧洲|欧",
    "吉尔吉斯斯坦": "吉尔吉斯斯坦|吉国|吉方",
    "塔吉克斯坦": "塔吉克斯坦|塔吉克",
    "乌兹别克斯坦": "乌兹别克斯坦|乌兹别克",
    "北约": "北约|北大西洋公约组织|NATO",
}
_MENTION = {name: re.compile(pattern) for name, pattern in _ALIASES.items()}
# Names that contain another entity's name ("白俄罗斯" contains "俄罗斯") are masked first.
_MASK = re.compile(r"白俄罗斯|乌兹别克斯坦")


def named_entities(question: str) -> tuple[str, ...]:
    text = _MASK.sub("", question)
    return tuple(name for name in _ALIASES if name in text)


def mentions(entity: str, text: str) -> bool:
    return bool(_MENTION[entity].search(text))
