"""The fitted-model data files: loaded without pickle, checked, and reproducing their numbers."""

import json

import numpy as np
import pytest

from chat_app.engine.answerability import ANSWERABILITY_MODEL, SIGNALS
from chat_app.engine.composer import CompositionSettings
from chat_app.engine.features import FEATURES
from chat_app.engine.linear_model import MODELS_DIR, LinearModel, ModelFileError
from chat_app.engine.ranker import RANKER_MODEL
from chat_app.engine.tree_model import Tree, TreeModel


class TestTreeModel:
    def stump(self):
        # x0 <= 0.5 → -1, else +1
        tree = Tree(feature=np.array([0, -2, -2]), threshold=np.array([0.5, -2, -2]), left=np.array([1, -1, -1]),
                    right=np.array([2, -1, -1]), value=np.array([0.0, -1.0, 1.0]))  # fmt: skip
        return TreeModel(("a", "b"), (tree, tree), learning_rate=0.5, baseline=0.25, calibration=(2.0, 0.0))

    def test_scores_follow_the_splits(self):
        model = self.stump()
        scores = model.scores(np.array([[0.0, 9.0], [1.0, 9.0]]))
        assert scores.tolist() == [0.25 - 1.0, 0.25 + 1.0]

    def test_probabilities_are_the_calibrated_sigmoid(self):
        model = self.stump()
        expected = 1 / (1 + np.exp(-2.0 * 1.25))
        assert model.probabilities(np.array([[1.0, 0.0]]))[0] == pytest.approx(expected)

    def test_round_trip_through_json(self, tmp_path):
        model = self.stump()
        model.save("m", folder=tmp_path)
        loaded = TreeModel.load("m", expected=("a", "b"), folder=tmp_path)
        rows = np.array([[0.2, 1.0], [0.9, 1.0]])
        assert np.allclose(loaded.probabilities(rows), model.probabilities(rows))

    def test_a_model_naming_an_unknown_feature_is_refused(self, tmp_path):
        self.stump().save("m", folder=tmp_path)
        with pytest.raises(ModelFileError, match=r"does not compute.*Refit it"):
            TreeModel.load("m", expected=("a",), folder=tmp_path)

    def test_a_damaged_file_names_the_fix(self, tmp_path):
        (tmp_path / "m.json").write_text("{not json", encoding="utf-8")
        with pytest.raises(ModelFileError, match=r"m\.json.*fit_answer_models\.py"):
            TreeModel.load("m", expected=("a",), folder=tmp_path)


class TestLinearModel:
    def test_probability_of_standardised_features(self):
        model = LinearModel(("x",), mean=(1.0,), scale=(2.0,), weights=(4.0,), intercept=-1.0)
        assert model.probability({"x": 3.0}) == pytest.approx(1 / (1 + np.exp(-(4.0 * 1.0 - 1.0))))

    def test_mismatched_lengths_are_refused(self):
        with pytest.raises(ModelFileError, match="differ in length"):
            LinearModel.from_dict({"features": ["x"], "mean": [0, 1], "scale": [1], "weights": [1], "intercept": 0})


class TestShippedModels:
    def test_the_ranker_uses_only_computed_features(self):
        model = TreeModel.load(RANKER_MODEL, expected=FEATURES)
        assert len(model.trees) >= 50 and set(model.features) == set(FEATURES)

    def test_answerability_has_a_fitted_threshold_and_records_where_it_came_from(self):
        model = LinearModel.load(ANSWERABILITY_MODEL, expected=SIGNALS)
        assert 0.0 < model.threshold < 1.0
        assert "split=tune" in model.extra["fitted"]
        assert model.extra["metrics"]["cv_false_refusal_rate"] <= model.extra["metrics"]["false_refusal_target"]

    def test_answerability_has_a_cosine_floor_per_language_below_every_answerable_question(self):
        model = LinearModel.load(ANSWERABILITY_MODEL, expected=SIGNALS)
        floors = model.extra["min_max_cosine"]
        assert set(floors) == {"zh", "en"} and all(0.0 < v < 1.0 for v in floors.values())
        # English questions meet Chinese sentences across languages: their nearest sentence is further.
        assert floors["en"] < floors["zh"]

    def test_composition_settings_were_fitted_and_load(self):
        data = json.loads((MODELS_DIR / "composition.json").read_text(encoding="utf-8"))
        assert "split=tune" in data["fitted"]
        assert CompositionSettings.load() == CompositionSettings(**data["settings"])
