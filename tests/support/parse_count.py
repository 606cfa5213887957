"""Counting how often the real parser runs, per cited file name (a wrapper around it, nothing faked)."""

from __future__ import annotations


def count_parses(monkeypatch) -> list[str]:
    """The names of the files parsed from now on in this test, in order, one entry per parse."""
    import ingest.pipeline as pipeline

    parsed: list[str] = []
    real_parse = pipeline._parse

    def counting(data, source, deadline):
        parsed.append(source)
        return real_parse(data, source, deadline)

    monkeypatch.setattr(pipeline, "_parse", counting)
    return parsed
