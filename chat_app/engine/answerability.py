"""Whether the evidence answers the question: one calibrated probability, fitted on data.

Refusing is the product's judgement, so it is written here rather than taken from a library; but
the weights of its signals and the threshold are not hand-set: benchmarks/fit_answer_models.py
fits them on the `tune` split (threshold: as many unanswerable questions refused as possible
while false refusals stay under its target) and writes them to models/answerability.json.
"""

from __future__ import annotations

import re

import jieba

from chat_app.engine.composer import CompositionSettings
from chat_app.engine.linear_model import LinearModel, ModelFileError
from chat_app.engine.months import MonthReader
from chat_app.engine.quotable import Quotability
from chat_app.engine.records import AnswerType, Decision, Question, RankedEvidence, ScoredSentence, Verdict
from chat_app.engine.resources import Language, language
from chat_app.engine.role_names import NAME_KIND, RoleNames
from chat_app.engine.text import beyond_question, normalize, present
from chat_app.engine.vocabulary import Vocabulary
from ingest.chinese_text import HAN

ANSWERABILITY_MODEL = "answerability"
WINDOW = 3  # top sentences read together: an answer may sit in the second or third

SIGNALS = (
    "top_probability",  # the ranker's belief in its best sentence
    "second_probability",
    "max_cosine",  # the closest sentence in meaning anywhere in the index
    "top_cover",  # share of the question's telling words in the best sentence's window
    "best_cover",  # the best such share among the top sentences
    "unknown_share",  # share of the question's content words no indexed text uses
    "unknown_count",
    "year_unknown",  # the question names a year no indexed text uses
    "year_missing",  # … or one the top sentences do not mention
    "type_missing",  # a number/date question whose top sentences hold none
    "focus_missing",  # the noun asked about (州, 首都) is in none of the top sentences
    "entity_missing",  # the best sentence is not about the countries or leaders asked about
    "english",
    "slot_filled",  # a top sentence states the kind of answer asked for in a clause naming the question's subject
    "focus_unknown",  # the noun asked about occurs in no indexed text
    "unknown_nouns",  # nouns of the question no indexed text contains (a thing the articles never name)
    "known_share",  # IDF-weighted share of the question's terms that occur in the indexed texts
    "measure_missing",  # the question asks 多少吨/几天 and no top sentence states a figure in that measure
    "first_type_missing",  # a figure/date/person/place question whose best sentence (the one quoted first) has none
    "first_focus_missing",  # the noun asked about (州, 首都) is not in the best sentence
    "rarest_missing",  # the most telling question word absent from the best sentence, by its weight (0: none absent)
    "kind_missing",  # the question asks for a kind of figure or name (money, a head count) no top sentence states
    "first_kind_missing",  # … that the best sentence does not state
    "total_unstated",  # a whole amount is asked (一共, 全年) and the best sentence gives only a change or a part
    "figure_unquoted",  # a how-many question and no sentence the answer could open on states a figure
    "peer_instead",  # the best sentence is about a peer of the country asked about (Kazakhstan's vote for Uzbekistan's)
    "month_unstated",  # the question names a month none of the top sentences' passages states
)
_CHECKED_TYPES = (AnswerType.NUMBER, AnswerType.DATE)
_LATIN = re.compile(r"[A-Za-z]")


class AnswerabilityJudge:
    def __init__(self, *, vocabulary: Vocabulary, model: LinearModel | None = None, words: Language | None = None,
                 composition: CompositionSettings | None = None, role_names: RoleNames | None = None,
                 quotable: Quotability | None = None):  # fmt: skip
        self._stats = vocabulary
        self._words = words or language()
        self._quotable = quotable or Quotability(self._words)
        self._role_names = role_names or RoleNames(words=self._words)
        composition = composition or CompositionSettings.load()
        self._support_margin, self._look_ahead = composition.support_margin, composition.look_ahead
        self._months = MonthReader(self._words.dates) if self._words.dates else None
        self._clauses = re.compile(f"[{re.escape(self._words.clause_breaks)}。！？]")
        measures = "".join(map(re.escape, self._words.measure_words))
        asking = "|".join(map(re.escape, self._words.how_many))
        self._asked_measure = re.compile(f"(?:{asking})([{measures}])")
        self._model = model or LinearModel.load(ANSWERABILITY_MODEL, expected=SIGNALS)
        # Below this ranker belief nothing in the articles is even related: say so, cite nothing.
        self._related = float(self._model.extra.get("related_probability", 0.0))
        # Below this share of known words no tune question was answerable: nothing in the articles relates.
        self._min_known = float(self._model.extra.get("min_known_share", 0.0))
        # Below this cover of its telling words by the top sentences no tune question was answerable.
        self._min_cover = float(self._model.extra.get("min_best_cover", 0.0))
        # Per language: below this closeness in meaning of the nearest indexed sentence no tune question
        # was answerable (a recipe, a football score). English runs lower: its cosines cross languages.
        self._min_cosine = {lang: float(v) for lang, v in self._model.extra.get("min_max_cosine", {}).items()}
        # Yes/no signals that refuse even where the probability would answer (a figure asked for and none
        # in the top sentences): the fit keeps those that refused mostly unanswerable tune questions.
        self._vetoes = tuple(self._model.extra.get("vetoes", ()))
        unknown = [name for name in self._vetoes if name not in SIGNALS]
        if unknown:
            raise ModelFileError(
                f"{ANSWERABILITY_MODEL}.json vetoes name unknown signals {unknown}: refit it with "
                "benchmarks/fit_answer_models.py"
            )

    def signals(self, question: Question, evidence: RankedEvidence) -> dict[str, float]:
        top = evidence.sentences[:WINDOW]
        first = top[0].features if top else {}
        # The sentence the answer opens on: the best one the composer can quote (not a former 首都).
        lead = self._quotable.lead(evidence.sentences, question)
        unknown = len(question.unknown)
        content = len(question.terms) + unknown - sum(1 for t in question.terms if not t.known)
        return {
            "top_probability": top[0].probability if top else 0.0,
            "second_probability": top[1].probability if len(top) > 1 else 0.0,
            "max_cosine": evidence.pool.max_cosine,
            "top_cover": first.get("cover_window", 0.0),
            "best_cover": max((s.features.get("cover_window", 0.0) for s in top), default=0.0),
            "unknown_share": unknown / content if content > 0 else 1.0,
            "unknown_count": float(unknown),
            "year_unknown": float(any(not self._stats.known(year) for year in question.years)),
            "year_missing": float(bool(question.years) and not any(s.features.get("year_hit", 0) for s in top)),
            "type_missing": float(
                question.answer_type in _CHECKED_TYPES and not any(s.features.get("type_hit", 0) for s in top)
            ),
            "focus_missing": float(bool(question.focus_nouns) and not any(s.features.get("focus_hit", 0) for s in top)),
            # … unless the question asks to confirm what it states: the evidence may correct its premise.
            "entity_missing": 0.0 if self._words.confirms(question.text) else float(first.get("entity_miss", 0.0)),
            "english": float(question.language == "en"),
            "slot_filled": self._slot_filled(question, top),
            "focus_unknown": float(any(not self._stats.known(noun) for noun in question.focus_nouns)),
            "unknown_nouns": float(len(question.unknown_nouns)),
            "known_share": _known_share(question),
            "measure_missing": self._measure_missing(question, top),
            "first_type_missing": self._first_type_missing(question, top[0] if top else None),
            "first_focus_missing": float(bool(question.focus_nouns) and bool(top) and not first.get("focus_hit", 0)),
            "rarest_missing": _rarest_missing(question, top[0].candidate.text if top else ""),
            **self._kind_missing(question, evidence, lead),
            "total_unstated": self._total_unstated(question, lead),
            "figure_unquoted": self._figure_unquoted(question, evidence, lead),
            "peer_instead": float(bool(top) and self._quotable.about_a_peer(top[0], question)),
            "month_unstated": self._month_unstated(question, evidence),
        }

    def _month_unstated(self, question: Question, evidence: RankedEvidence) -> float:
        """1 when the question names a month that no passage holding a top sentence states (11月 asked,
        passages dated 3月 and 4月): the evidence is about another time."""
        asked = self._months.named(question.text) if self._months else frozenset()
        if not asked:
            return 0.0
        chunks = {s.candidate.chunk_id: evidence.passage(s).text for s in evidence.sentences[:WINDOW]}
        stated = frozenset().union(*(self._months.stated(text) for text in chunks.values()))
        return float(not asked <= stated)

    def _total_unstated(self, question: Question, lead: ScoredSentence | None) -> float:
        totals = self._words.totals
        if totals is None or lead is None or question.answer_type != AnswerType.NUMBER:
            return 0.0
        return float(totals.asked_by(self._words.as_asked(question.text)) and totals.only_part(lead.candidate.text))

    def _figure_unquoted(self, question: Question, evidence: RankedEvidence, lead: ScoredSentence | None) -> float:
        """1 when a how-many question's answer would hold no figure: no quotable sentence within the
        support margin of the lead (where the composer looks for one, ExtractiveComposer._typed_first) states one."""
        if question.answer_type != AnswerType.NUMBER or lead is None:
            return 0.0
        if any(word in question.text.lower() for word in self._words.which_ones):
            return 0.0
        pattern = self._words.cues(question.answer_type.value).evidence
        return float(not any(pattern.search(s.candidate.text) for s in self._openable(question, evidence, lead)))

    def _openable(self, question: Question, evidence: RankedEvidence, lead: ScoredSentence) -> list[ScoredSentence]:
        """The quotable sentences an answer may open on: those within the support margin of `lead`, among
        the first the composer looks at (ExtractiveComposer._typed_first)."""
        floor = lead.probability - self._support_margin
        return [
            s for s in evidence.sentences[: self._look_ahead]
            if s.probability >= floor and self._quotable.usable(s, question)
        ]  # fmt: skip

    def _kind_missing(self, question: Question, evidence: RankedEvidence, lead: ScoredSentence | None) -> dict:
        top = evidence.sentences[:WINDOW]
        kind = self._words.asked_kind(self._words.as_asked(question.text), question.answer_type.value)
        if kind is None or not top or lead is None:
            return {"kind_missing": 0.0, "first_kind_missing": 0.0}

        def states(sentence: ScoredSentence) -> bool:
            text = sentence.candidate.text
            if kind.evidence.search(text):
                return True
            # A name asked for after the noun it fills (首都叫什么) is often written right after that noun,
            # unmarked: 首都努尔苏丹, 总理马明.
            return kind.name == NAME_KIND and self._role_names.named(question.focus_nouns, text, question.names_text)

        stated = [states(s) for s in top]
        # The best sentence, or the one the answer opens on when the best cannot be quoted, states it.
        first = stated[0] or (lead is not top[0] and states(lead))
        if not first and kind.name == NAME_KIND and question.focus_nouns:
            # Who holds a role: the answer opens on the quotable sentence naming the holder right after the
            # role's noun, when one scores within the support margin (ExtractiveComposer._typed_first).
            first = any(
                self._role_names.named(question.focus_nouns, s.candidate.text, question.names_text)
                for s in self._openable(question, evidence, lead)
            )
        return {"kind_missing": float(not any(stated)), "first_kind_missing": float(not first)}

    def _answer_pattern(self, question: Question):
        """How the kind of answer a figure/date/person/place question asks for is written; None for other kinds."""
        return self._words.cues(question.answer_type.value).evidence if question.answer_type.factoid else None

    def _first_type_missing(self, question: Question, best: ScoredSentence | None) -> float:
        pattern = self._answer_pattern(question)
        if pattern is None or best is None:
            return 0.0
        text = best.candidate.text
        if question.answer_type.names:
            text = beyond_question(text, question.terms)
        return float(pattern.search(text) is None)

    def _measure_missing(self, question: Question, top) -> float:
        text = self._words.as_asked(question.text)
        asked = next((m for m in self._asked_measure.finditer(text) if not _starts_a_word(text, m.start(1))), None)
        if asked is None or question.answer_type != AnswerType.NUMBER:
            return 0.0
        stated = re.compile(self._words.figure_before_measure + re.escape(asked.group(1)))
        return float(not any(stated.search(s.candidate.text) for s in top))

    def _slot_filled(self, question: Question, top) -> float:
        """1 when a top sentence holds a figure/date/name/place (as asked) in the same clause as one of
        the question's two most telling words; 0 when none does; 0.5 for questions of other kinds."""
        pattern = self._answer_pattern(question)
        if pattern is None:
            return 0.5
        subject = sorted((t for t in question.terms if t.known), key=lambda t: -t.weight)[:2]
        for sentence in top:
            for clause in self._clauses.split(sentence.candidate.text):
                if pattern.search(clause) and (not subject or any(present(t, normalize(clause)) for t in subject)):
                    return 1.0
        return 0.0

    def run(self, question: Question, evidence: RankedEvidence) -> Verdict:
        if not evidence.sentences:
            return Verdict(Decision.NONE, 0.0, "nothing was retrieved")
        signals = self.signals(question, evidence)
        if question.terms and (signals["known_share"] == 0.0 or signals["known_share"] < self._min_known):
            # (Almost) none of the question's words occur in the articles: nothing there even relates to it.
            return Verdict(Decision.NONE, 0.0, "the question's words hardly occur in the articles", signals)
        if signals["best_cover"] < self._min_cover:
            return Verdict(Decision.NONE, 0.0, "no sentence found names what the question is about", signals)
        too_far = signals["max_cosine"] < self._min_cosine.get(_embedded_language(question), 0.0)
        # … unless a top sentence names every telling word of the question: a short question ("印度总理是谁")
        # embeds far from any long sentence, but what it asks about is there.
        if too_far and signals["best_cover"] < 1.0:
            return Verdict(Decision.NONE, 0.0, "nothing in the articles is close in meaning to the question", signals)
        probability = self._model.probability(signals)
        vetoed = [name for name in self._vetoes if signals[name] > 0]
        if probability >= self._model.threshold and not vetoed:
            return Verdict(Decision.ANSWER, probability, "the evidence answers the question", signals)
        reason = _main_reason(signals)
        decision = Decision.PARTIAL if signals["top_probability"] >= self._related else Decision.NONE
        return Verdict(decision, probability, reason, signals)


def _starts_a_word(text: str, at: int) -> bool:
    """Whether the character at `at` begins a longer word (天 in 多少天然气): then it is no measure word."""
    start = 0
    for word in jieba.lcut(text):
        if start == at:
            return len(word) > 1
        if start > at:
            return False
        start += len(word)
    return False


def _embedded_language(question: Question) -> str:
    """The language of the text whose closeness was measured (the standalone question): English when it
    is English or at least half so, as a Chinese follow-up to an English question is (as many Latin letters
    as Han characters: "CPC是什么" too); its cosines cross languages and run lower. A Chinese question that
    names CPC among more Chinese words is Chinese."""
    standalone = question.standalone
    if question.language == "en" or len(_LATIN.findall(standalone)) >= len(HAN.findall(standalone)):
        return "en"
    return question.language


def _rarest_missing(question: Question, sentence: str) -> float:
    """The weight of the most telling known question word the sentence lacks, over the heaviest weight."""
    known = [t for t in question.terms if t.known]
    heaviest = max((t.weight for t in known), default=0.0)
    if heaviest <= 0:
        return 0.0
    text = normalize(sentence)
    return max((t.weight for t in known if not present(t, text)), default=0.0) / heaviest


def _known_share(question: Question) -> float:
    total = sum(term.weight for term in question.terms)
    return sum(term.weight for term in question.terms if term.known) / total if total > 0 else 1.0


def _main_reason(signals: dict[str, float]) -> str:
    """A plain reading of the strongest refusal signal, for the retrieval-details view."""
    if signals["year_unknown"]:
        return "the articles never mention the year asked about"
    if signals["unknown_share"] >= 0.5:
        return "most of the question's words never occur in the articles"
    if signals["focus_missing"]:
        return "the top evidence never names what the question asks for"
    if signals["entity_missing"]:
        return "the best evidence is about other countries or people"
    if signals["type_missing"]:
        return "the evidence holds no figure or date to answer with"
    return "no sentence answers the question closely enough"
