"""index/sentence_transformers_lean.py: sentence-transformers imported through kzqa leaves scikit-learn
unimported until one of its functions is called, and then behaves exactly as with scikit-learn
imported up front. Each case runs in a fresh interpreter: imports are process-wide."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest

from tests.support.paths import ROOT, TEST_MODEL_CACHE


def run(script: str) -> dict:
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                            timeout=300, check=True)  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def server_like_child(embedder, tmp_path_factory) -> dict:
    """A child that loads the model and embeds a question, as a server does (`embedder` has built the
    model into the tests' cache), then computes a similarity that needs scikit-learn."""
    data_dir = tmp_path_factory.mktemp("lean")
    return run(f"""
import json, sys, torch
from pathlib import Path
from index.embedder import Embedder
from index.settings import IndexSettings
settings = IndexSettings(data_dir=Path({str(data_dir)!r}), model_cache_dir=Path({str(TEST_MODEL_CACHE)!r}))
vector = Embedder.load(settings).embed_query("哈萨克斯坦的首都是哪里？")
import index.sentence_transformers_lean as lean
from sentence_transformers import SentenceTransformer
from sentence_transformers.util import manhattan_sim
after_embedding = sorted(name for name in sys.modules if name.split(".")[0] == "sklearn")
a = torch.tensor([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]]).to_sparse()
b = torch.tensor([[1.0, 1.0, 1.0]]).to_sparse()
ours = manhattan_sim(a, b).tolist()
import sklearn.metrics
expected = (-sklearn.metrics.pairwise_distances(a.to_dense().numpy(), b.to_dense().numpy(), metric="manhattan")).tolist()
print(json.dumps({{"real_class": lean.SentenceTransformer is SentenceTransformer, "dimensions": len(vector),
                   "sklearn_after_embedding": after_embedding, "ours": ours, "expected": expected,
                   "real_module": sklearn.metrics.__file__ is not None and hasattr(sklearn.metrics, "roc_auc_score")}}))
""")


def test_the_embedding_model_loads_and_embeds_without_importing_scikit_learn(server_like_child):
    assert server_like_child["real_class"] and server_like_child["dimensions"] == 384
    assert server_like_child["sklearn_after_embedding"] == []


def test_a_similarity_that_needs_scikit_learn_imports_it_when_called_and_agrees_with_it(server_like_child):
    assert server_like_child["ours"] == server_like_child["expected"] == [[-2.0], [-4.0]]
    assert server_like_child["real_module"]


def test_scikit_learn_imported_first_is_left_as_it_is():
    seen = run("""
import json, sys
import sklearn.metrics
real = sys.modules["sklearn.metrics"]
import index.sentence_transformers_lean
from sentence_transformers.util import similarity
print(json.dumps({"same": sys.modules["sklearn.metrics"] is real,
                  "used": similarity.pairwise_distances is real.pairwise_distances}))
""")
    assert seen == {"same": True, "used": True}


def test_kzqa_imports_sentence_transformers_only_through_the_lean_module():
    direct = []
    for package in ("ingest", "index", "chat_app"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name == "sentence_transformers_lean.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                if any(name.split(".")[0] == "sentence_transformers" for name in names):
                    direct.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert direct == []
