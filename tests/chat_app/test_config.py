"""Configuration precedence: defaults < kzqa.toml < KZQA_* environment < explicit arguments."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from chat_app.answer import GeneratorKind
from chat_app.config import ConfigError, KzqaConfig, load_config
from index.chinese_tokenizer import TokenizerMode
from index.embedding import EmbedBackend
from index.retrieval_mode import RetrievalMode


def test_defaults_point_at_the_project_corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={})
    assert config.corpus_dir == KzqaConfig().corpus_dir
    assert (config.corpus_dir / "000_336fa4486c18f44b.txt").is_file()


def test_each_layer_overrides_the_one_below(tmp_path):
    toml = tmp_path / "kzqa.toml"
    toml.write_text('[kzqa]\nchunk_size = 250\nchunk_overlap = 40\ncorpus_dir = "/from/toml"\n')
    environ = {"KZQA_CHUNK_OVERLAP": "30", "KZQA_CORPUS_DIR": "/from/env"}

    config = load_config(config_file=toml, environ=environ, corpus_dir=Path("/from/args"))

    assert config.chunk_size == 250  # toml beats default
    assert config.chunk_overlap == 30  # env beats toml
    assert config.corpus_dir == Path("/from/args")  # argument beats env


def test_kzqa_toml_in_the_working_directory_is_picked_up(tmp_path, monkeypatch):
    (tmp_path / "kzqa.toml").write_text("chunk_size = 222\n")
    monkeypatch.chdir(tmp_path)
    assert load_config(environ={}).chunk_size == 222


def test_unknown_setting_is_named_with_the_valid_ones(tmp_path):
    toml = tmp_path / "kzqa.toml"
    toml.write_text("chunk_sise = 250\n")
    with pytest.raises(ConfigError, match=r"unknown setting 'chunk_sise'.*chunk_size"):
        load_config(config_file=toml, environ={})


def test_bad_value_names_the_setting_and_its_source():
    with pytest.raises(ConfigError, match=r"'chunk_size' from environment must be int"):
        load_config(environ={"KZQA_CHUNK_SIZE": "big"})


def test_none_arguments_do_not_override(tmp_path):
    config = load_config(environ={"KZQA_CHUNK_SIZE": "123"}, chunk_size=None)
    assert config.chunk_size == 123


class TestTypedAtLoad:
    """Every setting has its declared type once the configuration exists; no later step parses it."""

    def test_choices_become_enums_whichever_layer_sets_them(self, tmp_path):
        toml = tmp_path / "kzqa.toml"
        toml.write_text('bm25_tokenizer = "bigrams"\nembed_backend = "onnx-int8"\n')

        config = load_config(config_file=toml, environ={"KZQA_RETRIEVAL_MODE": "bm25"}, generator="llm")

        assert config.bm25_tokenizer is TokenizerMode.BIGRAMS
        assert config.embed_backend is EmbedBackend.ONNX_INT8
        assert config.retrieval_mode is RetrievalMode.BM25
        assert config.generator is GeneratorKind.LLM

    def test_a_config_made_in_code_is_read_the_same_way(self):
        config = KzqaConfig(retrieval_mode="vector", data_dir="~/kzqa-data", top_k="7")
        assert config.retrieval_mode is RetrievalMode.VECTOR
        assert config.data_dir == Path.home() / "kzqa-data"
        assert config.top_k == 7

    @pytest.mark.parametrize(
        ("key", "value", "message"),
        [
            ("retrieval_mode", "dense", "retrieval_mode: unknown retrieval mode 'dense'; valid modes: hybrid, vector, bm25"),
            ("generator", "gpt", "generator: unknown generator 'gpt'; valid generators: extractive, llm"),
            ("bm25_tokenizer", "chars", "bm25_tokenizer: unknown BM25 tokenizer 'chars'; valid: words, search, bigrams"),
            ("embed_backend", "int4", "embed_backend: unknown embedding backend 'int4'; valid: torch, onnx-int8"),
        ],
    )
    def test_an_unknown_choice_lists_the_valid_ones_and_names_the_file(self, tmp_path, key, value, message):
        toml = tmp_path / "kzqa.toml"
        toml.write_text(f'{key} = "{value}"\n')
        with pytest.raises(ConfigError, match=re.escape(message) + ".*" + re.escape(f"(from {toml})")):
            load_config(config_file=toml, environ={})

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            ('chunk_size = "big"', "'chunk_size' from {toml} must be int, got 'big'"),
            ("chunk_size = 2.5", "'chunk_size' from {toml} must be int, got 2.5"),
            ("top_k = true", "'top_k' from {toml} must be int, got True"),
            ("embed_model = 5", "'embed_model' from {toml} must be str, got 5"),
            ('shared_library = "maybe"', "'shared_library' from {toml} must be bool, got 'maybe'"),
            ("llm_timeout_s = [1]", "'llm_timeout_s' from {toml} must be float, got [1]"),
        ],
    )
    def test_a_wrong_type_names_the_setting_the_file_and_the_type(self, tmp_path, line, message):
        toml = tmp_path / "kzqa.toml"
        toml.write_text(line + "\n")
        with pytest.raises(ConfigError, match=re.escape(message.format(toml=toml))):
            load_config(config_file=toml, environ={})

    def test_environment_text_is_read_into_numbers_flags_and_paths(self):
        config = load_config(
            environ={
                "KZQA_TOP_K": "8",
                "KZQA_LLM_TIMEOUT_S": "2.5",
                "KZQA_SHARED_LIBRARY": "yes",
                "KZQA_CORPUS_DIR": "~/articles",
                "KZQA_LLM_MODEL": "",
            }
        )
        assert (config.top_k, config.llm_timeout_s, config.shared_library) == (8, 2.5, True)
        assert config.corpus_dir == Path.home() / "articles"
        assert config.llm_model is None  # an empty variable leaves an optional setting unset


def test_loading_the_configuration_imports_no_search_or_model_library():
    """`kzqa --help` and `from chat_app.config import …` stay quick: the enums live apart from their users."""
    heavy = ("llama_index", "chromadb", "torch", "gradio")
    probe = f"import sys, chat_app.cli, chat_app.config; print([m for m in {heavy!r} if m in sys.modules])"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert run.stdout.strip() == "[]"


class TestQueryThreads:
    def test_one_thread_embeds_a_question_by_default_and_the_index_settings_carry_it(self):
        from chat_app.index_settings import index_settings

        config = load_config(environ={})
        assert index_settings(config).query_threads == config.query_threads == 1

    def test_the_environment_sets_it_and_a_negative_count_is_refused_by_name(self):
        assert load_config(environ={"KZQA_QUERY_THREADS": "0"}).query_threads == 0
        with pytest.raises(ConfigError, match="query_threads must be 0"):
            load_config(environ={"KZQA_QUERY_THREADS": "-1"})
