"""A fitted ensemble of small regression trees (gradient boosting), read from a JSON data file.

Trees catch what a weighted sum cannot ("holds a number AND covers the question's words"); the
ensemble is fitted by benchmarks/fit_answer_models.py (scikit-learn's GradientBoostingClassifier,
on the `tune` split) and exported as plain arrays, so run time needs only numpy and no pickle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from chat_app.engine.linear_model import MODELS_DIR, ModelFileError


@dataclass(frozen=True)
class Tree:
    feature: np.ndarray  # per node: the column it splits on (-2 at a leaf)
    threshold: np.ndarray  # go left when value <= threshold
    left: np.ndarray  # child index, -1 at a leaf
    right: np.ndarray
    value: np.ndarray  # the node's output (used at leaves)

    def predict(self, rows: np.ndarray) -> np.ndarray:
        node = np.zeros(len(rows), dtype=np.int64)
        for _ in range(len(self.feature)):  # depth is small; stops as soon as all rows sit on leaves
            inner = self.left[node] >= 0
            if not inner.any():
                break
            columns = np.where(inner, self.feature[node], 0)
            go_left = rows[np.arange(len(rows)), columns] <= self.threshold[node]
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
        return self.value[node]


@dataclass(frozen=True)
class TreeModel:
    features: tuple[str, ...]
    trees: tuple[Tree, ...]
    learning_rate: float
    baseline: float  # the ensemble's starting log-odds
    calibration: tuple[float, float]  # (a, b): P = sigmoid(a * score + b)
    extra: dict[str, Any] = field(default_factory=dict)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        total = np.full(len(rows), self.baseline, dtype=np.float64)
        for tree in self.trees:
            total += self.learning_rate * tree.predict(rows)
        return total

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        if rows.size == 0:
            return np.zeros(0)
        a, b = self.calibration
        return 1.0 / (1.0 + np.exp(-np.clip(a * self.scores(rows) + b, -30, 30)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "trees",
            "features": list(self.features),
            "learning_rate": self.learning_rate,
            "baseline": self.baseline,
            "calibration": list(self.calibration),
            **self.extra,
            "trees": [
                {
                    "feature": tree.feature.tolist(),
                    "threshold": [round(float(t), 9) for t in tree.threshold],
                    "left": tree.left.tolist(),
                    "right": tree.right.tolist(),
                    "value": [round(float(v), 9) for v in tree.value],
                }
                for tree in self.trees
            ],
        }

    def save(self, name: str, *, folder: Path = MODELS_DIR) -> Path:
        path = folder / f"{name}.json"
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, name: str, *, expected: Sequence[str], folder: Path = MODELS_DIR) -> TreeModel:
        path = folder / f"{name}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            features = tuple(data["features"])
            if set(features) - set(expected):
                raise ValueError(f"uses features the engine does not compute: {sorted(set(features) - set(expected))}")
            trees = tuple(
                Tree(
                    feature=np.asarray(t["feature"], dtype=np.int64),
                    threshold=np.asarray(t["threshold"], dtype=np.float64),
                    left=np.asarray(t["left"], dtype=np.int64),
                    right=np.asarray(t["right"], dtype=np.int64),
                    value=np.asarray(t["value"], dtype=np.float64),
                )
                for t in data["trees"]
            )
            for tree in trees:
                if not len(tree.feature) == len(tree.threshold) == len(tree.left) == len(tree.right) == len(tree.value):
                    raise ValueError("a tree's arrays differ in length")
                if tree.feature.max(initial=-2) >= len(features):
                    raise ValueError("a tree splits on a column the model does not name")
            a, b = data["calibration"]
            core = {"kind", "features", "learning_rate", "baseline", "calibration", "trees"}
            return cls(features, trees, float(data["learning_rate"]), float(data["baseline"]), (float(a), float(b)),
                       extra={k: v for k, v in data.items() if k not in core})  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelFileError(f"{path}: {error}. Refit it with `python benchmarks/fit_answer_models.py`") from None
