"""Configuration precedence: defaults < kzqa.toml < KZQA_* environment < explicit arguments."""

from pathlib import Path

import pytest

from chat_app.config import ConfigError, KzqaConfig, load_config


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
