"""Scored answers into the run's records: why each question failed, the metrics per group of
questions (overall, per type, per split) and the hit@k curve."""

from __future__ import annotations

from collections.abc import Sequence

from chat_app.evaluation.answer_eval import AnswerResult, summarize
from chat_app.evaluation.configs import EvalConfig
from chat_app.evaluation.metrics import file_hit_at_k, keywords_present, mean, percentile
from chat_app.evaluation.results import METRICS, ConfigRun, QuestionOutcome, Scores
from chat_app.evaluation.retrieval_eval import K, aggregate
from chat_app.evaluation.testset import EvalCase

SPLIT_ORDER = ("validate", "tune")  # validate first: it is the number to report


def score(outcomes: Sequence[QuestionOutcome]) -> Scores:
    results = [outcome.result for outcome in outcomes]
    answers = summarize(results)
    retrieved = [r.retrieval for r in results if r.retrieval is not None]
    retrieval = aggregate(retrieved)
    values = {spec.key: getattr(retrieval, spec.key) for spec in METRICS if spec.group == "retrieval"}
    values |= {spec.key: getattr(answers, spec.key) for spec in METRICS if spec.group == "answers"}
    values |= {
        "latency_p50_ms": answers.latency_p50_ms,
        "latency_p95_ms": answers.latency_p95_ms,
        "answer_chars_p50": percentile([float(len(r.answer)) for r in results], 0.5),
    }
    # A rate over no questions is undefined, not zero: e.g. refusal rate on a type with no unanswerable.
    applies_to = {
        **{spec.key: len(retrieved) for spec in METRICS if spec.group == "retrieval"},
        "answer_accuracy": answers.answerable,
        "false_refusal_rate": answers.answerable,
        "citation_precision": sum(r.citation_precision is not None for r in results),
        "citation_recall": sum(r.citation_recall is not None for r in results),
        "refusal_rate": answers.unanswerable,
        "disagreement_noted": sum(r.type == "conflict" for r in results),
        "headline_agreement": sum(r.headline_ok is not None for r in results),
    }
    return {key: None if applies_to.get(key, len(results)) == 0 else value for key, value in values.items()}


def hit_curve(outcomes: Sequence[QuestionOutcome]) -> list[float]:
    retrieved = [(o.result.retrieval.sources, o.gold_sources) for o in outcomes if o.result.retrieval is not None]
    return [mean([file_hit_at_k(ranked, gold, k) for ranked, gold in retrieved]) for k in range(1, K + 1)]


def outcome(case: EvalCase, result: AnswerResult) -> QuestionOutcome:
    groups = [list(group) for group in case.answer_keywords]
    missing = [] if result.refused else [group for group in groups if not keywords_present(result.answer, [group])]
    problems = []
    if not case.answerable and not result.refused:
        problems.append("answered a question the articles cannot answer")
    if case.answerable and result.refused:
        problems.append("refused an answerable question")
    if case.answerable and missing:
        problems.append("missing keywords: " + "; ".join(" | ".join(group) for group in missing))
    if case.answerable and (wrong := [s for s in result.cited_sources if s not in case.sources]):
        problems.append("cited outside the gold sources: " + ", ".join(wrong))
    return QuestionOutcome(
        result=result,
        history=list(case.history),
        gold_sources=list(case.sources),
        expected_keywords=groups,
        missing_keywords=missing,
        problems=problems,
    )


def score_config(
    config: EvalConfig, cases: Sequence[EvalCase], results: Sequence[AnswerResult], seconds: float
) -> ConfigRun:
    """One configuration's answers to `cases`, in order, scored; `seconds` is what they took."""
    outcomes = [outcome(case, result) for case, result in zip(cases, results, strict=True)]
    types = sorted({case.type for case in cases})
    splits = [s for s in SPLIT_ORDER if any(case.split == s for case in cases)]

    def by_type(subset: list[QuestionOutcome]) -> dict[str, Scores]:
        present = sorted({o.result.type for o in subset})
        return {t: score([o for o in subset if o.result.type == t]) for t in present}

    in_split = {name: [o for o in outcomes if o.result.split == name] for name in splits}
    return ConfigRun(
        name=config.name.value,
        description=config.description,
        run_seconds=seconds,
        overall=score(outcomes),
        by_type={t: score([o for o in outcomes if o.result.type == t]) for t in types},
        hit_curve=hit_curve(outcomes),
        outcomes=outcomes,
        by_split={name: score(subset) for name, subset in in_split.items()},
        by_split_type={name: by_type(subset) for name, subset in in_split.items()},
    )
