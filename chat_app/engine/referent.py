"""Who "he" or "she" is in a follow-up to a who-question: the person the earlier answer named.

"他在哪上的大学？" after "哈萨克斯坦现在的总统是谁" asks about 托卡耶夫, whom only the answer names: read
as the earlier question plus the new message, it would search for the president's title, not his
university. The pipeline answers the earlier question again and this reads the name its first quote
gives: written straight after a title the earlier question did not use (外长特列乌别尔季, 主席马西莫夫).

Hand-written on jieba's tags and the entity list, like role_names.py: no library reads Chinese
appositives, and jieba cuts a transliterated name into pieces (谢尔久|科夫, 马|西莫夫) that are joined here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chat_app.engine.entities import EntityMatcher
from chat_app.engine.resources import Language, language
from index.jieba_dictionary import posseg
from ingest.chinese_text import HAN

_NAME_TAGS = ("nr", "ns", "nt", "nz")  # jieba's tags of proper names (a transliteration is often tagged a place)
_JOINERS = "·．.•"  # the dot between a foreign given name and surname
# A lone character jieba cut off a name's start is tagged a noun or verb (马|西莫夫, 托|卡耶夫), never a
# conjunction or preposition (和 in 斯坦和美国).
_PIECE_TAGS = ("n", "v")
_LOOK = 16  # characters after a title in which the name is read
# A name as the articles give it in Latin letters too, in brackets right after the Chinese: （Ruslan Kazakbayev）
_LATIN = re.compile(r"\s*[（(]\s*([A-Z][A-Za-z'’.\-]+(?:\s+[A-Z][A-Za-z'’.\-]+)+)\s*[)）]")
_ENGLISH_WORD = re.compile(r"[A-Za-z']+")


@dataclass(frozen=True)
class Person:
    name: str  # as the quote writes it in Chinese
    latin: str | None = None  # as it writes it in Latin letters, when it does


class AnswerReferent:
    def __init__(self, *, words: Language | None = None, entities: EntityMatcher | None = None):
        self._words = words or language()
        self._entities = entities or EntityMatcher()

    def pronoun(self, message: str) -> tuple[int, int] | None:
        """Where `message` says he/she (a word of its own: 其他 and 他国 are not 他), or None."""
        if HAN.search(message):
            at = 0
            for piece in posseg.cut(message):
                if piece.word in self._words.zh_person_pronouns:
                    return at, at + len(piece.word)
                at += len(piece.word)
            return None
        for match in _ENGLISH_WORD.finditer(message):
            if match.group(0).lower() in self._words.en_person_pronouns:
                return match.start(), match.end()
        return None

    def person(self, quote: str, asked: str, roles: tuple[str, ...] = ()) -> Person | None:
        """The person `quote` names after one of `roles`, the titles the earlier question `asked` asks
        the holder of (总统 in 总统是谁), or else after a title `asked` does not use, who is not named in
        `asked` either; None when there is none."""
        roles = tuple(role for role in roles if role.endswith(self._words.person_titles))  # 国防部长, not 首都
        others = [title for title in self._words.person_titles if title not in asked]
        # A title the question uses otherwise is its own subject (跟副国务卿一起开发布会的是谁): not the answer.
        for title in (*roles, *others):
            for match in re.finditer(re.escape(title), quote):
                name, end = self._name_at(quote, match.end())
                if name and name not in asked:
                    latin = _LATIN.match(quote, end)
                    return Person(name, latin.group(1) if latin else None)
        return None

    def asks_who(self, asked: str) -> bool:
        """Whether the message itself asks who (not only the conversation it continues)."""
        return self._words.cues("person").matches_question(asked)

    def named_by(self, asked: str) -> Person | None:
        """The person a question that only asks who someone is names ("马西莫夫是谁？", "Who is Kadri
        Liik?"): "he" after it is that person, not one its answer names (马西莫夫是前总统纳扎尔巴耶夫的亲信)."""
        text = asked.strip().rstrip("？?。.！! ")
        if not HAN.search(text):
            words = _ENGLISH_WORD.findall(text)
            rest = [w for w in words if w.lower() not in self._words.en_who_is_words]
            if len(rest) < len(words) and rest and all(w[:1].isupper() for w in rest):
                name = " ".join(rest)
                return Person(name, name)
            return None
        cues = [cue for cue in self._words.cues("person").zh if cue in text]
        if not cues:
            return None
        for word in (*sorted(cues, key=len, reverse=True), *self._words.zh_who_is_links):
            text = text.replace(word, "")
        text = text.strip()
        name, _ = self._name_at(text, 0)
        return Person(name) if text and name == text else None

    def rewrite(self, message: str, where: tuple[int, int], person: Person) -> str:
        """`message` with the pronoun at `where` replaced by the person's name (the Latin form in English)."""
        english = not HAN.search(message)
        name = person.latin if english and person.latin else person.name
        start, end = where
        return f"{message[:start]}{name}{message[end:]}"

    def _name_at(self, text: str, start: int) -> tuple[str | None, int]:
        """The name starting at `start` and where it ends: a known person (托卡耶夫), or jieba's pieces
        of one joined (a lone character before a name piece, a dot between given name and surname)."""
        after = text[start : start + _LOOK]
        mention = self._entities.first_mention(after, include_ignored=True)
        if mention is not None and mention.start == 0:
            return after[: mention.end], start + mention.end
        pieces = list(posseg.cut(after))
        taken: list[str] = []
        for i, piece in enumerate(pieces):
            if not _part_of_a_name(piece, pieces[i + 1] if i + 1 < len(pieces) else None, started=bool(taken)):
                break
            taken.append(piece.word)
        name = "".join(taken)
        return (name, start + len(name)) if len(name) >= 2 else (None, start)


def _part_of_a_name(piece, following, *, started: bool) -> bool:
    """A proper-name piece; a dot between two parts of a name; or a lone noun/verb character that a
    name piece follows (jieba's cut of a transliteration's first syllable)."""
    if piece.flag.startswith(_NAME_TAGS) and len(piece.word) >= 2:
        return True
    if following is None:
        return False
    if piece.word in _JOINERS:
        return started and bool(HAN.match(following.word))
    return len(piece.word) == 1 and piece.flag.startswith(_PIECE_TAGS) and following.flag.startswith(_NAME_TAGS)
