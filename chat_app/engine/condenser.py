"""Turn an elliptical follow-up ("那中国呢？", "为什么？", "他给出的理由是什么？") into a question
that can be searched on its own, without an LLM.

Rules rather than a model: a follow-up is elliptical when it is short, opens with a connective, or
leans on a pronoun; it then carries the previous question's topic. "那X呢？" swaps the previous
question's first named entity for X. With an LLM configured, the LLM condenser is used instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import jieba.posseg

_HAN = re.compile(r"[\u3400-\u9fff]")
_WHAT_ABOUT = re.compile(
    r"^(?:那么?|而|还有|那个)?\s*(?P<entity>[\u4e00-\u9fff·]{1,12}?)\s*(?:呢|怎么样|如何)\s*[？?]?$"
)
_ZH_OPENERS = ("那", "那么", "而", "还有", "另外", "此外", "其中", "他", "她", "它", "这", "该", "其")
_ZH_POINTERS = re.compile(r"他们|她们|它们|他|她|它|这个|那个|这条|这些|那些|这次|该|其中|此事|这一")
_EN_OPENERS = re.compile(r"^(?:and|but|so|what about|how about|why|then)\b", re.I)
_EN_POINTERS = re.compile(r"\b(?:he|she|it|they|them|his|her|its|their|this|that|these|those)\b", re.I)
# Questions this short say too little on their own ("为什么？", "多少？", "Why?").
_SHORT_ZH, _SHORT_EN = 8, 25
_SELF_CONTAINED_ZH = 12
_ENTITY_TAGS = ("ns", "nr", "nt", "nz", "nrt")


def last_user_question(history: Sequence[Mapping[str, str]]) -> str | None:
    for message in reversed(history):
        if message.get("role") == "user" and str(message.get("content", "")).strip():
            return str(message["content"]).strip()
    return None


def is_elliptical(question: str) -> bool:
    text = question.strip()
    if _HAN.search(text):
        core = re.sub(r"[？?。！!，,\s]", "", text)
        if _ZH_POINTERS.search(core) or len(core) <= _SHORT_ZH:
            return True
        # An opener ("那…") before a full question of its own does not make it depend on the last one.
        opener = next((o for o in _ZH_OPENERS if core.startswith(o)), "")
        return bool(opener) and len(core) - len(opener) < _SELF_CONTAINED_ZH
    return len(text) <= _SHORT_EN or bool(_EN_OPENERS.search(text)) or bool(_EN_POINTERS.search(text))


def condense(question: str, history: Sequence[Mapping[str, str]]) -> str:
    """The follow-up as a standalone question (unchanged when it already stands alone)."""
    previous = last_user_question(history)
    if previous is None or not is_elliptical(question):
        return question.strip()
    swapped = _swap_entity(question, previous)
    if swapped:
        return swapped
    separator = "，" if _HAN.search(previous) else " "
    return f"{previous.strip().rstrip('？?。.!！')}{separator}{question.strip()}"


def _swap_entity(question: str, previous: str) -> str | None:
    """ "那中国呢？" after "哈萨克斯坦为什么没有支持俄罗斯？" → "中国为什么没有支持俄罗斯？"."""
    match = _WHAT_ABOUT.match(question.strip())
    if not match:
        return None
    entity = next((word for word, tag in jieba.posseg.cut(previous) if tag in _ENTITY_TAGS), None)
    if entity is None:
        return None
    return previous.replace(entity, match.group("entity"), 1)
