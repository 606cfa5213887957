"""Which ranked sentences can be quoted as an answer at all.

Shared by the answerability judge and the composer, so that the judge weighs the sentence the answer
will open on: not the article's own question, not a lead-in to a list, not about a different country
than the one asked, and not naming what is asked about only as a former one (前首都 for 首都现在叫什么).
Hand-written: these are properties of Chinese sentences no library reports.
"""

from __future__ import annotations

from collections.abc import Sequence

import jieba

from chat_app.engine.entities import EntityMatcher
from chat_app.engine.records import Question, ScoredSentence
from chat_app.engine.resources import Language, language
from chat_app.engine.text import any_phrase

_LEAD_IN_END = ("：", ":")


class Quotability:
    def __init__(self, words: Language | None = None, entities: EntityMatcher | None = None):
        self._words = words or language()
        self._entities = entities or EntityMatcher()
        # A question asking about the past itself: English cues as whole words ("old", not the end of
        # "told"), Chinese ones anywhere.
        self._past = any_phrase(self._words.past_cues)

    def usable(self, sentence: ScoredSentence, question: Question) -> bool:
        features = sentence.features
        if features.get("is_question") or features.get("other_entity"):
            return False
        if sentence.candidate.text.rstrip().endswith(_LEAD_IN_END):
            return False  # "…尤为值得关注：" announces what follows and says nothing itself
        if self.about_a_peer(sentence, question):
            return False
        return not self.former_only(sentence.candidate.text, question)

    def about_a_peer(self, sentence: ScoredSentence, question: Question) -> bool:
        """The sentence is about a peer of the country asked about instead (哈萨克斯坦投了弃权票 for how
        Uzbekistan voted): the ranker's other_entity leaves out the country every article is about."""
        return self._entities.about_a_peer_instead(sentence.candidate.text, question.standalone)

    def lead(self, sentences: Sequence[ScoredSentence], question: Question) -> ScoredSentence | None:
        """The sentence an answer opens on: the best usable one (the best one if none is usable)."""
        return next((s for s in sentences if self.usable(s, question)), sentences[0] if sentences else None)

    def former_only(self, text: str, question: Question) -> bool:
        """The noun asked about occurs in `text` only after a former-prefix (前首都), and the question does
        not ask about the past. Only that noun: 前苏联 is the Soviet Union itself, not a former one."""
        nouns = [noun for noun in question.focus_nouns if noun in text]
        if not nouns or self._past.search(question.standalone.lower()):
            return False
        words = jieba.lcut(text)
        for noun in nouns:
            spots = [i for i, word in enumerate(words) if word == noun]
            if spots and all(i > 0 and words[i - 1] in self._words.former_prefixes for i in spots):
                return True
        return False
