"""The default answer: the ranked evidence put into words by quoting it, every quote cited.

No LLM: offline, deterministic, and every word after the lead-in is a quote whose span is known.
- A factoid answer is its best sentence, cut to the clauses that hold the answer when it is long.
  Another sentence follows only when it answers a part of the question the first one does not.
- A why/how/compare answer gives distinct points from different places, each cited.
- A second article stating the same fact is cited beside the first (corroboration).
- Articles that state the asked-about figure, or the reason for one event, differently are shown side
  by side, with a note.
- A table row brings the table's other rows when the question compares rows.
- No quote opens on a dangling connective (因此/但是), repeats another, is the article's own
  question, or is about a different country than the one asked about.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from chat_app.answer import Citation
from chat_app.answer_wording import format_marker
from chat_app.engine.conflicts import ConflictFinder, Disagreement
from chat_app.engine.english_lead import EnglishLead
from chat_app.engine.linear_model import MODELS_DIR
from chat_app.engine.quotable import Quotability
from chat_app.engine.reason_conflicts import ReasonConflictFinder
from chat_app.engine.records import AnswerType, Candidate, Draft, Question, RankedEvidence, ScoredSentence, Verdict
from chat_app.engine.resources import Language, entity_catalog, language
from chat_app.engine.role_names import NAME_KIND, RoleNames
from chat_app.engine.text import beyond_question, coverage, normalize, present
from index.cross_lingual import english_name
from index.passage import Passage
from ingest.chinese_text import HAN, bigram_set
from ingest.sentences import split_sentences

ELLIPSIS = "……"


@dataclass(frozen=True)
class CompositionSettings:
    """How much an answer may say. models/composition.json, written by benchmarks/fit_answer_models.py
    from a search on tune, overrides these starting values."""

    support_margin: float = 0.15  # a further sentence must score within this of the best one
    max_points: int = 3  # distinct points in a why/how/compare answer
    max_support: int = 0  # further sentences a factual answer may add when they score as well
    support_same_source: bool = True  # … only from the best sentence's article
    points_same_source: bool = False  # further points and parts, too, only from the best sentence's article
    max_parts: int = 3  # parts of a compound question answered separately
    trim_chars: int = 90  # longer factoid sentences are cut to the clauses holding the answer
    duplicate_overlap: float = 0.6  # bigram overlap at which two sentences say the same thing
    corroboration_overlap: float = 0.5  # … and at which another article states the same fact (above 1: never cited)
    look_ahead: int = 12  # ranked sentences considered for further points
    max_table_rows: int = 8
    # A why/how point shorter than this is often a paragraph's topic sentence ("X是由…决定的。"):
    # its next sentence in the same paragraph, where the reasons are, is quoted with it (0: never).
    elaborate_chars: int = 0
    # A sentence ranked this high that sits right before or after a quoted one, in the same paragraph,
    # joins it as one quote: the answer often runs on from the sentence naming the question's words
    # (one sentence names the pipeline, the next gives its share of exports) (0: never).
    join_rank: int = 0
    # A figure/date/name question is led by the best sentence that states the kind of answer asked
    # (money for 投资了多少, a date for 哪天), when one scores within support_margin of the best usable
    # sentence: a sentence naming the question's words but no figure does not answer it.
    typed_lead: bool = False
    # A further point of a why/how/compare answer must score within this of the best sentence (0: the
    # support margin): reasons sit in different places and rank lower than the sentence naming the topic.
    points_margin: float = 0.0
    # A why-question is led by the best sentence stating a reason (因为, 理由, 为由 …) when one scores within
    # support_margin of the best: the best may only restate what happened ("不承认…") without the why.
    reason_lead: bool = False
    # A why/how answer whose lead is followed in its paragraph by a list (首先…其次…最后…) gives the list's
    # items as its points.
    listed_points: bool = False
    # Figures that disagree are looked for this far below the support margin too: another article stating
    # the asked quantity otherwise (the border's length) may rank well below the sentence that answers.
    conflict_margin: float = 0.0

    @classmethod
    def load(cls, path: Path = MODELS_DIR / "composition.json") -> CompositionSettings:
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.get("settings", {}).items() if k in names})


@dataclass(frozen=True)
class _Quote:
    sentence: ScoredSentence
    start: int  # offsets within the sentence's chunk text
    end: int

    def key(self) -> tuple[str, int, int]:
        return (self.sentence.candidate.chunk_id, self.start, self.end)


class ExtractiveComposer:
    def __init__(self, *, settings: CompositionSettings | None = None, words: Language | None = None,
                 conflicts: ConflictFinder | None = None, english: EnglishLead | None = None,
                 role_names: RoleNames | None = None, quotable: Quotability | None = None,
                 reasons: ReasonConflictFinder | None = None):  # fmt: skip
        self.settings = settings or CompositionSettings()
        self._words = words or language()
        self._conflicts = conflicts or ConflictFinder(self._words)
        self._reasons = reasons or ReasonConflictFinder(self._words)
        countries = frozenset(entity.name for entity in entity_catalog().entities)
        self._quotable = quotable or Quotability(self._words)
        self._role_names = role_names or RoleNames(words=self._words)
        self._english = english or EnglishLead(name_of=english_name, kinds=self._words, countries=countries,
                                               role_names=self._role_names)  # fmt: skip

    # -- entry point ----------------------------------------------------------------------------
    def run(self, question: Question, evidence: RankedEvidence, verdict: Verdict) -> Draft:
        if verdict.answers and evidence.sentences:
            return self.answer(question, evidence)
        if verdict.decision.value == "partial" and evidence.sentences:
            return self.partial(question, evidence, verdict)
        return Draft(self.refusal_text(question), True, notes=(f"refused: {verdict.reason}",))

    def answer(self, question: Question, evidence: RankedEvidence) -> Draft:
        usable = [s for s in evidence.sentences if self._usable(s, question)] or list(evidence.sentences)
        floor = usable[0].probability - self.settings.support_margin
        usable = self._typed_first(question, usable, floor)
        best = usable[0]
        disagreement = self._conflicts.run(
            question, evidence, min_probability=floor - self.settings.conflict_margin
        ) or self._reasons.run(question, evidence)
        if disagreement:
            return self._disagreement(question, evidence, disagreement)
        rows = self._table_rows(question, evidence, best)
        if rows:
            return self._render(question, evidence, [[self._full(r)] for r in rows], notes=(), separator="\n")
        chosen = self._select(question, usable, floor, evidence)
        groups: list[list[_Quote]] = []
        notes: list[str] = []
        used = {s.candidate.row for s in chosen}
        for sentence in chosen:
            if question.answer_type.explanatory:
                group = [self._elaborated(sentence, evidence)]
            else:
                group = [self._quote(sentence, question, trim=question.answer_type.factoid and len(chosen) == 1)]
            group[0] = self._joined(group[0], usable, chosen, evidence, used)
            other = self._corroboration(sentence, usable, evidence, used)
            if other is not None:
                used.add(other.candidate.row)
                group.append(self._full(other))
                notes.append(f"corroborated by {evidence.passage(other).source}")
            groups.append(group)
        if question.resolved.followup:
            notes.append(f"follow-up read as: {question.standalone}")
        return self._render(question, evidence, groups, notes=tuple(notes))

    def partial(self, question: Question, evidence: RankedEvidence, verdict: Verdict) -> Draft:
        """What the articles do say when it does not answer the question: marked as such, cited."""
        usable = [s for s in evidence.sentences if self._usable(s, question)][:1]
        if not usable:
            return Draft(self.refusal_text(question), True, notes=(f"refused: {verdict.reason}",))
        lead = self._message("partial", question).format(topic=_topic(question.resolved.message))
        body = self._render(question, evidence, [[self._full(s)] for s in usable], notes=(), lead=lead)
        return Draft(body.text, True, related=body.citations, notes=(f"refused: {verdict.reason}", "partial"))

    def refusal_text(self, question: Question) -> str:
        template = self._message("refusal", question)
        return template.format(
            topic=_topic(question.resolved.message),
            scope=self._words.messages["scope_zh"],
            scope_en=self._words.messages["scope_en"],
        )

    # -- choosing sentences ---------------------------------------------------------------------
    def _usable(self, sentence: ScoredSentence, question: Question) -> bool:
        return self._quotable.usable(sentence, question)

    def _typed_first(self, question: Question, usable: list[ScoredSentence], floor: float) -> list[ScoredSentence]:
        """`usable` with the best sentence (within the support margin) that states the answer moved first:
        for a question about who holds a role (总统是谁, 首都叫什么), always, the name right after the role's
        noun (not the noun alone: tune holds too few such questions to fit this on); with typed_lead, for
        a figure/date/name question, the kind of answer asked (a sum for 投资了多少, a count of 民族 for 多少个民族)."""
        kind = self._words.asked_kind(self._words.as_asked(question.text), question.answer_type.value)
        # 多少个民族 with no finer kind: the count of that noun (140个民族), not any figure, states the answer
        counted = None if kind or question.answer_type != AnswerType.NUMBER else self._words.counted(question.text)
        asks_name = question.answer_type == AnswerType.PERSON or (kind is not None and kind.name == NAME_KIND)
        role = question.focus_nouns if asks_name else ()
        typed = self.settings.typed_lead and (question.answer_type.factoid or asks_name)
        reason = self.settings.reason_lead and question.answer_type == AnswerType.REASON
        if not role and not typed and not reason:
            return usable

        def states(sentence: ScoredSentence) -> bool:
            if reason:
                return bool(sentence.features.get("type_hit"))
            if role and self._role_names.named(role, sentence.candidate.text, question.names_text):
                return True
            if not typed:
                return False
            if kind is not None:
                return kind.evidence.search(sentence.candidate.text) is not None
            if counted is not None:
                return counted.search(sentence.candidate.text) is not None
            if question.answer_type.names or question.answer_type == AnswerType.DATE:
                # what the question names is not its answer: a who-question's own names, a when-question's own
                # year ("when … in 2022" is not answered by a sentence whose only date is 2022年)
                pattern = self._words.cues(question.answer_type.value).evidence
                return not role and pattern.search(beyond_question(sentence.candidate.text, question.terms)) is not None
            return not role and bool(sentence.features.get("type_hit"))

        if states(usable[0]):
            return usable
        for i, sentence in enumerate(usable[1 : self.settings.look_ahead], start=1):
            if sentence.probability < floor:
                break
            if states(sentence):
                return [sentence, *usable[:i], *usable[i + 1 :]]
        return usable

    def _select(
        self, question: Question, usable: list[ScoredSentence], floor: float, evidence: RankedEvidence
    ) -> list[ScoredSentence]:
        everywhere = usable[: self.settings.look_ahead]
        if self.settings.points_same_source:
            source = evidence.passage(usable[0]).source
            usable = [usable[0], *(s for s in usable[1:] if evidence.passage(s).source == source)]
        chosen = [usable[0]]
        pool = [s for s in usable[1 : self.settings.look_ahead] if s.probability >= floor]
        if question.answer_type.explanatory:
            # A compound why/how question ("为什么说是先例？以前俄国是怎么做的？") gets a point for each further
            # ask, from whichever article answers it best: its parts are separate questions. (A factoid's parts
            # stay with its lead's article, below: taking them from anywhere passed fewer tune questions.)
            for part in question.parts[1 : self.settings.max_parts]:
                best = self._best_for_part(part, question, chosen, everywhere)
                if best is not None:
                    chosen.append(best)
            listed = self._enumerated(usable[0], evidence) if self.settings.listed_points else []
            if listed:
                return [*chosen, *listed[: self.settings.max_points]]
            if self.settings.points_margin:
                lowest = usable[0].probability - self.settings.points_margin
                pool = [s for s in usable[1 : self.settings.look_ahead] if s.probability >= lowest]
            # A why-question's points are reasons: sentences stating one (因为, 为了, 担心 …) come first.
            pool.sort(key=lambda s: -s.features.get("type_hit", 0.0))
            for sentence in pool:
                if len(chosen) >= self.settings.max_points:
                    break
                if not self._repeats(sentence, chosen) and not self._adjacent(sentence, chosen):
                    chosen.append(sentence)
            return chosen
        for part in question.parts[1 : self.settings.max_parts]:
            best = self._best_for_part(part, question, chosen, usable[: self.settings.look_ahead])
            if best is not None:
                chosen.append(best)
        limit = len(chosen) + self.settings.max_support
        for sentence in pool:
            if len(chosen) >= limit:
                break
            same = evidence.passage(sentence).source == evidence.passage(chosen[0]).source
            if self.settings.support_same_source and not same:
                continue
            if sentence not in chosen and not self._repeats(sentence, chosen):
                chosen.append(sentence)
        return chosen

    def _enumerated(self, lead: ScoredSentence, evidence: RankedEvidence) -> list[ScoredSentence]:
        """The items of a list that follows `lead` in its paragraph ("…遭受冲击。首当其冲…其次…最后…"),
        read on across the article's next retrieved chunks: the article's own points, however low each
        ranks alone; [] when fewer than two follow."""
        items: list[ScoredSentence] = []
        for sentence in self._rest_of_paragraph(lead, evidence):
            if self._opens_item(sentence.candidate.text):
                items.append(sentence)
        # The lead may be a list's first item itself ("在这一背景下，一方面，…"): then one more makes a list.
        return items if len(items) + self._opens_item(lead.candidate.text) >= 2 else []

    def _opens_item(self, text: str) -> bool:
        """`text` starts an item of a list, in its first or second clause."""
        second = next((i + 1 for i in range(len(text)) if self._breaks_clause(text, i)), 0)
        return any(text.startswith(self._words.enumeration_openers, i) for i in (0, second))

    @staticmethod
    def _rest_of_paragraph(lead: ScoredSentence, evidence: RankedEvidence) -> list[ScoredSentence]:
        """The sentences after `lead` up to its paragraph's end, read on into the article's next chunk
        while that chunk is in the pool. A sentence the ranker did not score is quoted all the same, at
        probability 0: it is there because the list it belongs to was asked for."""
        here = evidence.passage(lead)
        chunks = {p.start: p for p in evidence.pool.passages.values() if p.source == here.source}
        scored = {(s.candidate.chunk_id, s.candidate.start): s for s in evidence.sentences}
        following: list[ScoredSentence] = []
        passage, position, row = here, lead.candidate.end, lead.candidate.row
        while True:
            spans = split_sentences(passage.text, position)
            for span in spans:
                if "\n" in passage.text[position : span.start]:
                    return following
                row += 1
                text = passage.text[span.start : span.end]
                sentence = scored.get((passage.chunk_id, span.start)) or ScoredSentence(
                    Candidate(row, passage.chunk_id, span.start, span.end, text, 0.0, 0, 0.0, 0, None), 0.0
                )
                following.append(sentence)
                position = span.end
            if "\n" in passage.text[position:] or passage.end not in chunks:
                return following
            passage, position = chunks[passage.end], 0
            if passage.text[:1] == "\n":
                return following

    def _best_for_part(self, part: str, question: Question, chosen, candidates) -> ScoredSentence | None:
        """The best-ranked sentence that answers a part of a compound question the chosen ones miss."""
        terms = [t for t in question.terms if any(normalize(a) in normalize(part) for a in t.alternatives)]
        if not terms:
            return None
        have = coverage(terms, normalize("".join(s.candidate.text for s in chosen)))
        for sentence in candidates:
            if sentence in chosen or self._repeats(sentence, chosen):
                continue
            if coverage(terms, normalize(sentence.candidate.text)) > have:
                return sentence
        return None

    def _repeats(self, sentence: ScoredSentence, chosen: Sequence[ScoredSentence]) -> bool:
        mine = bigram_set(sentence.candidate.text)
        for other in chosen:
            theirs = bigram_set(other.candidate.text)
            if mine and theirs and len(mine & theirs) / min(len(mine), len(theirs)) >= self.settings.duplicate_overlap:
                return True
        return False

    @staticmethod
    def _adjacent(sentence: ScoredSentence, chosen: Sequence[ScoredSentence]) -> bool:
        """Points of a why/how answer come from different places, not one paragraph's next line."""
        return any(abs(sentence.candidate.row - other.candidate.row) <= 1 for other in chosen)

    def _corroboration(self, sentence, usable, evidence: RankedEvidence, used: set[int]) -> ScoredSentence | None:
        """A sentence of another article stating the same fact (same words, same figures)."""
        source = evidence.passage(sentence).source
        mine = bigram_set(sentence.candidate.text)
        digits = _digits(sentence.candidate.text)
        for other in usable[: self.settings.look_ahead]:
            if other.candidate.row in used or evidence.passage(other).source == source:
                continue
            theirs = bigram_set(other.candidate.text)
            if not mine or not theirs or _digits(other.candidate.text) != digits:
                continue
            if len(mine & theirs) / min(len(mine), len(theirs)) >= self.settings.corroboration_overlap:
                return other
        return None

    def _table_rows(self, question: Question, evidence: RankedEvidence, best: ScoredSentence) -> list[ScoredSentence]:
        """All ranked rows of the table `best` belongs to, in table order, when the question compares
        rows; [] otherwise."""
        text = evidence.passage(best).text
        if not _is_row(text, best.candidate.start, best.candidate.end):
            return []
        wants_all = any(w in question.text for w in self._words.zh_all_rows) or any(
            w in question.text.lower() for w in self._words.en_all_rows
        )
        if not wants_all and question.answer_type.value != "compare":
            return []
        rows = [
            s for s in evidence.sentences
            if s.candidate.chunk_id == best.candidate.chunk_id and _is_row(text, s.candidate.start, s.candidate.end)
        ]  # fmt: skip
        rows.sort(key=lambda s: s.candidate.start)
        return rows[: self.settings.max_table_rows]

    # -- quoting --------------------------------------------------------------------------------
    def _full(self, sentence: ScoredSentence) -> _Quote:
        start = self._connective_end(sentence.candidate.text)
        return _Quote(sentence, sentence.candidate.start + start, sentence.candidate.end)

    def _elaborated(self, sentence: ScoredSentence, evidence: RankedEvidence) -> _Quote:
        """The whole sentence; a short one runs on to the end of the next sentence of its paragraph."""
        quote = self._full(sentence)
        if len(sentence.candidate.text) >= self.settings.elaborate_chars:
            return quote
        text = evidence.passage(sentence).text
        following = split_sentences(text, sentence.candidate.end)
        if not following or "\n" in text[sentence.candidate.end : following[0].start]:
            return quote  # the paragraph ends here
        return _Quote(sentence, quote.start, following[0].end)

    def _joined(self, quote: _Quote, usable: Sequence[ScoredSentence], chosen: Sequence[ScoredSentence],
                evidence: RankedEvidence, used: set[int]) -> _Quote:  # fmt: skip
        """`quote` run on over a well-ranked sentence right before or after it in its paragraph."""
        anchor = quote.sentence.candidate
        text = evidence.passage(quote.sentence).text
        start, end = quote.start, quote.end
        for other in usable[: self.settings.join_rank]:
            candidate = other.candidate
            if other in chosen or candidate.row in used or candidate.chunk_id != anchor.chunk_id:
                continue
            if candidate.row == anchor.row - 1 and "\n" not in text[candidate.end : anchor.start]:
                start = min(start, candidate.start + self._connective_end(candidate.text))
                used.add(candidate.row)
            elif candidate.row == anchor.row + 1 and "\n" not in text[anchor.end : candidate.start]:
                end = max(end, candidate.end)
                used.add(candidate.row)
        return _Quote(quote.sentence, start, end)

    def _quote(self, sentence: ScoredSentence, question: Question, *, trim: bool,
               answer_type: AnswerType | None = None) -> _Quote:  # fmt: skip
        """The sentence without a leading connective; for a long factoid sentence, only the run of
        clauses that holds the answer (the kind asked for, or `answer_type`, and most of the question's terms)."""
        text = sentence.candidate.text
        offset = self._connective_end(text)
        # A term the sentence lacks ("明年" for a sentence saying "2023年") leaves no way to tell which
        # clause answers: then the whole sentence is quoted rather than a clause that may miss it.
        whole_needed = not all(present(t, normalize(text)) for t in question.terms)
        if not trim or whole_needed or len(text) - offset <= self.settings.trim_chars:
            return _Quote(sentence, sentence.candidate.start + offset, sentence.candidate.end)
        pattern = self._words.evidence_for((answer_type or question.answer_type).value)
        bounds = [offset] + [i + 1 for i, c in enumerate(text) if i >= offset and self._breaks_clause(text, i)]
        bounds = sorted(set([*bounds, len(text)]))
        whole = coverage(question.terms, normalize(text))
        best: tuple[int, int] | None = None
        for i, start in enumerate(bounds[:-1]):
            for end in bounds[i + 1 :]:
                piece = text[start:end]
                if len(piece) > self.settings.trim_chars:
                    break
                if pattern is not None and not pattern.search(piece):
                    continue
                if coverage(question.terms, normalize(piece)) < whole - 1e-9:
                    continue
                if best is None or end - start < best[1] - best[0]:
                    best = (start, end)
        if best is None:
            return _Quote(sentence, sentence.candidate.start + offset, sentence.candidate.end)
        start, end = best
        while end > start and text[end - 1] in self._words.clause_breaks:
            end -= 1  # "……2,000多名士兵" rather than "……2,000多名士兵，"
        return _Quote(sentence, sentence.candidate.start + start, sentence.candidate.start + end)

    def _breaks_clause(self, text: str, i: int) -> bool:
        """A clause mark ends a clause, except the comma inside a number ("4,410")."""
        if text[i] not in self._words.clause_breaks:
            return False
        return not (text[i] == "," and i > 0 and text[i - 1].isdigit() and text[i + 1 : i + 4].isdigit())

    def _connective_end(self, text: str) -> int:
        for connective in self._words.leading_connectives:
            if text.startswith(connective) and len(text) > len(connective) + 4:
                end = len(connective)
                while end < len(text) and text[end] in self._words.clause_breaks + " ":
                    end += 1
                return end
        return 0

    # -- rendering ------------------------------------------------------------------------------
    def _render(self, question, evidence: RankedEvidence, groups: list[list[_Quote]], *, notes: tuple[str, ...],
                lead: str | None = None, separator: str | None = None) -> Draft:  # fmt: skip
        citations: list[Citation] = []
        ids: dict[tuple[str, int, int], int] = {}
        pieces = []
        for group in groups:
            markers = format_marker(self._cite(q, evidence, ids, citations) for q in group)
            pieces.append(f"{self._shown(group[0], evidence)}{markers}")
        zh = question.language == "zh"
        if lead is None and not zh:
            lead = self._english_lead(question, evidence, groups[0][0] if groups else None, citations)
        # Chinese quotes read on as one paragraph; English answers list them under the lead-in.
        body = (separator if separator is not None else "" if zh else "\n").join(pieces)
        text = f"{lead}\n{body}" if lead else body
        return Draft(text, False, tuple(citations), notes=notes)

    def _english_lead(self, question: Question, evidence: RankedEvidence, first: _Quote | None,
                      citations: list[Citation]) -> str:  # fmt: skip
        """An English first line stating the figure, date or name asked for, cited; else a plain
        word that the quotes below are Chinese."""
        quoted = self._shown(first, evidence) if first and citations else ""
        if quoted and not HAN.search(quoted):
            return ""  # an uploaded English document answers in English: its quote needs no lead-in
        statement = self._english.statement(question, quoted) if quoted else None
        if statement is None:
            return self._english.chinese_only
        return f"{statement} {format_marker([citations[0].id])}\n{self._english.evidence_heading}"

    def _shown(self, quote: _Quote, evidence: RankedEvidence) -> str:
        passage = evidence.passage(quote.sentence)
        text = passage.text[quote.start : quote.end]
        candidate = quote.sentence.candidate
        connective = self._connective_end(candidate.text)
        trimmed_front = quote.start > candidate.start and connective != quote.start - candidate.start
        return f"{ELLIPSIS if trimmed_front else ''}{text}{ELLIPSIS if quote.end < candidate.end else ''}"

    @staticmethod
    def _cite(quote: _Quote, evidence: RankedEvidence, ids: dict, citations: list[Citation]) -> int:
        key = quote.key()
        if key not in ids:
            ids[key] = len(ids) + 1
            passage: Passage = evidence.passage(quote.sentence)
            citations.append(Citation.from_span(ids[key], passage, quote.start, quote.end))
        return ids[key]

    def _disagreement(self, question: Question, evidence: RankedEvidence, found: Disagreement) -> Draft:
        citations: list[Citation] = []
        ids: dict = {}
        lines = []
        for sentence in (found.first, found.second):
            # the clauses holding the figures (or reasons) that disagree, whatever the question's wording asked
            quote = self._quote(sentence, question, trim=True, answer_type=found.about)
            marker = format_marker([self._cite(quote, evidence, ids, citations)])
            lines.append(f"- 《{evidence.passage(sentence).title}》：{self._shown(quote, evidence)}{marker}")
        lead = self._message("disagreement", question)
        return Draft(lead + "\n" + "\n".join(lines), False, tuple(citations), notes=(found.note(evidence),))

    def _message(self, name: str, question: Question) -> str:
        return self._words.messages[f"{name}_{'zh' if question.language == 'zh' else 'en'}"]


def _topic(message: str) -> str:
    topic = message.strip().rstrip("？?。.!！")
    return topic if len(topic) <= 40 else topic[:40] + "…"


def _digits(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\d+(?:\.\d+)?", normalize(text)))


def _is_row(text: str, start: int, end: int) -> bool:
    """A table row: a whole line of its own, "label：values。", with another such line beside it."""
    alone = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
    if not alone or "：" not in text[start : min(end, start + 24)]:
        return False
    before = text.rfind("\n", 0, max(0, start - 1))
    previous_line = text[before + 1 : start - 1] if start > 0 else ""
    following_end = text.find("\n", end + 1)
    next_line = text[end + 1 : following_end if following_end >= 0 else len(text)] if end < len(text) else ""
    return any("：" in line[:24] for line in (previous_line, next_line) if line)
