"""What a question asks for: its language, the kind of answer, the terms to look for (with how
telling each is), the noun asked about, the entities and years it names.

Hand-written reading over the word lists in resources/language.toml: no offline library gives a
Chinese question's answer type or focus noun; what these signals are worth is fitted on data
(benchmarks/fit_answer_models.py), not set here.
"""

from __future__ import annotations

import re
from dataclasses import replace

import jieba

from chat_app.engine.entities import EntityMatcher
from chat_app.engine.records import AnswerType, Question, ResolvedQuestion, Term
from chat_app.engine.resources import Language, language
from chat_app.engine.source_scope import SourceScope
from chat_app.engine.vocabulary import Vocabulary
from index.chinese_tokenizer import ChineseTokenizer, TokenizerMode
from index.cross_lingual import Lexicon
from index.jieba_dictionary import posseg
from ingest.chinese_text import HAN, detect_language, stopwords, strip_thousands

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_STOPWORDS = stopwords("keyword_search")
_EN_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")
_EN_LETTERS = re.compile(r"[a-z]+")  # "capacity" in "pipeline's capacity?"
_NOT_NOUN_TAGS = set("vpruycmqteo")
_MIN_SUBWORD = 2  # sub-words of an unknown compound that are shorter tell nothing
CONTEXT_WEIGHT = 0.5  # an earlier turn's terms weigh half as much as the follow-up's own


class QuestionAnalyzer:
    def __init__(
        self,
        *,
        vocabulary: Vocabulary,
        lexicon: Lexicon | None,
        entities: EntityMatcher | None = None,
        words: Language | None = None,
        scope: SourceScope | None = None,
    ):
        self._stats = vocabulary
        self._lexicon = lexicon
        self._scope = scope
        self._entities = entities or EntityMatcher()
        self._words = words or language()
        self._search = ChineseTokenizer(TokenizerMode.SEARCH)
        # One person's name written in other Chinese ways (普京 and the Taiwanese 普丁): any of them finds it.
        self._spellings = {
            form: tuple(other for other in person if other != form and HAN.search(other))
            for entity in self._entities.catalog.entities
            for person in entity.people
            for form in person
            if HAN.search(form)
        }

    def _written_forms(self, word: str) -> list[str]:
        """Other words the indexed texts use for `word`: its written synonyms and a name's other spellings."""
        others = (*self._words.zh_synonyms.get(word, ()), *self._spellings.get(word, ()))
        return [w for w in others if self._stats.known(w)]

    def run(self, resolved: ResolvedQuestion) -> Question:
        # Markup typed or pasted into a question (<img …>, <script>) is not part of what is asked.
        resolved = replace(resolved, focus=_without_markup(resolved.focus), context=_without_markup(resolved.context),
                           standalone=_without_markup(resolved.standalone))  # fmt: skip
        scope = self._scope.read(resolved.focus) if self._scope is not None else None
        sources = scope.sources if scope is not None else ()
        if scope is not None and sources:
            # "According to the WSJ piece, …": where to look, not what to look for
            resolved = replace(resolved, focus=scope.text, standalone=self._scope.read(resolved.standalone).text)
        focus = resolved.focus
        lang = detect_language(focus)
        terms, unknown = self.terms(focus)
        context_terms: tuple[Term, ...] = ()
        if resolved.context and resolved.followup != "swap":
            own = {alt for term in terms for alt in term.alternatives}
            earlier, _ = self.terms(resolved.context)
            context_terms = tuple(t for t in earlier if not own.intersection(t.alternatives))
            # "他给出的理由是什么？" is about what the earlier question named: its terms count, at less weight.
            terms = (*terms, *(replace(t, weight=t.weight * CONTEXT_WEIGHT) for t in context_terms))
        asked = self._words.as_asked(focus)
        answer_type = self.answer_type(asked)
        if answer_type == AnswerType.OTHER and resolved.context:
            # "那最大基建投资国呢？" still asks 哪一年
            answer_type = self.answer_type(self._words.as_asked(resolved.context))
        return Question(
            resolved=resolved,
            language=lang,
            answer_type=answer_type,
            terms=terms,
            context_terms=context_terms,
            focus_nouns=self.focus_nouns(asked),
            entities=self._entities.named(resolved.standalone if resolved.followup else focus),
            years=tuple(dict.fromkeys(_YEAR.findall(resolved.standalone))),
            unknown=unknown,
            unknown_nouns=self.unknown_nouns(focus),
            search_tokens=tuple(self.search_tokens(resolved.standalone)),
            parts=self.parts(focus),
            sources=sources,
        )

    # -- pieces ---------------------------------------------------------------------------------
    def answer_type(self, text: str) -> AnswerType:
        for cues in self._words.answer_types:
            if cues.matches_question(text):
                return AnswerType(cues.name)
        measures = self._words.en_figure_nouns
        if not HAN.search(text) and any(word in measures for word in _EN_LETTERS.findall(text.lower())):
            return AnswerType.NUMBER
        return AnswerType.OTHER

    def terms(self, text: str) -> tuple[tuple[Term, ...], tuple[str, ...]]:
        """(terms, unknown words) of `text`; Chinese words as they are, English ones translated."""
        text = strip_thousands(text)
        if HAN.search(text):
            return self._zh_terms(text)
        return self._en_terms(text)

    def _zh_terms(self, text: str) -> tuple[tuple[Term, ...], tuple[str, ...]]:
        terms: list[Term] = []
        unknown: list[str] = []
        seen: set[str] = set()
        for word in jieba.cut(text):
            word = word.strip().lower()
            if not word or word in seen or not self._is_content(word):
                continue
            seen.add(word)
            # An everyday word also matches the written words articles use for it (打仗: 冲突, 战争).
            written = self._written_forms(word)
            if written:
                alternatives = (word, *written) if self._stats.known(word) else tuple(written)
                terms.append(Term(alternatives, min(self._stats.idf(a) for a in alternatives), True))
                continue
            if self._stats.known(word) or _NUMBER.fullmatch(word):
                terms.append(Term((word,), self._stats.idf(word), self._stats.known(word)))
                continue
            parts = [p for p in self._search(word) if p != word and len(p) >= _MIN_SUBWORD and self._stats.known(p)]
            if len(word) > 1:
                unknown.append(word)
            if parts:  # an unseen compound (基建投资国): its known parts still say what to look for
                terms.append(Term(tuple(parts), max(self._stats.idf(p) for p in parts), True))
            elif len(word) > 1:
                terms.append(Term((word,), self._stats.idf(word), False))
        return tuple(terms), tuple(unknown)

    def _en_terms(self, text: str) -> tuple[tuple[Term, ...], tuple[str, ...]]:
        terms: list[Term] = []
        unknown: list[str] = []
        lowered = self._words.en_name_asking.sub("?", text.lower())
        for number in _NUMBER.findall(lowered):
            terms.append(Term((number,), self._stats.idf(number), self._stats.known(number)))
        groups = self._lexicon.translate_groups(lowered) if self._lexicon else []
        for group in groups:
            english = " ".join(group.english)
            latin = _latin_forms(group.english, lowered)
            # The lexicon matches stems ("mor" for "more"): the words as typed are what the lists name.
            typed = " ".join(latin) if len(latin) == len(group.english) else english
            if any(word in self._words.en_scaffold or word in _STOPWORDS for word in (english, typed)):
                continue
            month = _month(english, self._words.month_suffix)
            alternatives = tuple(dict.fromkeys((*group.chinese, *([month] if month else []), *latin)))
            known = [a for a in alternatives if self._stats.known(a) or a == month]
            if group.chinese or month:
                weight = min(self._stats.idf(a) for a in alternatives) if alternatives else 0.0
                terms.append(Term(alternatives, weight, True))
            elif known:
                terms.append(Term(alternatives, min(self._stats.idf(a) for a in known), True))
            else:
                unknown.append(english)
                terms.append(Term(alternatives or (english,), self._stats.idf(english), False))
        return tuple(terms), tuple(unknown)

    def unknown_nouns(self, text: str) -> tuple[str, ...]:
        """Nouns of a Chinese question that no indexed text contains (jieba's tags are a hint)."""
        if not HAN.search(text):
            return ()
        return tuple(
            word
            for word, tag in posseg.cut(text)
            if tag.startswith("n") and len(word) >= 2 and HAN.search(word) and self._is_content(word)
            and not self._stats.known(word)
        )  # fmt: skip

    def _is_content(self, word: str) -> bool:
        if word in _STOPWORDS or word in self._words.zh_scaffold or word in self._words.zh_pointers:
            return False
        if _NUMBER.fullmatch(word):
            return True
        return bool(HAN.search(word)) or bool(re.fullmatch(r"[a-z][a-z-]+", word))

    def focus_nouns(self, text: str) -> tuple[str, ...]:
        """The noun the question asks for: 州 in 哪个州, 大学 in 哪所大学, 首都 in 首都叫什么."""
        if not HAN.search(text):
            return self._en_focus(text.lower())
        tagged = [(w, t) for w, t in posseg.cut(text) if w.strip()]
        words = [w for w, _ in tagged]
        found: list[str] = []
        for i, word in enumerate(words):
            cue = next((c for c in self._words.zh_focus_after if word == c or word.startswith(c)), None)
            if cue is not None:
                rest = word[len(cue) :]
                following = ([(rest, "n")] if rest else []) + tagged[i + 1 : i + 3]
                noun = next((w for w, t in following if self._focus_word(w, t)), None)
                if noun:
                    found.append(noun)
            if i > 0 and any(word == c or "".join(words[i : i + 2]) == c for c in self._words.zh_focus_before):
                # walk back over 的/是/现在 to the noun: 首都现在叫什么 → 首都
                for w, t in reversed(tagged[max(0, i - 3) : i]):
                    if self._focus_word(w, t):
                        found.append(w)
                        break
                    if w not in self._words.zh_scaffold and w not in _STOPWORDS:
                        break
        return tuple(dict.fromkeys(found))

    def _focus_word(self, word: str, tag: str) -> bool:
        # jieba's tags are a hint, not a parse (it tags 首都 as an adverb): any longer word that is not
        # clearly a verb, pronoun, particle, number or time word counts.
        noun_like = tag.startswith("n") or (len(word) >= 2 and tag[:1] not in _NOT_NOUN_TAGS)
        return (
            bool(HAN.search(word))
            and noun_like
            and word not in self._words.zh_focus_skip
            and word not in self._words.zh_scaffold
            and word not in _STOPWORDS
        )

    def _en_focus(self, text: str) -> tuple[str, ...]:
        words = _EN_WORD.findall(text)
        starts = [i for i, word in enumerate(words[:-1]) if word in self._words.en_focus_after]
        phrase = next((p for p in self._words.en_focus_after_phrases if text.startswith(p + " ")), None)
        if phrase is not None:
            starts.insert(0, len(_EN_WORD.findall(phrase)) - 1)  # the noun right after "what is the"
        possessive = self._words.en_possessive_focus.match(text)
        if possessive is not None:
            starts.insert(0, len(_EN_WORD.findall(text[: possessive.start(1)])) - 1)  # "kazakhstan's" + noun
        for i in starts:
            if i + 1 < len(words):
                noun = words[i + 1]
                if noun in _STOPWORDS or noun in self._words.en_scaffold or self._lexicon is None:
                    continue
                # The longest lexicon phrase starting at the noun: "foreign minister" is 外长, not 国外.
                groups = self._lexicon.translate_groups(" ".join(words[i + 1 : i + 4]), max_per_term=2)
                if groups and groups[0].chinese:
                    return groups[0].chinese
                return tuple(self._lexicon.translate(noun, max_per_term=2))
        return ()

    def search_tokens(self, text: str) -> list[str]:
        """What keyword search looks for: Chinese tokens, or an English question's translation plus its
        own numbers and Latin names."""
        if HAN.search(text):
            tokens = self._search(text)
            written = [w for token in tokens for w in self._written_forms(token)]
            return [*tokens, *(t for w in written for t in self._search(w))]
        translated = self._lexicon.translate(text) if self._lexicon else []
        return [*translated, *self._search(text)]

    def parts(self, text: str) -> tuple[str, ...]:
        """The separate asks of a compound question ("什么时候去的？谈成了什么？" is two)."""
        pieces = [p.strip(" ，,") for p in self._words.part_separator.split(text) if p and p.strip(" ，,")]
        return tuple(p for p in pieces if len(p) >= 2) or (text,)


_MARKUP = re.compile(r"<[^<>]{0,300}>")


def _without_markup(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", text).split()) or text


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _month(english: str, suffix: str) -> str | None:
    """English month names (stemmed by the lexicon: "june" → "jun") as the articles write them: "6月"."""
    head = english[:3]
    if head in _MONTHS and english in (
        head,
        head + "uary",
        head + "ruary",
        head + "ch",
        head + "il",
        head + "e",
        head + "y",
        head + "ust",
        head + "tember",
        head + "ober",
        head + "ember",
    ):
        return f"{_MONTHS.index(head) + 1}{suffix}"
    return None


def _latin_forms(stems: tuple[str, ...], lowered_question: str) -> list[str]:
    """The question's own spelling of a term: names often stay in Latin letters in the articles
    ("Kurilla"), so the English word itself is one more way to find the term."""
    forms = []
    for stem in stems:
        match = re.search(rf"(?<![a-z]){re.escape(stem)}[a-z]*", lowered_question)
        if match and len(match.group()) >= 3:
            forms.append(match.group())
    return forms
