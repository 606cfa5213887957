"""Read a message in its conversation: decide first whether it leans on an earlier question, and
only then rewrite it.

A message is a follow-up only when it shows it: a pronoun or demonstrative ("他给出的理由"), an
elliptical "那X呢 / what about X", an opener with nothing of its own ("还有别的吗"), or no content
word at all ("为什么？"). A complete question ("今天天气怎么样？") is never rewritten, and a rewrite
keeps every word of the new message: the earlier question is added as context, or, for "那X呢",
its subject is swapped for X.

Hand-written rules over word lists in resources/language.toml: no library decides this for
Chinese, and an LLM (when configured) is asked only after this decision says "follow-up".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import jieba

from chat_app.engine.entities import EntityMatcher
from chat_app.engine.records import ResolvedQuestion
from chat_app.engine.resources import Language, language
from chat_app.engine.text import any_phrase
from chat_app.engine.vocabulary import Vocabulary
from index.jieba_dictionary import posseg
from ingest.chinese_text import HAN, stopwords

_STOPWORDS = stopwords("keyword_search")
_END_PUNCTUATION = "？?。.!！~～…，,、 "
_EN_WORD = re.compile(r"[a-z][a-z'’.-]*")
_EN_TOKEN = re.compile(r"[a-z]+")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_CLAUSE_END = re.compile(r"[？?，,；;]")  # where "去年呢？" ends and the rest of the message starts
_FRAMING_END = r"\s*[,，:：;；、.。!！—-]*\s*"  # the marks after 换个话题 / "By the way"
_EN_WHAT_ABOUT = re.compile(r"^(?:(?:and|so|but|ok|okay)[, ]+)?(?:what|how) about\s+(?P<rest>.+)$|^and\s+(?P<and>.+)$")
# A subject this long is a new question, not an ellipsis ("那俄罗斯国内对这件事的反应呢" still is).
_MAX_ELLIPTICAL_CHARS = 14
_MAX_ELLIPTICAL_WORDS = 6
_MAX_SUBJECTLESS_CHARS = 10  # longer questions usually say what they are about
_MAX_RELATIONAL_CHARS = 12  # "那中国是什么态度" (8); a longer message says what the attitude is towards
# jieba's tags for pronouns, adverbs, numerals, measure words, particles, prepositions, conjunctions and
# interjections: such a word (每个, 大概) cannot give a message a topic, whether or not the articles use it.
_FUNCTION_TAGS = frozenset("rdmqupcye")

History = Sequence[Mapping[str, str]]


class FollowUpResolver:
    def __init__(self, *, entities: EntityMatcher | None = None, words: Language | None = None,
                 vocabulary: Vocabulary | None = None):  # fmt: skip
        self._entities = entities or EntityMatcher()
        self._vocabulary = vocabulary
        self._words = words or language()
        pointers = self._words.zh_pointers
        # Two-character pointers made of a one-character one and a classifier (这条, 那时): a word
        # starting with one points back too; pointers of three or more characters are looked for in the text.
        self._zh_demonstratives = tuple(p for p in pointers if len(p) == 2 and p[0] in pointers)
        self._zh_pointer_phrases = tuple(p for p in pointers if len(p) >= 3)
        # Framing before a question, longest phrase first: (pattern, whether it switches the topic).
        self._framing = tuple(
            (re.compile(rf"\s*(?:{'|'.join(map(re.escape, phrases))})(?![a-z]){_FRAMING_END}", re.IGNORECASE), switches)
            for phrases, switches in ((self._words.topic_switches, True), (self._words.preambles, False))
            if phrases
        )
        # None when the list is empty: an empty alternation would match every message.
        present, own = self._words.present_times, self._words.own_times
        self._present_times = any_phrase(present, re.IGNORECASE) if present else None
        self._own_times = any_phrase(own, re.IGNORECASE) if own else None

    def run(self, message: str, history: History = ()) -> ResolvedQuestion:
        """`message` read after the user turns of `history` (assistant turns are ignored)."""
        previous: ResolvedQuestion | None = None
        for earlier in user_turns(history):
            previous = self._resolve(earlier, previous)
        return self._resolve(message, previous)

    def kind(self, message: str) -> str:
        """Why `message` needs the conversation ("swap", "pointer", "opener", "bare", "relational",
        "subjectless"), or ""
        if it stands alone. A "swap" whose subject names no entity is resolved as an "ellipsis"."""
        text = message.strip().rstrip(_END_PUNCTUATION)
        if not text:
            return ""
        if HAN.search(text):
            return self._zh_kind(text)
        return self._en_kind(text.lower())

    # -- decision -------------------------------------------------------------------------------
    def _zh_kind(self, text: str) -> str:
        if self._zh_elliptical_subject(text) is not None or self._zh_elliptical_opening(text) is not None:
            return "swap"
        words = [w for w in jieba.cut(text) if w.strip()]
        anchors = self._zh_anchors(words)
        # A demonstrative may point within the message only when the message says what it is about: two
        # content words besides names (中国那边做了什么 still asks about the earlier topic).
        own = sum(1 for anchor in anchors if not self._names_entity(anchor)) >= 2
        if any(self._points_back(words, i, within=own) for i in range(1, len(words))) or (
            words and self._zh_pointer(words[0]) and words[0] not in self._words.zh_openers
        ):
            return "pointer"
        if any(phrase in text for phrase in self._zh_pointer_phrases):
            return "pointer"  # 同一时期: a pointer jieba cuts into two words
        if not anchors:
            return "bare"
        opener = next((o for o in self._words.zh_openers if text.startswith(o)), "")
        if opener and len(anchors) <= 1 and not self._entities.named(text):
            return "opener"
        if self._relational(text, anchors):
            return "relational"
        if self._lacks_subject(text, anchors):
            return "subjectless"
        return ""

    def _relational(self, text: str, anchors: list[str]) -> bool:
        """A short message naming one country or leader and otherwise only a noun that needs an object
        ("那中国是什么态度", "俄罗斯的反应如何"): it asks the earlier question's topic about that one."""
        if len(HAN.findall(text)) > _MAX_RELATIONAL_CHARS:
            return False
        if len(self._entities.named(text, include_ignored=True)) != 1:
            return False
        rest = [anchor for anchor in anchors if not self._names_entity(anchor)]
        return bool(rest) and all(anchor in self._words.zh_relational for anchor in rest)

    def _points_back(self, words: list[str], i: int, *, within: bool) -> bool:
        """Whether words[i] (not the first) points at something earlier in the conversation: a pointer
        that names no entity, unless (`within`: the message says what it is about) it is a demonstrative
        right after a word naming what it points at (撒马尔罕那次峰会)."""
        word = words[i]
        if not self._zh_pointer(word) or self._names_entity(word):
            return False
        restrictive = within and len(word) > 1 and word.startswith(self._words.zh_restrictive)
        return not (restrictive and self._zh_anchors([words[i - 1]]))

    def _zh_pointer(self, word: str) -> bool:
        """A pointer, or a word jieba made of a demonstrative and what follows it (这条线, 那时候), or one
        its guesser glued from a one-character pointer and the next character (它会, 他会): not a word
        of its dictionary, as 他国 and 其他 are."""
        pointers = self._words.zh_pointers
        if word in pointers or any(word.startswith(d) for d in self._zh_demonstratives):
            return True
        return len(word) == 2 and word[0] in pointers and not jieba.get_FREQ(word)

    def _lacks_subject(self, text: str, anchors: list[str]) -> bool:
        """A short question naming no country, person or year, whose words all occur in the articles,
        asks about the topic at hand ("现在有几个成员国？"), as does one whose only such words are verbs
        beside a word they use ("折合成美元是多少？"); one with another word the articles never use
        ("今天天气怎么样？") has a topic of its own."""
        if self._vocabulary is None or len(HAN.findall(text)) > _MAX_SUBJECTLESS_CHARS:
            return False
        if self._entities.named(text, include_ignored=True) or _YEAR.search(text):
            return False
        tags = dict(posseg.cut(text))
        function_words = {word for word, tag in tags.items() if tag[:1] in _FUNCTION_TAGS}
        unknown = [w for w in anchors if not self._vocabulary.known(w) and w not in function_words]
        if not unknown:
            return True
        # A verb the articles never use ("折合成美元") asks about the topic at hand when the message names
        # something they do use; a word of its own with nothing else ("好吃吗", "今天天气") is a new topic.
        known = [w for w in anchors if w not in unknown]
        return bool(known) and all(tags.get(w, "")[:1] == "v" for w in unknown)

    def _en_kind(self, text: str) -> str:
        if _EN_WHAT_ABOUT.match(text) and len(text.split()) <= _MAX_ELLIPTICAL_WORDS + 2:
            return "swap"
        words = _EN_WORD.findall(text)
        if self._en_points_back(text):
            return "pointer"
        content = [w for w in words if w not in _STOPWORDS and w not in self._words.en_scaffold]
        if not content:
            return "bare"
        opener = next((o for o in self._words.en_openers if text.startswith(o + " ")), "")
        if opener and len(content) <= 1 and not self._entities.named(text):
            return "opener"
        if len(words) <= _MAX_ELLIPTICAL_WORDS + 2 and len(self._entities.named(text, include_ignored=True)) == 1:
            rest = [w for w in content if not self._names_entity(w)]
            if rest and all(w in self._words.en_relational for w in rest):
                return "relational"  # "How did Russia react?": to what was just asked about
        return ""

    def _en_points_back(self, text: str) -> bool:
        """A pronoun or demonstrative that refers to something earlier; an impersonal "it" ("is it
        raining", "it's worth …") does not."""
        tokens = _EN_TOKEN.findall(text.replace("’", "'"))  # "it's" → "it", "s"
        for i, token in enumerate(tokens):
            if token not in self._words.en_pointers:
                continue
            if token == "it" and self._impersonal(tokens, i):
                continue
            return True
        return False

    def _impersonal(self, tokens: list[str], at: int) -> bool:
        for token in tokens[at + 1 :]:
            if token in self._words.en_impersonal_it:
                return True
            if token not in self._words.en_it_links:
                return False
        return False

    def _zh_anchors(self, words: list[str]) -> list[str]:
        """Words that give a message a topic of its own: names, years, and content words that are
        either specific to the indexed texts (rare there) or foreign to them (天气)."""
        anchors = []
        for word in words:
            if not HAN.search(word) and not _YEAR.fullmatch(word):
                continue
            if word in _STOPWORDS or word in self._words.zh_scaffold or word in self._words.zh_pointers:
                continue
            if word in self._words.zh_openers or word in self._words.zh_focus_skip or len(word) < 2:
                continue
            anchors.append(word)
        return anchors

    def _zh_elliptical_opening(self, text: str) -> tuple[str, str] | None:
        """("那X呢", the rest) of a message that opens with an elliptical "那X呢" and goes on ("去年呢？2021年
        全年多少", "白俄罗斯呢？它对俄乌战争啥态度"); None otherwise."""
        found = _CLAUSE_END.search(text)
        if found is None:
            return None
        head, rest = text[: found.start()].strip(), text[found.end() :].strip()
        if not rest or self._zh_elliptical_subject(head) is None:
            return None
        return head, rest

    def _zh_elliptical_subject(self, text: str) -> str | None:
        """X of "那X呢" / "X呢" when the message is only that; None otherwise."""
        particle = self._words.zh_ellipsis_particle
        if not text.endswith(particle):
            return None
        subject = text[: -len(particle)].strip("，, ")
        # Prefixes may stack: 那跟俄罗斯呢 (那 + 跟).
        stripped = True
        while stripped:
            stripped = False
            for prefix in self._words.zh_subject_prefixes:
                if subject.startswith(prefix) and len(subject) > len(prefix):
                    subject, stripped = subject[len(prefix) :], True
                    break
        for suffix in self._words.zh_subject_suffixes:
            if subject.endswith(suffix) and len(subject) > len(suffix):
                subject = subject[: -len(suffix)]
                break
        if not subject or len(subject) > _MAX_ELLIPTICAL_CHARS:
            return None
        if any(word in self._words.zh_scaffold for word in jieba.cut(subject) if len(word) > 1):
            return None  # "为什么是他呢" asks something; it is not a bare subject
        return subject

    def _names_entity(self, word: str) -> bool:
        return bool(self._entities.named(word, include_ignored=True))

    # -- rewrite --------------------------------------------------------------------------------
    def _resolve(self, message: str, previous: ResolvedQuestion | None) -> ResolvedQuestion:
        said = message.strip()
        message, switched = self._without_framing(said)
        kind = self.kind(message) if previous is not None and not switched else ""
        if previous is None or not kind:
            return ResolvedQuestion(message=said, standalone=message, focus=message)
        if kind == "swap":
            opening = self._zh_elliptical_opening(message) if HAN.search(message) else None
            elliptical, rest = opening or (message, "")
            swapped = self._swap(elliptical, previous.focus)
            if swapped is None and previous.followup not in ("", "swap"):
                # The earlier message leaned on its own predecessor ("排第几？" after "俄罗斯投资了多少？"):
                # its subject is in the question it was read as.
                swapped = self._swap(elliptical, previous.standalone)
            if swapped is not None:
                if rest:  # "白俄罗斯呢？它对俄乌战争啥态度": the earlier question about 白俄罗斯, then the rest
                    swapped = f"{swapped.rstrip(_END_PUNCTUATION)}，{rest}"
                return ResolvedQuestion(said, swapped, swapped, context=previous.standalone, followup=kind)
            kind = "ellipsis"  # "明年呢？" names no entity to swap: it adds to the earlier question instead
        joiner = "，" if HAN.search(previous.standalone) else " "
        topic = previous.standalone.rstrip(_END_PUNCTUATION)
        if self._own_times is not None and (self._own_times.search(message) or _YEAR.search(message)):
            topic = self._without_present(topic)
        return ResolvedQuestion(
            message=said,
            standalone=f"{topic}{joiner}{message}",
            focus=message,
            context=previous.standalone,
            followup=kind,
        )

    def _without_present(self, topic: str) -> str:
        """The earlier question without its present-time words: the follow-up names its own time."""
        if self._present_times is None:
            return topic
        kept = self._present_times.sub("", topic)
        return re.sub(r"\s{2,}", " ", kept).strip() or topic

    def _without_framing(self, message: str) -> tuple[str, bool]:
        """`message` without words before it that only frame it (换个话题，… / "Quick question: …"), and
        whether they switch the topic. A message that is nothing but such words stays as it is."""
        for pattern, switches in self._framing:
            found = pattern.match(message)
            if found and found.end() < len(message):
                return message[found.end() :], switches
        return message, False

    def _swap(self, message: str, previous: str) -> str | None:
        """The earlier question with its subject replaced by the message's: "那俄罗斯呢？" after
        "中国投资了多少？" → "俄罗斯投资了多少？". None when either side names no entity."""
        text = message.strip().rstrip(_END_PUNCTUATION)
        if HAN.search(text):
            subject = self._zh_elliptical_subject(text)
        else:
            match = _EN_WHAT_ABOUT.match(text.lower())
            subject = (match.group("rest") or match.group("and")) if match else None
            if subject is not None:
                start = text.lower().index(subject)
                subject = text[start : start + len(subject)]
        if not subject:
            return None
        new = self._entities.first_mention(subject, include_ignored=True)
        # The subject to replace: a peer of the new one (吉尔吉斯斯坦 for 哈萨克斯坦), else a named country or
        # leader before the country every article is about.
        old = (
            (self._entities.first_peer_mention(new.entity, previous) if new is not None else None)
            or self._entities.first_mention(previous)
            or self._entities.first_mention(previous, include_ignored=True)
        )
        if new is None or old is None or new.entity == old.entity:
            return None
        if not HAN.search(text) and all(w in _STOPWORDS for w in _EN_WORD.findall(subject[: new.start].lower())):
            # "And with China?" swaps in "China", not "with China" ("the border between with China …");
            # what follows the name stays ("Kyrgyzstan, how big are remittances there").
            subject = subject[new.start :]
        end = old.end
        if bool(HAN.search(subject[new.start : new.end])) != bool(HAN.search(previous[old.start : old.end])):
            # "What about China?" after a Chinese question (or 那俄罗斯呢 after an English one): the earlier
            # question keeps its language, with the name as it writes names.
            return previous[: old.start] + self._name_as_in(new.entity, previous[old.start : old.end]) + previous[end:]
        tail = subject[new.end :]
        if tail and previous[end:].startswith(tail):
            end += len(tail)  # 那哈萨克族呢 after 俄罗斯族占多少: 哈萨克族占多少, not 哈萨克族族
        return previous[: old.start] + subject + previous[end:]

    def _name_as_in(self, entity: str, written: str) -> str:
        """`entity`'s name in the language `written` is in: the catalog's (Chinese) name, or its first
        English alias capitalised."""
        item = next(e for e in self._entities.catalog.entities if e.name == entity)
        if HAN.search(written) or not item.en_name:
            return item.name
        return item.en_name.title()


def user_turns(history: History) -> list[str]:
    """The user's earlier messages, oldest first; anything malformed is skipped."""
    turns = []
    for message in history or ():
        if not isinstance(message, Mapping):
            continue
        if message.get("role") == "user" and str(message.get("content") or "").strip():
            turns.append(str(message["content"]).strip())
    return turns
