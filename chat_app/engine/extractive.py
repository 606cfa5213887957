"""The default answerer: quotes the sentences that answer the question, each with its citation.

No LLM: offline, deterministic, and every word of the answer is a quote whose source span is known.
The direct answer comes first; a few supporting sentences follow for "why"/"how" questions; a
second article stating the same fact is cited alongside (corroboration); articles giving different
figures are shown side by side (disagreement); and when the evidence does not answer the question,
the answer is a refusal with no citations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from chat_app.answer import Citation
from chat_app.engine.disagreement import Disagreement, find_disagreement
from chat_app.engine.evidence import EmbeddingCache, EvidenceSentence, gather_evidence, term_coverage
from chat_app.engine.question import AnswerType, QuestionProfile, analyze_question, word_tokenizer
from chat_app.engine.refusal import RefusalDecision, RefusalThresholds, decide
from index.cross_lingual import Lexicon
from index.passage import Passage
from index.term_stats import TermStats

FACTOID_TYPES = (AnswerType.NUMBER, AnswerType.DATE, AnswerType.PERSON, AnswerType.PLACE)
MAX_SENTENCES = {True: 2, False: 3}  # factoid or not
MAX_QUOTE_CHARS = {True: 150, False: 320}  # keep factoid answers short
# Supporting sentences must score nearly as well as the best one.
SUPPORT_MARGIN = 0.06
# Another article corroborates a sentence when it shares this much of the sentence's content words.
CORROBORATION_OVERLAP = 0.6
MIN_CLAIM_TOKENS = 4  # shorter sentences ("但哈萨克斯坦并没有这么做。") match too much to corroborate
OTHER_SOURCE_MARGIN = 0.08
MAX_TABLE_ROWS = 8
SELF_STANDING_CHARS = 40  # a shorter sentence usually leads into the one that follows
TABLE_ROW = re.compile(r"^[^，。：\n]{1,24}：[^\n]+。$")
CLAUSE_BREAKS = re.compile(r"[，；：,;]")
EN_LEAD = "According to the articles (quoted in the original Chinese):"


@dataclass
class Draft:
    text: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profile: QuestionProfile | None = None
    decision: RefusalDecision | None = None


@dataclass(frozen=True)
class _Quote:
    passage_index: int
    start: int  # within the passage text
    end: int


class ExtractiveAnswerer:
    def __init__(
        self,
        *,
        embeddings: EmbeddingCache,
        term_stats: TermStats,
        lexicon: Lexicon | None,
        thresholds: RefusalThresholds | None = None,
    ):
        self._embeddings = embeddings
        self._stats = term_stats
        self._lexicon = lexicon
        self._thresholds = thresholds or RefusalThresholds()
        self._tokenizer = word_tokenizer()

    def profile(self, question: str) -> QuestionProfile:
        return analyze_question(question, tokenizer=self._tokenizer, lexicon=self._lexicon)

    def focused_profile(self, question: str, focus: str | None) -> QuestionProfile:
        profile = self.profile(question)
        if not focus or focus == question:
            return profile
        own = self.profile(focus)
        if not own.terms:  # "为什么？" names nothing: the topic's words are all there is
            return replace(
                profile, answer_type=own.answer_type if own.answer_type != AnswerType.OTHER else profile.answer_type
            )
        return replace(own, text=question, entities=profile.entities)

    def evidence(self, profile: QuestionProfile, passages: Sequence[Passage]) -> list[EvidenceSentence]:
        return gather_evidence(profile, passages, embeddings=self._embeddings, term_stats=self._stats)

    def answer(self, question: str, passages: Sequence[Passage], *, focus: str | None = None) -> Draft:
        """Answer `question`; for a follow-up, `focus` is what the user literally asked.

        The standalone question carries the topic (it drives meaning), but the follow-up decides
        which words and which kind of answer to look for ("现在有几个成员国？" wants a number).
        """
        profile = self.focused_profile(question, focus)
        self._passages = passages
        evidence = self.evidence(profile, passages)
        decision = decide(profile, evidence, self._stats, self._thresholds)
        if decision.refuse:
            return Draft(refusal_text(question, profile.language), True, notes=[f"refused: {decision.reason}"],
                         profile=profile, decision=decision)  # fmt: skip
        factoid = profile.answer_type in FACTOID_TYPES
        disagreement = find_disagreement(
            evidence[0], evidence, passages, question=profile.text, score_margin=0.12, min_lexical_share=0.6
        )
        rows = _table_rows(evidence[0], evidence, passages)
        if disagreement:
            draft = self._disagreement_answer(disagreement, passages, profile)
        elif rows:
            draft = self._table_answer(rows, passages, profile)
        else:
            draft = self._compose(self._select(evidence, profile, factoid), evidence, passages, profile, factoid)
        draft.profile, draft.decision = profile, decision
        return draft

    # -- selection --------------------------------------------------------------------------
    def _select(
        self, evidence: list[EvidenceSentence], profile: QuestionProfile, factoid: bool
    ) -> list[EvidenceSentence]:
        best = evidence[0]
        chosen = [best]
        covered = term_coverage(profile.terms, best.text, self._stats)
        for candidate in evidence[1:]:
            if len(chosen) >= MAX_SENTENCES[factoid] or candidate.score < best.score - SUPPORT_MARGIN:
                break
            if any(_overlaps(candidate, c) for c in chosen):
                continue
            joined = " ".join(c.text for c in [*chosen, candidate])
            gain = term_coverage(profile.terms, joined, self._stats) - covered
            if gain > 0.05 or (not factoid and candidate.score >= best.score - SUPPORT_MARGIN / 2):
                chosen.append(candidate)
                covered += max(gain, 0.0)
        return chosen

    def _source_of(self, sentence: EvidenceSentence) -> str:
        return self._passages[sentence.passage_index].source

    def _corroborations(
        self, sentence: EvidenceSentence, evidence: list[EvidenceSentence], passages: Sequence[Passage], used: set
    ) -> list[EvidenceSentence]:
        """Sentences from other articles that state the same fact (same words, same figures)."""
        source = passages[sentence.passage_index].source
        mine = set(self._tokenizer(sentence.text))
        numbers = set(re.findall(r"\d+(?:\.\d+)?", sentence.text.replace(",", "")))
        found = []
        for candidate in evidence:
            other_source = passages[candidate.passage_index].source
            if other_source == source or other_source in {passages[f.passage_index].source for f in found}:
                continue
            if (candidate.passage_index, candidate.start) in used:
                continue
            theirs = set(self._tokenizer(candidate.text))
            overlap = len(mine & theirs) / max(1, len(mine))  # how much of the claim the other states
            their_numbers = set(re.findall(r"\d+(?:\.\d+)?", candidate.text.replace(",", "")))
            same_figures = numbers == their_numbers if numbers else not their_numbers
            if len(mine) >= MIN_CLAIM_TOKENS and overlap >= CORROBORATION_OVERLAP and same_figures:
                found.append(candidate)
        return found[:1]

    # -- composition ------------------------------------------------------------------------
    def _compose(
        self,
        chosen: list[EvidenceSentence],
        evidence: list[EvidenceSentence],
        passages: Sequence[Passage],
        profile: QuestionProfile,
        factoid: bool,
    ) -> Draft:
        citations: list[Citation] = []
        ids: dict[_Quote, int] = {}
        pieces: list[str] = []
        notes: list[str] = []
        budget = MAX_QUOTE_CHARS[factoid]
        used = {(c.passage_index, c.start) for c in chosen}
        share = budget if len(chosen) == 1 else budget // len(chosen)
        for sentence in chosen:
            sentence = self._extend(sentence, evidence, profile, share)
            quote = self._trim(sentence, profile, share)
            group = [self._cite(quote, passages, ids, citations)]
            for other in self._corroborations(sentence, evidence, passages, used):
                used.add((other.passage_index, other.start))
                group.append(self._cite(_Quote(other.passage_index, other.start, other.end), passages, ids, citations))
                notes.append(f"corroborated by {passages[other.passage_index].source}")
            text = _with_ellipses(passages[quote.passage_index].text[quote.start : quote.end], quote, sentence)
            pieces.append(f"{text}{format_markers(group)}")
        body = "".join(pieces) if profile.language == "zh" else "\n".join(pieces)
        text = body if profile.language == "zh" else f"{EN_LEAD}\n{body}"
        return Draft(text, False, citations, notes)

    def _disagreement_answer(
        self, disagreement: Disagreement, passages: Sequence[Passage], profile: QuestionProfile
    ) -> Draft:
        citations: list[Citation] = []
        ids: dict[_Quote, int] = {}
        lines = []
        for sentence in (disagreement.first, disagreement.second):
            quote = self._trim(sentence, profile, MAX_QUOTE_CHARS[True] // 2)
            marker = self._cite(quote, passages, ids, citations)
            passage = passages[quote.passage_index]
            text = _with_ellipses(passage.text[quote.start : quote.end], quote, sentence)
            lines.append(f"- 《{passage.title}》：{text}{format_markers([marker])}")
        lead = "各篇文章的说法不一：" if profile.language == "zh" else "The articles disagree (quoted in Chinese):"
        note = disagreement.note(passages)
        return Draft(lead + "\n" + "\n".join(lines), False, citations, [note])

    def _extend(
        self, sentence: EvidenceSentence, evidence: list[EvidenceSentence], profile: QuestionProfile, budget: int
    ) -> EvidenceSentence:
        """Run on into the next sentence of the passage when it adds words the question asked for,
        or when the sentence alone is too short to stand ("贸易多元化是一个关乎生死存亡的问题。"
        needs the reason that follows)."""
        text = self._passages[sentence.passage_index].text
        following = sorted(
            (e for e in evidence if e.passage_index == sentence.passage_index and e.start >= sentence.end),
            key=lambda e: e.start,
        )
        current = sentence
        for nxt in following:
            if text[current.end : nxt.start].strip() or nxt.end - current.start > budget:
                break  # not adjacent, or over budget
            gain = term_coverage(profile.terms, text[current.start : nxt.end], self._stats) - term_coverage(
                profile.terms, current.text, self._stats
            )
            if gain <= 0 and len(current.text) >= SELF_STANDING_CHARS:
                break
            current = replace(current, end=nxt.end, text=text[current.start : nxt.end])
        return current

    def _table_answer(
        self, rows: list[EvidenceSentence], passages: Sequence[Passage], profile: QuestionProfile
    ) -> Draft:
        """A question answered by a table row gets the table's rows (comparisons need them all)."""
        citations: list[Citation] = []
        ids: dict[_Quote, int] = {}
        lines = []
        for row in rows:
            marker = self._cite(_Quote(row.passage_index, row.start, row.end), passages, ids, citations)
            lines.append(f"{row.text}{format_markers([marker])}")
        lead = "" if profile.language == "zh" else EN_LEAD + "\n"
        return Draft(lead + "\n".join(lines), False, citations, [])

    def _trim(self, sentence: EvidenceSentence, profile: QuestionProfile, budget: int) -> _Quote:
        """The sentence, or for a long one the run of clauses richest in the question's terms."""
        if len(sentence.text) <= budget:
            return _Quote(sentence.passage_index, sentence.start, sentence.end)
        bounds = [0, *(m.end() for m in CLAUSE_BREAKS.finditer(sentence.text)), len(sentence.text)]
        clauses = [(a, b) for a, b in pairwise(bounds) if b > a]
        best, best_value = (0, min(budget, len(sentence.text))), -1.0
        for i in range(len(clauses)):
            for j in range(i, len(clauses)):
                start, end = clauses[i][0], clauses[j][1]
                if end - start > budget:
                    break
                piece = sentence.text[start:end]
                value = term_coverage(profile.terms, piece, self._stats) + 0.001 * len(piece)
                if profile.answer_type in FACTOID_TYPES and re.search(r"\d", piece):
                    value += 0.2
                if value > best_value:
                    best, best_value = (start, end), value
        return _Quote(sentence.passage_index, sentence.start + best[0], sentence.start + best[1])

    @staticmethod
    def _cite(quote: _Quote, passages: Sequence[Passage], ids: dict[_Quote, int], citations: list[Citation]) -> int:
        if quote not in ids:
            ids[quote] = len(ids) + 1
            citations.append(Citation.from_span(ids[quote], passages[quote.passage_index], quote.start, quote.end))
        return ids[quote]


def format_markers(ids: Sequence[int]) -> str:
    return "".join(f"[{i}]" for i in ids)


def refusal_text(question: str, language: str) -> str:
    topic = question.strip().rstrip("？?。.!！")
    topic = topic if len(topic) <= 40 else topic[:40] + "…"
    if language == "zh":
        return f"资料中没有找到关于“{topic}”的信息。这五篇文章没有涉及这个问题，kzqa 不作猜测。"
    return f"The articles do not contain an answer to “{topic}”. kzqa answers only from its five articles."


def _table_rows(
    best: EvidenceSentence, evidence: Sequence[EvidenceSentence], passages: Sequence[Passage]
) -> list[EvidenceSentence]:
    """All rows of the table `best` belongs to that were retrieved, in document order ([] if
    `best` is not a table row). Rows are the lines "label：…。" the ingest stage writes for tables."""
    if not _is_row(best, passages):
        return []
    source = passages[best.passage_index].source
    rows = [e for e in evidence if passages[e.passage_index].source == source and _is_row(e, passages)]
    rows.sort(key=lambda e: passages[e.passage_index].start + e.start)
    return rows[:MAX_TABLE_ROWS]


def _is_row(sentence: EvidenceSentence, passages: Sequence[Passage]) -> bool:
    text = passages[sentence.passage_index].text
    alone_on_line = (sentence.start == 0 or text[sentence.start - 1] == "\n") and (
        sentence.end == len(text) or text[sentence.end] == "\n"
    )
    return alone_on_line and bool(TABLE_ROW.match(sentence.text))


def _with_ellipses(text: str, quote: _Quote, sentence: EvidenceSentence) -> str:
    """Mark where a trimmed quote leaves out part of its sentence."""
    return f"{'……' if quote.start > sentence.start else ''}{text}{'……' if quote.end < sentence.end else ''}"


def _overlaps(a: EvidenceSentence, b: EvidenceSentence) -> bool:
    return a.passage_index == b.passage_index and a.start < b.end and b.start < a.end
