"""`.ci/uv_pip.py` hands pip's package sources on to uv (pure parsing; no install is run here)."""

from __future__ import annotations

import importlib.util
import itertools

from tests.support.paths import ROOT

_spec = importlib.util.spec_from_file_location("uv_pip", ROOT / ".ci" / "uv_pip.py")
uv_pip = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(uv_pip)

LISTING = """\
global.cert='/etc/ssl/certs/ca-certificates.crt'
global.extra-index-url='file:///opt/pypi/simple file:///opt/pypi-more/simple'
global.find-links='/opt/wheels'
:env:.find-links='/srv/wheels'
"""


def test_a_pip_variable_overrides_the_configuration_file():
    assert uv_pip.parse_pip_config(LISTING)["find-links"] == "/srv/wheels"


def test_every_extra_index_and_wheel_folder_reaches_uv():
    arguments = uv_pip.uv_arguments(uv_pip.parse_pip_config(LISTING))
    pairs = set(itertools.pairwise(arguments))  # each option with the word after it
    assert ("--extra-index-url", "file:///opt/pypi/simple") in pairs
    assert ("--extra-index-url", "file:///opt/pypi-more/simple") in pairs
    assert ("--find-links", "/srv/wheels") in pairs
    assert ("--find-links", "/opt/wheels") not in pairs


def test_uv_weighs_all_indexes_as_pip_does():
    arguments = uv_pip.uv_arguments({})
    assert arguments[arguments.index("--index-strategy") + 1] == "unsafe-best-match"
    assert "--index-url" not in arguments


def test_bytecode_is_compiled_and_files_are_copied_as_pip_does():
    arguments = uv_pip.uv_arguments({})
    assert "--compile-bytecode" in arguments
    assert arguments[arguments.index("--link-mode") + 1] == "copy"
