"""Reading JSON into typed records, checking every field's type on the way in.

Index files are written by kzqa, but a damaged or hand-edited one must be refused where it is read,
with the file and field named, rather than fail later as a TypeError deep in the answer engine.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

Record = TypeVar("Record")
_NAMES = {bool: "true/false", int: "a whole number", float: "a number", str: "text", dict: "an object", list: "a list"}


class ShapeError(ValueError):
    """A JSON value does not have the type the record declares; the message names where."""


def record_from_json(cls: type[Record], payload: object, *, where: str) -> Record:
    """`cls(**payload)` after checking that `payload` is an object whose fields have `cls`'s types."""
    if not isinstance(payload, dict):
        raise ShapeError(f"{where}: expected a JSON object, found {_describe(payload)}")
    hints = _hints(cls)
    unknown = sorted(set(payload) - hints.keys())
    if unknown:
        raise ShapeError(f"{where}: unexpected field {unknown[0]!r}")
    for item in dataclasses.fields(cls):  # type: ignore[arg-type]
        if item.name not in payload:
            if item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
                raise ShapeError(f"{where}: field {item.name!r} is missing")
            continue
        check_type(payload[item.name], hints[item.name], where=f"{where}: field {item.name!r}")
    return cls(**payload)


def records_from_jsonl(
    cls: type[Record],
    path: Path,
    *,
    problem: Callable[[Record], str | None] = lambda _record: None,
    error: type[ValueError] = ShapeError,
) -> list[Record]:
    """One `cls` record per non-blank line of `path`. A line that is not JSON, or whose record has a
    `problem`, raises `error` naming the file and line; a field of the wrong type raises ShapeError."""
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path} line {number}"
            try:
                payload = json.loads(line)
            except ValueError as exc:
                raise error(f"{where}: not JSON ({exc})") from None
            record = record_from_json(cls, payload, where=where)
            if (found := problem(record)) is not None:
                raise error(f"{where}: {found}")
            records.append(record)
    return records


def check_type(value: object, expected: Any, *, where: str) -> None:
    """Raise ShapeError unless `value` (parsed JSON) fits the annotation `expected`."""
    if not _fits(value, expected):
        raise ShapeError(f"{where} should be {_name(expected)}, not {_describe(value)}")


def _fits(value: object, expected: Any) -> bool:
    origin = typing.get_origin(expected)
    if expected is Any:
        return True
    if expected is None or expected is type(None):
        return value is None
    if origin in (types.UnionType, typing.Union):
        return any(_fits(value, option) for option in typing.get_args(expected))
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)  # JSON true is not a count
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected is str:
        return isinstance(value, str)
    if expected in (dict, list):
        return isinstance(value, expected)
    if origin in (list, tuple):
        args = typing.get_args(expected)
        item = args[0] if args else Any
        return isinstance(value, list) and all(_fits(element, item) for element in value)
    if origin is dict:
        key, item = typing.get_args(expected) or (str, Any)
        return isinstance(value, dict) and all(_fits(k, key) and _fits(v, item) for k, v in value.items())
    raise TypeError(f"no JSON check for {expected!r}")  # a record declared a type this module cannot read


def _name(expected: Any) -> str:
    origin = typing.get_origin(expected)
    if expected is None or expected is type(None):
        return "null"
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_name(option) for option in typing.get_args(expected))
    if origin in (list, tuple):
        args = typing.get_args(expected)
        return f"a list of {_plural(args[0])}" if args else "a list"
    if origin is dict:
        return f"an object of {_plural(typing.get_args(expected)[1])}"
    return _NAMES.get(expected, str(expected))


def _plural(expected: Any) -> str:
    return {int: "whole numbers", float: "numbers", str: "texts"}.get(expected, _name(expected))


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    kinds = {int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}
    return f"{kinds.get(type(value), type(value).__name__)} ({_preview(value)})"


def _preview(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)
