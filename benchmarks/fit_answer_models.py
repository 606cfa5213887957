"""Fit the answer engine's two models on the `tune` split and write them, with the metrics they reached.

    .venv/bin/python benchmarks/fit_answer_models.py [--only answerability|composition|vetoes]

With --only answerability (or composition), that model alone is refitted and written (the ranker is
still cross-validated, since both learn from its out-of-fold beliefs); the other files stay as they
are, and the report quotes their own recorded metrics. --only composition keeps the grid settings
as committed and searches only the settings refined one at a time (COMPOSITION_REFINE, then
COMPOSITION_POINTS): the step to take when one of those is new. --only vetoes keeps the
answerability model's weights, threshold and floors and chooses its vetoes again.

1. The evidence ranker: gradient-boosted trees over the candidate-sentence features
   (chat_app/engine/features.py). A sentence is a positive example when it comes from a gold source
   and holds a keyword of the gold answer. Tree depth and count are chosen by 5-fold
   cross-validation grouped by conversation, on how often the top sentence is a positive.
2. Answerability: a logistic model over question-level signals (chat_app/engine/answerability.py),
   trained on out-of-fold ranker outputs so it sees the ranker as it behaves on unseen questions.
   Its threshold is the one that refuses the most unanswerable questions (out of fold) while
   false refusals stay at or under FALSE_REFUSAL_TARGET. Then yes/no signals that fire mostly on
   unanswerable tune questions become vetoes (choose_vetoes), and
   floors are recorded below which no tune question was answerable: the share of known words, the
   cover of the telling words, and per language the cosine of the closest indexed sentence.

Only `tune` questions are read: `validate` is never looked at here. Outputs:
chat_app/engine/models/{ranker,answerability}.json and benchmarks/results/answer_models.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import sys
import time
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.ensemble import GradientBoostingClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from tqdm import tqdm  # noqa: E402

from chat_app.config import load_config  # noqa: E402
from chat_app.engine.answerability import ANSWERABILITY_MODEL, SIGNALS, AnswerabilityJudge  # noqa: E402
from chat_app.engine.composer import CompositionSettings, ExtractiveComposer  # noqa: E402
from chat_app.engine.features import FEATURES  # noqa: E402
from chat_app.engine.linear_model import LinearModel  # noqa: E402
from chat_app.engine.ranker import RANKER_MODEL  # noqa: E402
from chat_app.engine.reading import Reader  # noqa: E402
from chat_app.engine.records import (  # noqa: E402
    CandidatePool,
    Decision,
    Question,
    RankedEvidence,
    ScoredSentence,
    Verdict,
)
from chat_app.engine.text import normalize  # noqa: E402
from chat_app.engine.tree_model import Tree, TreeModel  # noqa: E402
from chat_app.evaluation.metrics import keywords_present  # noqa: E402
from chat_app.evaluation.testset import EvalCase, load_testset  # noqa: E402
from chat_app.index_settings import index_settings  # noqa: E402
from index.embedder import Embedder  # noqa: E402
from index.hybrid_retriever import HybridRetriever  # noqa: E402
from index.indexer import build_index  # noqa: E402
from index.manifest import IndexMissing  # noqa: E402

TESTSET = ROOT / "tests" / "data" / "qa.jsonl"
REPORT = ROOT / "benchmarks" / "results" / "answer_models.md"
COMPOSITION = ROOT / "chat_app" / "engine" / "models" / "composition.json"
COMPOSITION_GRID = {
    "support_margin": (0.05, 0.15, 0.3),
    "max_points": (2, 3, 4),
    "max_support": (0, 1, 2),
    "support_same_source": (True, False),
    "points_same_source": (True, False),
    "trim_chars": (60, 90, 150),
}
# Settings tried one at a time after the grid, each with the others at their chosen values (a full
# grid over them as well would take hours).
COMPOSITION_REFINE = {
    "elaborate_chars": (0, 40, 60, 90),
    "join_rank": (0, 3, 6, 12),
    "typed_lead": (False, True),
    "corroboration_overlap": (0.5, 0.7, 1.01),  # above 1: no other article's sentence is ever cited beside
}
# How many points a why/how/compare answer makes, how far below the best sentence a point may score,
# and whether a why-answer opens on a sentence stating a reason: fitted last, on those questions alone
# (on all questions their few changes fall within the tie and the shortest answers would always win).
COMPOSITION_POINTS = {
    "max_points": (2, 3, 4),
    "points_margin": (0.0, 0.5, 1.0),
    "reason_lead": (False, True),
    "listed_points": (False, True),
}
# How far below the support margin figures that disagree are looked for: fitted last, on the questions
# about quantities the articles state differently (type conflict) alone.
COMPOSITION_CONFLICTS = {
    "conflict_margin": (0.0, 0.15, 0.3, 0.45),
}
COMPOSITION_TIE = 0.01  # a pass rate this close to the best counts as as good: then shorter answers win
FOLDS = 5
TREE_GRID = ((2, 150), (2, 300), (3, 150))  # (depth, trees)
LEARNING_RATE = 0.05
SUBSAMPLE = 0.8
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
FALSE_REFUSAL_TARGET = 0.02  # the issue allows 3% on validate; leave room for the split's noise
DUMP = Path(os.environ["KZQA_FIT_DUMP"]) if os.environ.get("KZQA_FIT_DUMP") else None  # per-question signals
# Reuse the questions read by an earlier run (reading is most of the time). Only valid while the
# reading stages (question analysis, candidates, features) and the tune split are unchanged.
EXAMPLES_CACHE = Path(os.environ["KZQA_FIT_EXAMPLES"]) if os.environ.get("KZQA_FIT_EXAMPLES") else None
SELECTION_GAIN = 0.005  # the fewest signals whose out-of-fold AUC is within this of the best forward-path AUC
# Yes/no signals tried as vetoes (refuse although the probability would answer). One is kept when, among
# the tune questions still answered out of fold, it catches at least VETO_MIN_CAUGHT unanswerable ones
# and its (Laplace-smoothed) share of unanswerable among those it refuses is at least VETO_MIN_PRECISION,
# with false refusals still within the target: a rare but telling signal the logistic blend dilutes.
VETO_CANDIDATES = ("year_unknown", "year_missing", "type_missing", "focus_missing", "entity_missing",
                   "focus_unknown", "measure_missing", "first_type_missing", "first_focus_missing",
                   "kind_missing", "first_kind_missing", "total_unstated", "figure_unquoted",
                   "peer_instead", "month_unstated")  # fmt: skip
VETO_MIN_CAUGHT = 3
VETO_MIN_PRECISION = 0.75
RELATED_PERCENTILE = 5  # below the 5th percentile of answerable questions' top belief: nothing related


@dataclass
class Example:
    case: EvalCase
    question: Question
    pool: CandidatePool
    matrix: np.ndarray
    labels: np.ndarray  # 1: the sentence holds part of the gold answer
    weights: np.ndarray
    group: str


def main() -> None:
    parser = argparse.ArgumentParser(description="Fit the answer models on the tune split.")
    parser.add_argument("--only", choices=("answerability", "composition", "vetoes"),
                        help="refit this model alone (vetoes: the answerability model's vetoes, its weights "
                             "kept); the other models' files stay as they are")  # fmt: skip
    only = parser.parse_args().only
    started = time.perf_counter()
    config = load_config()
    settings = index_settings(config)
    embedder = Embedder.load(settings)
    try:
        retriever = HybridRetriever(settings, embedder=embedder)
    except IndexMissing:
        build_index(settings, embedder=embedder)
        retriever = HybridRetriever(settings, embedder=embedder)
    reader = Reader.over(retriever)
    cases = load_testset(TESTSET, split="tune")
    if EXAMPLES_CACHE and EXAMPLES_CACHE.is_file():
        examples = pickle.loads(EXAMPLES_CACHE.read_bytes())
    else:
        examples = [example(reader, case) for case in tqdm(cases, desc="reading tune questions", unit="q")]
        if EXAMPLES_CACHE:
            EXAMPLES_CACHE.write_bytes(pickle.dumps(examples))
    print(f"{len(examples)} tune questions read in {time.perf_counter() - started:.0f} s")

    ranker, ranker_metrics, oof = fit_ranker(examples)
    if only == "composition":
        judge_model = LinearModel.load(ANSWERABILITY_MODEL, expected=SIGNALS)
        judge_metrics = judge_model.extra.get("metrics", {})
    elif only == "vetoes":
        judge_model, judge_metrics = refit_vetoes(examples, oof, reader.vocabulary)
        judge_model.save(ANSWERABILITY_MODEL)
    else:
        judge_model, judge_metrics = fit_answerability(examples, oof, reader.vocabulary)
        judge_model.save(ANSWERABILITY_MODEL)
    if only in ("answerability", "vetoes"):
        composition_metrics = json.loads(COMPOSITION.read_text(encoding="utf-8")).get("metrics", {})
    else:
        kept = CompositionSettings.load(COMPOSITION) if only == "composition" else None
        composition, composition_metrics = fit_composition(examples, oof, kept=kept)
        fitted = {"settings": asdict(composition), "fitted": _provenance(len(examples)), "metrics": composition_metrics}
        COMPOSITION.write_text(json.dumps(fitted, indent=2) + "\n", encoding="utf-8")
    if only is not None:
        ranker = TreeModel.load(RANKER_MODEL, expected=FEATURES)
        ranker_metrics = ranker.extra.get("metrics", {})
    else:
        ranker.save(RANKER_MODEL)
    write_report(ranker, ranker_metrics, judge_model, judge_metrics, len(examples), composition_metrics,
                 only=only)  # fmt: skip
    print(json.dumps({"ranker": ranker_metrics, "answerability": judge_metrics,
                      "composition": composition_metrics}, indent=2))  # fmt: skip


def example(reader: Reader, case: EvalCase) -> Example:
    history = case.history_messages()
    question = reader.question(case.question, history)
    pool = reader.pool(question)
    matrix = reader.extractor.run(question, pool)
    labels, weights = [], []
    groups = [[normalize(alt) for alt in group] for group in case.answer_keywords]
    for candidate in pool.candidates:
        source = pool.passages[candidate.chunk_id].source
        text = normalize(candidate.text)
        hits = sum(any(alt in text for alt in group) for group in groups) if source in case.sources else 0
        labels.append(1 if hits else 0)
        weights.append(hits / len(groups) if hits else 1.0)
    return Example(case, question, pool, matrix, np.asarray(labels), np.asarray(weights),
                   case.conversation or case.id)  # fmt: skip


def _logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float) -> tuple[StandardScaler, LogisticRegression]:
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    model.fit(scaler.transform(x), y, sample_weight=w)
    return scaler, model


def _as_linear(scaler, model, names, **extra) -> LinearModel:
    return LinearModel(
        features=tuple(names),
        mean=tuple(float(v) for v in scaler.mean_),
        scale=tuple(float(v) if v > 0 else 1.0 for v in scaler.scale_),
        weights=tuple(float(v) for v in model.coef_[0]),
        intercept=float(model.intercept_[0]),
        **extra,
    )


def _folds(groups: list[str]):
    return GroupKFold(n_splits=FOLDS).split(np.zeros(len(groups)), groups=groups)


class BoostedRanker:
    """Boosted trees on candidates (answers weighed as much as non-answers in total), then a
    one-feature logistic fit of the raw score to the labels, so probabilities are calibrated."""

    def __init__(self, depth: int, trees: int):
        self.depth, self.trees = depth, trees

    def fit(self, examples: list[Example]) -> BoostedRanker:
        x = np.vstack([e.matrix for e in examples])
        y = np.concatenate([e.labels for e in examples])
        w = np.concatenate([e.weights for e in examples])
        share = y.mean()
        balanced = w * np.where(y == 1, 0.5 / share, 0.5 / (1 - share))
        self.model = GradientBoostingClassifier(
            max_depth=self.depth,
            n_estimators=self.trees,
            learning_rate=LEARNING_RATE,
            subsample=SUBSAMPLE,
            random_state=0,
        )
        self.model.fit(x, y, sample_weight=balanced)
        raw = self.model.decision_function(x)
        self.calibration = LogisticRegression(C=1.0, max_iter=5000).fit(raw.reshape(-1, 1), y)
        return self

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        if not len(matrix):
            return np.zeros(0)
        return self.calibration.predict_proba(self.model.decision_function(matrix).reshape(-1, 1))[:, 1]

    def export(self, examples: list[Example], **extra) -> TreeModel:
        trees = tuple(
            Tree(
                feature=estimator.tree_.feature.astype(np.int64),
                threshold=estimator.tree_.threshold.astype(np.float64),
                left=estimator.tree_.children_left.astype(np.int64),
                right=estimator.tree_.children_right.astype(np.int64),
                value=estimator.tree_.value[:, 0, 0].astype(np.float64),
            )
            for estimator in self.model.estimators_[:, 0]
        )
        x = np.vstack([e.matrix for e in examples])
        probe = TreeModel(FEATURES, trees, LEARNING_RATE, 0.0, (1.0, 0.0))
        baseline = float(np.median(self.model.decision_function(x) - probe.scores(x)))
        calibration = (float(self.calibration.coef_[0][0]), float(self.calibration.intercept_[0]))
        model = TreeModel(FEATURES, trees, LEARNING_RATE, baseline, calibration, extra=extra)
        # The exported arrays must reproduce scikit-learn exactly, or the engine ranks differently.
        assert np.allclose(model.probabilities(x), self.probabilities(x), atol=1e-6), "tree export mismatch"
        return model


def ranker_oof(examples: list[Example], setting: tuple[int, int]) -> list[np.ndarray]:
    """Out-of-fold probabilities for every candidate of every example."""
    out: list[np.ndarray] = [np.zeros(0)] * len(examples)
    for train, test in _folds([e.group for e in examples]):
        ranker = BoostedRanker(*setting).fit([examples[i] for i in train])
        for i in test:
            out[i] = ranker.probabilities(examples[i].matrix)
    return out


def top_hits(examples: list[Example], probabilities: list[np.ndarray], n: int) -> float:
    answerable = [(e, p) for e, p in zip(examples, probabilities, strict=True) if e.case.answerable]
    hits = [bool(len(p)) and e.labels[np.argsort(-p, kind="stable")[:n]].any() for e, p in answerable]
    return float(np.mean(hits))


def fit_ranker(examples: list[Example]) -> tuple[TreeModel, dict, list[np.ndarray]]:
    oofs = {setting: ranker_oof(examples, setting) for setting in TREE_GRID}
    scores = {setting: top_hits(examples, oof, 1) for setting, oof in oofs.items()}
    best = max(TREE_GRID, key=lambda setting: (scores[setting], -setting[0], -setting[1]))
    oof = oofs[best]
    final = BoostedRanker(*best).fit(examples)
    y = np.concatenate([e.labels for e in examples])
    reachable = float(np.mean([e.labels.any() for e in examples if e.case.answerable]))
    metrics = {
        "depth_trees": list(best),
        "cv_top1_by_depth_trees": {f"{d}x{n}": round(v, 4) for (d, n), v in scores.items()},
        "cv_top1": round(top_hits(examples, oof, 1), 4),
        "cv_top3": round(top_hits(examples, oof, 3), 4),
        "answer_in_pool": round(reachable, 4),
        "candidates": len(y),
        "positives": int(y.sum()),
    }
    model = final.export(examples, fitted=_provenance(len(examples)), metrics=metrics)
    return model, metrics, oof


def _ranked(example: Example, probabilities: np.ndarray) -> RankedEvidence:
    scored = [
        ScoredSentence(candidate, float(p), dict(zip(FEATURES, map(float, row), strict=True)))
        for candidate, p, row in zip(example.pool.candidates, probabilities, example.matrix, strict=True)
    ]
    scored.sort(key=lambda s: (-s.probability, s.candidate.row))
    return RankedEvidence(tuple(scored), example.pool)


def fit_answerability(examples: list[Example], oof: list[np.ndarray], vocabulary) -> tuple[LinearModel, dict]:
    """Signals are added one at a time, each time the one that raises the out-of-fold AUC most
    (forward selection: with ~90 unanswerable questions, fewer weights generalise better); the
    shortest prefix of that path that is nearly as good is kept; then C and the threshold are chosen."""
    rows, y = _signal_rows(examples, oof, vocabulary)
    groups = [e.group for e in examples]

    def matrix(names) -> np.ndarray:
        return np.asarray([[row[name] for name in names] for row in rows])

    def oof_probabilities(names, c: float) -> np.ndarray:
        x, out = matrix(names), np.zeros(len(y))
        for train, test in _folds(groups):
            scaler, model = _logistic(x[train], y[train], np.ones(len(train)), c)
            out[test] = model.predict_proba(scaler.transform(x[test]))[:, 1]
        return out

    def best_auc(names) -> float:
        # Each trial at its own best C: at one fixed C the greedy path could stall early on a signal
        # set that only needs less (or more) regularisation.
        return max(roc_auc_score(y, oof_probabilities(names, c)) for c in C_GRID)

    # The whole forward path, then its shortest prefix within SELECTION_GAIN of the best: stopping at
    # the first step that gains little can stall on a signal that only pays off with a later one.
    path: list[str] = []
    path_aucs: list[float] = []
    while len(path) < len(SIGNALS):
        trials = {name: best_auc([*path, name]) for name in SIGNALS if name not in path}
        name, best = max(trials.items(), key=lambda item: item[1])
        path.append(name)
        path_aucs.append(best)
    size = next(i + 1 for i, auc in enumerate(path_aucs) if auc >= max(path_aucs) - SELECTION_GAIN)
    chosen = path[:size]
    aucs = {c: roc_auc_score(y, oof_probabilities(chosen, c)) for c in C_GRID}
    best_c = max(C_GRID, key=lambda c: (aucs[c], -c))
    probabilities = oof_probabilities(chosen, best_c)
    threshold, refused, false_refused = choose_threshold(probabilities, y)
    vetoes, veto_counts = choose_vetoes(rows, probabilities >= threshold, y)
    answered = (probabilities >= threshold) & ~_vetoed(rows, vetoes)
    if DUMP:
        dumped = [{"id": e.case.id, "q": e.case.question, "answerable": e.case.answerable, "p": float(p), **row}
                  for e, p, row in zip(examples, probabilities, rows, strict=True)]  # fmt: skip
        DUMP.write_text(json.dumps(dumped, ensure_ascii=False, indent=0), encoding="utf-8")
    scaler, model = _logistic(matrix(chosen), y, np.ones(len(y)), best_c)
    top = np.asarray([row["top_probability"] for row, label in zip(rows, y, strict=True) if label])
    related = float(np.percentile(top, RELATED_PERCENTILE)) if len(top) else 0.0
    # The largest share of known words below which no tune question is answerable (none refused by it).
    known = [row["known_share"] for row, label in zip(rows, y, strict=True) if label]
    min_known = float(min(known)) if known else 0.0
    vetoed = sum(1 for row, label in zip(rows, y, strict=True) if not label and row["known_share"] < min_known)
    # … and the least cover of the question's telling words by its top sentences that an answerable one had.
    covers = [row["best_cover"] for row, label in zip(rows, y, strict=True) if label]
    min_cover = float(min(covers)) if covers else 0.0
    uncovered = sum(1 for row, label in zip(rows, y, strict=True) if not label and row["best_cover"] < min_cover)
    # … and, per language, the least closeness in meaning of the nearest indexed sentence an answerable one had.
    min_cosine = _min_answerable_cosine(rows, y)
    far = sum(1 for row, label in zip(rows, y, strict=True)
              if not label and row["max_cosine"] < min_cosine[_language(row)])  # fmt: skip
    metrics = {
        "signals": chosen,
        "forward_path_auc": {name: round(auc, 4) for name, auc in zip(path, path_aucs, strict=True)},
        "C": best_c,
        "cv_auc_by_C": {str(c): round(v, 4) for c, v in aucs.items()},
        "cv_auc": round(aucs[best_c], 4),
        "threshold": round(threshold, 4),
        "cv_refusal_rate_before_vetoes": round(refused, 4),
        "cv_false_refusal_rate_before_vetoes": round(false_refused, 4),
        "vetoes": vetoes,
        "veto_counts": veto_counts,
        "cv_refusal_rate": round(float((~answered)[y == 0].mean()), 4),
        "cv_false_refusal_rate": round(float((~answered)[y == 1].mean()), 4),
        "false_refusal_target": FALSE_REFUSAL_TARGET,
        "related_probability": round(related, 4),
        "min_known_share": round(min_known, 4),
        "unanswerable_below_min_known_share": vetoed,
        "min_best_cover": round(min_cover, 4),
        "unanswerable_below_min_best_cover": uncovered,
        "min_max_cosine": {lang: round(v, 4) for lang, v in min_cosine.items()},
        "unanswerable_below_min_max_cosine": far,
        "answerable": int(y.sum()),
        "unanswerable": int(len(y) - y.sum()),
    }
    linear = _as_linear(scaler, model, chosen, threshold=threshold,
                        extra={"related_probability": related, "min_known_share": min_known, "vetoes": vetoes,
                               "min_best_cover": min_cover, "min_max_cosine": min_cosine,
                               "fitted": _provenance(len(examples)),
                               "metrics": metrics})  # fmt: skip
    return linear, metrics


def refit_vetoes(examples: list[Example], oof: list[np.ndarray], vocabulary) -> tuple[LinearModel, dict]:
    """The committed answerability model with its vetoes chosen again (choose_vetoes) on today's
    signals; its weights, threshold and floors stay as they were fitted."""
    kept = LinearModel.load(ANSWERABILITY_MODEL, expected=SIGNALS)
    rows, y = _signal_rows(examples, oof, vocabulary)
    probabilities = np.asarray([kept.probability(row) for row in rows])
    vetoes, veto_counts = choose_vetoes(rows, probabilities >= kept.threshold, y)
    answered = (probabilities >= kept.threshold) & ~_vetoed(rows, vetoes)
    metrics = {
        **kept.extra.get("metrics", {}),
        "vetoes": vetoes,
        "veto_counts": veto_counts,
        "vetoes_refitted": _provenance(len(examples)),
        "refusal_rate_with_vetoes": round(float((~answered)[y == 0].mean()), 4),
        "false_refusal_rate_with_vetoes": round(float((~answered)[y == 1].mean()), 4),
    }
    return replace(kept, extra={**kept.extra, "vetoes": vetoes, "metrics": metrics}), metrics


def _signal_rows(examples: list[Example], oof: list[np.ndarray], vocabulary) -> tuple[list[dict], np.ndarray]:
    """Each tune question's answerability signals over its out-of-fold ranking, and 1 where answerable."""
    probe = AnswerabilityJudge(vocabulary=vocabulary, model=_placeholder())
    rows = [probe.signals(e.question, _ranked(e, p)) for e, p in zip(examples, oof, strict=True)]
    return rows, np.asarray([int(e.case.answerable) for e in examples])


def _language(row: dict[str, float]) -> str:
    return "en" if row["english"] else "zh"


def _min_answerable_cosine(rows: list[dict[str, float]], y: np.ndarray) -> dict[str, float]:
    """Per question language, the lowest nearest-sentence cosine among answerable tune questions."""
    lowest: dict[str, float] = {}
    for row, label in zip(rows, y, strict=True):
        if label:
            language = _language(row)
            lowest[language] = min(lowest.get(language, 1.0), float(row["max_cosine"]))
    return lowest


def fit_composition(examples: list[Example], oof: list[np.ndarray], *,
                    kept: CompositionSettings | None = None) -> tuple[CompositionSettings, dict]:  # fmt: skip
    """The answer-length settings with the best tune pass rate on answerable questions, out of fold
    (ranked by the ranker that did not see the question); among settings within COMPOSITION_TIE of
    the best, the one giving the shortest answers. The grid first, then each COMPOSITION_REFINE
    setting in turn, then each COMPOSITION_POINTS setting scored on why/how/compare questions alone.
    With `kept` (the committed settings), the grid settings stay as they are and only the later
    settings are searched again; a committed value within the tie of the best is kept."""
    answerable = [(e, _ranked(e, p)) for e, p in zip(examples, oof, strict=True) if e.case.answerable]

    explanatory = [(e, evidence) for e, evidence in answerable if e.question.answer_type.explanatory]

    def score(settings: CompositionSettings, questions=answerable) -> tuple[float, float]:
        composer = ExtractiveComposer(settings=settings)
        yes = Verdict(Decision.ANSWER, 1.0, "fitting")
        passed, lengths = [], []
        for e, evidence in questions:
            draft = composer.run(e.question, evidence, yes)
            precise = all(c.source in e.case.sources for c in draft.citations)
            passed.append(keywords_present(draft.text, e.case.answer_keywords) and precise)
            lengths.append(len(draft.text))
        return float(np.mean(passed)), float(np.median(lengths))

    def best_of(results: dict, kept_value=None):
        best_pass = max(rate for rate, _ in results.values())
        close = [v for v, (rate, _) in results.items() if rate >= best_pass - COMPOSITION_TIE]
        if kept_value in close:
            return kept_value, best_pass  # a refit does not flip a committed setting on a tie
        return min(close, key=lambda v: (results[v][1], -results[v][0])), best_pass

    results = {}
    grid = [tuple(getattr(kept, name) for name in COMPOSITION_GRID)] if kept else itertools.product(
        *COMPOSITION_GRID.values())  # fmt: skip
    for values in grid:
        results[values] = score(CompositionSettings(**dict(zip(COMPOSITION_GRID, values, strict=True))))
    chosen, best_pass = best_of(results)
    settings = CompositionSettings(**dict(zip(COMPOSITION_GRID, chosen, strict=True)))
    grid_pass = results[chosen][0]
    default = tuple(getattr(CompositionSettings(), name) for name in COMPOSITION_GRID)

    def one_at_a_time(settings: CompositionSettings, table: dict, questions) -> tuple[CompositionSettings, dict]:
        """Each setting of `table` in turn, the others as chosen, scored on `questions`."""
        by_value = {}
        for name, values in table.items():
            trials = {value: score(replace(settings, **{name: value}), questions) for value in values}
            value, _ = best_of(trials, getattr(kept, name) if kept else None)
            settings = replace(settings, **{name: value})
            by_value[name] = {str(v): round(rate, 4) for v, (rate, _) in trials.items()}
        return settings, by_value

    settings, refined = one_at_a_time(settings, COMPOSITION_REFINE, answerable)
    settings, points = one_at_a_time(settings, COMPOSITION_POINTS, explanatory)
    conflicting = [(e, evidence) for e, evidence in answerable if e.case.type == "conflict"]
    settings, conflicts = one_at_a_time(settings, COMPOSITION_CONFLICTS, conflicting)
    final_pass, final_length = score(settings)
    metrics = {
        "cv_pass_answerable": round(final_pass, 4),
        "median_answer_chars": final_length,
        "grid_pass": round(grid_pass, 4),
        "best_pass_any_setting": round(best_pass, 4),
        "starting_values_pass": round(results[default][0], 4) if default in results else None,
        "grid": {name: [getattr(kept, name)] if kept else list(values) for name, values in COMPOSITION_GRID.items()},
        "refined_pass_by_value": refined,
        "explanatory_questions": len(explanatory),
        "explanatory_pass_by_value": points,
        "conflict_questions": len(conflicting),
        "conflict_pass_by_value": conflicts,
    }
    return settings, metrics


def choose_threshold(probabilities: np.ndarray, answerable: np.ndarray) -> tuple[float, float, float]:
    """The cut refusing the most unanswerable questions with false refusals ≤ the target."""
    best = (0.0, 0.0, 0.0)
    for cut in sorted(set(np.round(probabilities, 6))):
        refused = probabilities < cut
        false_rate = float(refused[answerable == 1].mean()) if answerable.any() else 0.0
        refusal_rate = float(refused[answerable == 0].mean()) if (answerable == 0).any() else 0.0
        if false_rate <= FALSE_REFUSAL_TARGET and refusal_rate >= best[1]:
            best = (float(cut), refusal_rate, false_rate)
    return best


def choose_vetoes(rows: list[dict], answered: np.ndarray, answerable: np.ndarray) -> tuple[list[str], dict]:
    """Greedily, the yes/no signals that refuse mostly unanswerable questions. A signal's precision is
    judged over every tune question it fires on, not only those the probability still answers out of
    fold: which of those the probability answers shifts from fold to fold (and on new questions),
    while a signal that almost never fires on an answerable question stays telling."""
    chosen: list[str] = []
    counts: dict[str, dict[str, int]] = {}
    still = answered.copy()
    while True:
        trials = {}
        for name in VETO_CANDIDATES:
            if name in chosen:
                continue
            fires_anywhere = _vetoed(rows, [name])
            caught_all = int(fires_anywhere[answerable == 0].sum())
            lost_all = int(fires_anywhere[answerable == 1].sum())
            precision = (caught_all + 1) / (caught_all + lost_all + 2)
            fires = still & fires_anywhere
            caught, lost = int(fires[answerable == 0].sum()), int(fires[answerable == 1].sum())
            false_rate = float((~(still & ~fires))[answerable == 1].mean())
            if caught_all >= VETO_MIN_CAUGHT and precision >= VETO_MIN_PRECISION and false_rate <= FALSE_REFUSAL_TARGET:
                trials[name] = (caught - lost, caught_all - lost_all, caught, lost, caught_all, lost_all)
        if not trials:
            return chosen, counts
        name = max(trials, key=lambda n: trials[n][:2])
        chosen.append(name)
        caught, lost, caught_all, lost_all = trials[name][2:]
        counts[name] = {"unanswerable_refused": caught, "answerable_refused": lost,
                        "fires_on_unanswerable": caught_all, "fires_on_answerable": lost_all}  # fmt: skip
        still &= ~_vetoed(rows, [name])


def _vetoed(rows: list[dict], names) -> np.ndarray:
    return np.asarray([any(row[name] > 0 for name in names) for row in rows], dtype=bool)


def _placeholder() -> LinearModel:
    """A model that only lets AnswerabilityJudge compute signals (its decision is not used here)."""
    zeros = tuple(0.0 for _ in SIGNALS)
    return LinearModel(SIGNALS, zeros, tuple(1.0 for _ in SIGNALS), zeros, 0.0)


def _provenance(count: int) -> str:
    return f"tests/data/qa.jsonl split=tune ({count} questions), {date.today().isoformat()}"


def write_report(ranker: TreeModel, ranker_metrics: dict, judge: LinearModel, judge_metrics: dict, n: int,
                 composition: dict, *, only: str | None = None) -> None:  # fmt: skip
    kept_note = [
        f"Only {only} was refitted in this run (`--only {only}`): the other sections quote the metrics",
        f"recorded when they were fitted (the ranker: {ranker.extra.get('fitted', 'date unknown')}).",
        "",
    ]
    lines = [
        "# Answer models (fitted on `tune`)",
        "",
        f"Written by `benchmarks/fit_answer_models.py` from {n} tune questions; `validate` is never read.",
        "Cross-validated (5 folds, grouped by conversation) numbers below are on tune questions held out of each fold.",
        "",
        *(kept_note if only else []),
        "## Evidence ranker (`chat_app/engine/models/ranker.json`)",
        "",
        "| metric | value |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in ranker_metrics.items()],
        "",
        "| feature | splits that use it |",
        "|---|---|",
        *[f"| {f} | {n} |" for f, n in _split_counts(ranker)],
        "",
        "## Answerability (`chat_app/engine/models/answerability.json`)",
        "",
        "| metric | value |",
        "|---|---|",
        *_judge_rows(judge, judge_metrics),
        "",
        "| signal | weight (standardised) |",
        "|---|---|",
        *[f"| {f} | {w:+.3f} |" for f, w in sorted(zip(judge.features, judge.weights, strict=True),
                                                 key=lambda fw: -abs(fw[1]))],
        "",
        "## Composition (`chat_app/engine/models/composition.json`)",
        "",
        "| metric | value |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in composition.items()],
        "",
    ]  # fmt: skip
    REPORT.write_text("\n".join(lines), encoding="utf-8")


def _judge_rows(judge: LinearModel, metrics: dict) -> list[str]:
    """The answerability metrics; a refit's vetoes that were not committed as they came are shown beside
    the committed ones (metrics["vetoes_chosen"] says why)."""
    committed = judge.extra.get("vetoes")
    rows = []
    for key, value in metrics.items():
        if key == "vetoes" and committed is not None and list(committed) != list(value):
            rows += [f"| vetoes (refit's choice) | {value} |", f"| vetoes (committed) | {list(committed)} |"]
        else:
            rows.append(f"| {key} | {value} |")
    return rows


def _split_counts(model: TreeModel) -> list[tuple[str, int]]:
    counts = np.zeros(len(model.features), dtype=int)
    for tree in model.trees:
        for column in tree.feature[tree.feature >= 0]:
            counts[column] += 1
    return sorted(zip(model.features, counts.tolist(), strict=True), key=lambda fc: -fc[1])


if __name__ == "__main__":
    main()
