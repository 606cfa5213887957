"""`uv pip …` into this venv, with the package sources pip is configured with on this machine.

uv installs the ~160 packages in seconds where pip needs minutes, but it reads neither pip's
configuration files nor its PIP_* variables; these machines reach packages only through the indexes
and wheel folders configured for pip, so they are handed to uv here (`pip config list`, last wins).
Usage: .venv/bin/python .ci/uv_pip.py install -c constraints.txt -e .
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# pip option → uv option; pip's list-valued options are space-separated.
_LIST_OPTIONS = {"extra-index-url": "--extra-index-url", "find-links": "--find-links", "constraint": "--constraint"}
_SINGLE_OPTIONS = {"index-url": "--index-url"}


def pip_settings() -> dict[str, str]:
    listing = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, check=True
    ).stdout
    return parse_pip_config(listing)


def parse_pip_config(listing: str) -> dict[str, str]:
    """`pip config list` prints files in load order, then PIP_* variables: a later line overrides."""
    settings: dict[str, str] = {}
    for line in listing.splitlines():  # "global.find-links='/opt/wheels'", ":env:.cert='…'"
        key, _, value = line.partition("=")
        settings[key.rpartition(".")[2]] = value.strip().strip("'\"")
    return settings


def uv_arguments(settings: dict[str, str]) -> list[str]:
    # pip takes the best version across all its indexes; uv's default stops at the first index that has a package.
    # uv's default hardlinks files from its cache; nltk (under llama-index) refuses to read multiply-linked
    # files, so files are copied as pip would.
    # Bytecode is compiled at install, as pip does: with PYTHONDONTWRITEBYTECODE set (as on these machines)
    # nothing would ever compile it, and every start would re-parse torch and transformers (18 s, not 7.5 s).
    arguments = ["--index-strategy", "unsafe-best-match", "--link-mode", "copy", "--compile-bytecode"]
    for name, option in _SINGLE_OPTIONS.items():
        if settings.get(name):
            arguments += [option, settings[name]]
    for name, option in _LIST_OPTIONS.items():
        for value in settings.get(name, "").split():
            arguments += [option, value]
    return arguments


def main() -> int:
    settings = pip_settings()
    environment = dict(os.environ)
    if settings.get("cert"):
        environment.setdefault("SSL_CERT_FILE", settings["cert"])  # a proxy's CA that pip trusts
    uv = Path(sys.executable).with_name("uv")
    command = [str(uv), "pip", *sys.argv[1:], "--python", sys.executable, *uv_arguments(settings)]
    return subprocess.run(command, env=environment).returncode


if __name__ == "__main__":
    sys.exit(main())
