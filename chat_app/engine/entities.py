"""Which countries, blocs and leaders a text names, by the catalog in resources/entities.toml.

Hand-written matching over a short domain list: no offline NER model knows these aliases
(普丁 for Putin, 哈国 for Kazakhstan), and the list is data a user can extend.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from chat_app.engine.resources import Entity, EntityCatalog, entity_catalog
from ingest.chinese_text import HAN

# Texts whose entities are remembered: the ranker asks about every candidate sentence and its window
# for every question, and these come from a fixed index, so most repeat across questions (a sentence
# and its window are a few hundred characters: some MB; a corpus of five articles fills a few thousand).
_CACHE_TEXTS = 20_000


@dataclass(frozen=True)
class Mention:
    entity: str
    start: int
    end: int


class EntityMatcher:
    def __init__(self, catalog: EntityCatalog | None = None):
        self.catalog = catalog or entity_catalog()
        self._patterns = {entity.name: _pattern(entity) for entity in self.catalog.entities}
        self._cased = {entity.name: _cased_pattern(entity) for entity in self.catalog.entities if entity.en_cased}
        self._masks = {entity.name: entity.mask for entity in self.catalog.entities}
        self._groups = {entity.name: entity.group for entity in self.catalog.entities}
        self._people = [
            (person, _alias_pattern(person)) for entity in self.catalog.entities for person in entity.people
        ]  # fmt: skip
        # The catalog never changes after loading, so a text names the same entities every time.
        self._named = lru_cache(maxsize=_CACHE_TEXTS)(self._named_uncached)
        # The ranker asks again for the same question and sentences, as for `named`.
        self.people_named = lru_cache(maxsize=_CACHE_TEXTS)(self._people_named_uncached)

    def _people_named_uncached(self, text: str) -> frozenset[str]:
        """The people of the catalog `text` names, each by the first way its name is written."""
        lowered = text.lower()
        return frozenset(person[0] for person, pattern in self._people if pattern.search(lowered))

    def mentions(self, name: str, text: str) -> bool:
        return bool(self._find(name, text))

    def named(self, text: str, *, include_ignored: bool = False) -> tuple[str, ...]:
        """Entities `text` names, in catalog order (the ignored ones only on request)."""
        return self._named(text, include_ignored)

    def _named_uncached(self, text: str, include_ignored: bool) -> tuple[str, ...]:
        return tuple(
            entity.name
            for entity in self.catalog.entities
            if (include_ignored or entity.name not in self.catalog.ignored) and self._find(entity.name, text)
        )

    def first_mention(self, text: str, *, include_ignored: bool = False) -> Mention | None:
        """The earliest mention in `text` of any entity (for swapping a follow-up's subject)."""
        found = [
            mention
            for entity in self.catalog.entities
            if include_ignored or entity.name not in self.catalog.ignored
            for mention in self._find(entity.name, text)
        ]
        return min(found, key=lambda m: (m.start, -(m.end - m.start)), default=None)

    def about_a_peer_instead(self, text: str, asked_in: str) -> bool:
        """Whether `text` names a peer of a country `asked_in` names (ignored ones too: 哈萨克斯坦) without
        naming that country, and the peer is not asked about itself: 乌兹别克斯坦努库斯骚乱 is not an answer
        about Kazakhstan's unrest."""
        asked = self.named(asked_in, include_ignored=True)
        own = self.named(text, include_ignored=True)
        groups = self._groups
        return any(
            groups[name] and name not in own and any(groups[o] == groups[name] and o not in asked for o in own)
            for name in asked
        )

    def first_peer_mention(self, name: str, text: str) -> Mention | None:
        """The earliest mention in `text` of another entity of `name`'s group (ignored ones too); None
        when `name` has no group or `text` names none of its peers."""
        group = self._groups[name]
        if not group:
            return None
        found = [
            mention
            for peer, peer_group in self._groups.items()
            if peer_group == group and peer != name
            for mention in self._find(peer, text)
        ]
        return min(found, key=lambda m: (m.start, -(m.end - m.start)), default=None)

    def _find(self, name: str, text: str) -> list[Mention]:
        masked = text
        for longer in self._masks[name]:
            masked = masked.replace(longer, "\0" * len(longer))
        found = [Mention(name, m.start(), m.end()) for m in self._patterns[name].finditer(masked.lower())]
        if name in self._cased:
            found += [Mention(name, m.start(), m.end()) for m in self._cased[name].finditer(masked)]
        return found


def _pattern(entity: Entity) -> re.Pattern[str]:
    """Chinese aliases match anywhere; English ones as whole words (so "us" never hides in "campus")."""
    return _alias_pattern((*entity.zh, *entity.en))


def _alias_pattern(aliases: Iterable[str]) -> re.Pattern[str]:
    parts = [re.escape(alias) if HAN.search(alias) else rf"(?<![a-z]){re.escape(alias)}(?![a-z])" for alias in aliases]
    return re.compile("|".join(parts))


def _cased_pattern(entity: Entity) -> re.Pattern[str]:
    """Aliases matched as written, as whole words: "US" is the United States, "us" a pronoun."""
    return re.compile("|".join(rf"(?<![A-Za-z]){re.escape(alias)}(?![A-Za-z])" for alias in entity.en_cased))
