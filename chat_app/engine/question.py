"""What a question asks for: its language, the kind of answer it expects, and its content terms.

Hand-written rules: no library gives a Chinese question's expected answer type, and these few
patterns (多少/哪一年/谁/为什么 and their English forms) cover the questions users ask here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import jieba.posseg

from chat_app.engine.entities import named_entities
from index.chinese_tokenizer import STOPWORDS, ChineseTokenizer, TokenizerMode
from index.cross_lingual import Lexicon

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class AnswerType(StrEnum):
    NUMBER = "number"
    DATE = "date"
    PERSON = "person"
    PLACE = "place"
    REASON = "reason"
    OTHER = "other"


# Order matters: "哪一年" is a date question even though it contains "哪".
_TYPE_PATTERNS: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (AnswerType.DATE, re.compile(
        r"哪一年|哪年|何时|什么时候|哪天|哪一天|几月|日期|\bwhen\b|what year|which year|what date", re.I)),
    (AnswerType.NUMBER, re.compile(
        r"多少|多长|多大|多高|多远|多久|几个|几次|几倍|几成|比例|比重|比值|占比|百分之|排第几|"
        r"how (?:many|much|long|far|big|large)|what (?:share|percentage|proportion|ratio)", re.I)),
    (AnswerType.PERSON, re.compile(r"谁|哪位|哪个人|什么人|叫什么名字|\bwho\b|\bwhose\b", re.I)),
    (AnswerType.PLACE, re.compile(r"哪里|哪儿|在哪|什么地方|哪个城市|哪个国家|\bwhere\b", re.I)),
    (AnswerType.REASON, re.compile(r"为什么|为何|原因|理由|怎么会|\bwhy\b|what (?:reason|caused)", re.I)),
)  # fmt: skip

# Question scaffolding, not content: never a reason to find (or miss) a sentence.
_QUESTION_WORDS = frozenset(
    """
    多少 多长 多大 多高 多远 多久 几个 几次 第几 哪一年 哪年 哪天 什么时候 何时 哪里 哪儿 哪位 哪个 什么
    为什么 为何 怎么 怎样 如何 是否 是不是 有没有 吗 呢 请问 现在 目前 当时 到底 究竟 主要 具体 大约 大概
    什么样 哪些 情况 问题 说法 表示 认为 给出 名字 叫 做 了 过 是 有 在 对 从 到 等 说 讲 提到 文章 这篇
    """.split()
)


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_QUANTITY_WORD = re.compile(r"多少|几|多长|多大|多高|多远|多久")
# Common nouns this long name a specific topic (议会选举, 常住人口) rather than everyday wording.
_SPECIFIC_NOUN_CHARS = 4
_COPULAS = frozenset("是 有 占 为 达 约 大约 共 一共 总共 了".split())
_ENGLISH_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_ENGLISH_SCAFFOLD = frozenset(
    "according article articles piece say says said tell told know mention mentioned much many long far".split()
)


@dataclass(frozen=True)
class QuestionProfile:
    text: str
    language: str  # "zh" or "en"
    answer_type: AnswerType
    terms: tuple[str, ...]  # Chinese content terms (translated for English questions)
    numbers: tuple[str, ...]  # digits in the question ("2021", "7月")
    untranslated: tuple[str, ...] = ()  # English content words with no Chinese word in the corpus
    # One group per concept the question names: any alternative present counts ("border" →
    # 边境线 / 边境 / 边界). Chinese terms are groups of one.
    groups: tuple[tuple[str, ...], ...] = ()
    entities: tuple[str, ...] = ()  # countries, blocs and leaders named (Kazakhstan excluded)
    years: tuple[str, ...] = ()  # "2023" in "2023年议会选举"
    measured: tuple[str, ...] = ()  # what a "how many/much" question measures: 小麦 in 多少吨小麦
    specific_nouns: tuple[str, ...] = ()  # long common nouns (议会选举): a topic, if the corpus has it


def analyze_question(question: str, *, tokenizer: ChineseTokenizer, lexicon: Lexicon | None) -> QuestionProfile:
    language = "zh" if _HAN.search(question) else "en"
    answer_type = next((kind for kind, pattern in _TYPE_PATTERNS if pattern.search(question)), AnswerType.OTHER)
    untranslated: list[str] = []
    groups: list[tuple[str, ...]] = []
    if language == "zh":
        terms = [t for t in tokenizer(question) if t not in _QUESTION_WORDS and not t.isdigit()]
        groups = [(t,) for t in dict.fromkeys(terms)]
    else:
        terms = list(lexicon.translate(question)) if lexicon else []
        terms += [t for t in tokenizer(question) if any(c.isdigit() for c in t)]
        for word in dict.fromkeys(_ENGLISH_WORD.findall(question.lower())):
            if word in STOPWORDS or word in _ENGLISH_SCAFFOLD:
                continue
            translations = tuple(lexicon.translate(word)) if lexicon else ()
            if translations:
                groups.append(translations)
            else:
                untranslated.append(word)
    numbers = tuple(re.findall(r"\d+(?:[.,]\d+)*", question))
    words = [(w, tag) for w, tag in jieba.posseg.cut(question) if w.strip()] if language == "zh" else []
    return QuestionProfile(
        text=question,
        language=language,
        answer_type=answer_type,
        terms=tuple(dict.fromkeys(terms)),
        numbers=numbers,
        untranslated=tuple(untranslated),
        groups=tuple(groups),
        entities=named_entities(question),
        years=tuple(dict.fromkeys(_YEAR.findall(question))),
        measured=measured_nouns(words) if answer_type == AnswerType.NUMBER else (),
        specific_nouns=tuple(w for w, tag in words if tag == "n" and len(w) >= _SPECIFIC_NOUN_CHARS),
    )


def measured_nouns(words: list[tuple[str, str]]) -> tuple[str, ...]:
    """Nouns next to the quantity word of a Chinese "how many" question (`words`: jieba.posseg pairs).

    "出口了多少吨小麦" → 小麦 (after: numeral, classifier, noun); "失业率是多少" → 失业率 (before:
    noun, then 是/有/占 …). Single characters say too little ("多少兵") and are skipped.
    """
    found: list[str] = []
    for i, (word, _) in enumerate(words):
        if not _QUANTITY_WORD.fullmatch(word):
            continue
        after = [(w, t) for w, t in words[i + 1 : i + 3] if t not in ("m", "q")]
        if after and after[0][1].startswith("n"):
            found.append(after[0][0])
        for w, t in reversed(words[max(0, i - 3) : i]):
            if w in _COPULAS or t in ("uj", "ul", "d"):
                continue  # "失业率是多少": look past 是 to the noun
            if t.startswith("n"):
                found.append(w)
            break  # any other word ("本币缩水了多少": 缩水) means the noun is not what is counted
    return tuple(w for w in dict.fromkeys(found) if len(w) > 1)


def word_tokenizer() -> ChineseTokenizer:
    """The tokenizer question terms and evidence are compared with (same as the term statistics)."""
    return ChineseTokenizer(TokenizerMode.SEARCH)
