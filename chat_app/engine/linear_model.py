"""A fitted logistic model read from a JSON data file: standardise named features, weigh, squash.

The weights are fitted by benchmarks/fit_answer_models.py (scikit-learn, on the `tune` split) and
written with the metrics they reached; at run time only numpy is needed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest.errors import SetupError

MODELS_DIR = Path(__file__).resolve().parent / "models"


class ModelFileError(SetupError, ValueError):
    """A model data file is missing, malformed, or names features the engine does not compute."""


@dataclass(frozen=True)
class LinearModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float = 0.5  # decision cut on the probability, where the model makes one
    extra: Mapping[str, Any] = field(default_factory=dict)  # other fitted numbers and the metrics reached

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(positive) for each row of feature values (columns in `features` order)."""
        if rows.size == 0:
            return np.zeros(0)
        z = (rows - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = z @ np.asarray(self.weights) + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))

    def probability(self, values: Mapping[str, float]) -> float:
        return float(self.probabilities(np.asarray([[values[name] for name in self.features]]))[0])

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "intercept": self.intercept,
            "threshold": self.threshold,
            **dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, expected: Sequence[str] | None = None) -> LinearModel:
        try:
            model = cls(
                features=tuple(data["features"]),
                mean=tuple(float(v) for v in data["mean"]),
                scale=tuple(float(v) or 1.0 for v in data["scale"]),
                weights=tuple(float(v) for v in data["weights"]),
                intercept=float(data["intercept"]),
                threshold=float(data.get("threshold", 0.5)),
                extra={k: v for k, v in data.items() if k not in _CORE},
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFileError(f"not a linear model ({error})") from None
        if not len(model.features) == len(model.mean) == len(model.scale) == len(model.weights):
            raise ModelFileError("features, mean, scale and weights differ in length")
        if expected is not None and set(model.features) - set(expected):
            unknown = ", ".join(sorted(set(model.features) - set(expected)))
            raise ModelFileError(f"uses features the engine does not compute: {unknown}")
        return model

    @classmethod
    def load(cls, name: str, *, expected: Sequence[str] | None = None, folder: Path = MODELS_DIR) -> LinearModel:
        path = folder / f"{name}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_dict(data, expected=expected)
        except (OSError, ValueError) as error:
            raise ModelFileError(f"{path}: {error}. Refit it with `python benchmarks/fit_answer_models.py`") from None

    def save(self, name: str, *, folder: Path = MODELS_DIR) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.json"
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path


_CORE = {"features", "mean", "scale", "weights", "intercept", "threshold"}
