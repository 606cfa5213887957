"""Whether a sentence names who or what fills the role a question asks about: the name written right
after the noun (首都努尔苏丹, 总统托卡耶夫, 外长特列乌别尔季).

Chinese puts an appositive name straight after its title with no marker, so the kind-of-answer
patterns of language.toml (quotes, Latin letters, 名为) miss it. Hand-written on jieba's tags and the
entity list: no library reports Chinese appositives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import jieba

from chat_app.engine.entities import EntityMatcher
from chat_app.engine.resources import Language, language
from index.jieba_dictionary import posseg

NAME_KIND = "name"  # the [asked_kinds] entry of language.toml asking for a name
_NAME_TAGS = ("nr", "ns", "nt", "nz")  # jieba's tags of person, place, organisation and other proper names
_LOOK = 12  # characters after the noun in which a name must start, and before it in which an owner is read


class RoleNames:
    def __init__(self, *, words: Language | None = None, entities: EntityMatcher | None = None):
        self._words = words or language()
        self._entities = entities or EntityMatcher()

    def named(self, nouns: Sequence[str], text: str, question: str) -> bool:
        """A noun of `nouns` followed at once by a name in `text`, and not a former one (前首都阿拉木图)
        or another country's than `question` names (中国国防部长魏凤和 is not Kazakhstan's minister)."""
        return self.holder(nouns, text, question) is not None

    def holder(self, nouns: Sequence[str], text: str, question: str) -> str | None:
        """The name `named` finds (魏凤和 in 中国国防部长魏凤和访问…), or None."""
        for noun in nouns:
            for match in re.finditer(re.escape(noun), text):
                before, after = text[max(0, match.start() - _LOOK) : match.start()], text[match.end() :]
                if before.endswith(tuple(self._words.former_prefixes)):
                    continue
                if self._other_owner(before, question):
                    continue
                name = self._name_at(after[:_LOOK])
                if name is not None:
                    return name
        return None

    def _other_owner(self, before: str, question: str) -> bool:
        words = jieba.lcut(before)
        owner = words[-1] if words else ""
        if not owner or owner in question:
            return False
        # The country every article is about (an ignored entity) owns a role unless the question names another.
        return self._entities.first_mention(owner) is not None

    def _name_at(self, after: str) -> str | None:
        if not after:
            return None
        mention = self._entities.first_mention(after, include_ignored=True)
        if mention is not None and mention.start == 0:
            return after[mention.start : mention.end]
        first = next(iter(posseg.cut(after)), None)
        if first is not None and len(first.word) >= 2 and first.flag.startswith(_NAME_TAGS):
            return first.word
        return None
