"""One setting's raw value (TOML, environment text or a Python argument) read into its declared type.

Strict where a guess would hide a typo: "yes"/"no" are booleans but "maybe" is an error, 2.5 is not
a count, and a number is not a model name. Enums are read by their own `from_str`, whose error lists
the valid values.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from contextlib import suppress
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn, Union, get_args, get_origin

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})  # "": a variable set to nothing, e.g. KZQA_SHARED_LIBRARY=


def read_setting(kind: Any, value: Any) -> Any:
    """`value` as `kind` (a resolved annotation of KzqaConfig); ValueError when it is not one.

    Reading a value that already has its type gives it back unchanged."""
    if get_origin(kind) in (Union, types.UnionType):
        inner = [arg for arg in get_args(kind) if arg is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"settings may be optional, not a union of several types: {kind}")
        return None if value is None or value == "" else read_setting(inner[0], value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind.from_str(value)
    return _READERS[kind](value)


def _as_str(value: Any) -> str:
    if not isinstance(value, str):
        return _refuse("text", value)
    return value


def _as_int(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():  # TOML's 300.0
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):  # bool is an int, but `true` is not a count
        return value
    if isinstance(value, str):
        with suppress(ValueError):
            return int(value)
    return _refuse("a whole number", value)


def _as_float(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        with suppress(ValueError):
            return float(value)
    return _refuse("a number", value)


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    return _refuse("true or false", value)


def _as_path(value: Any) -> Path:
    if not isinstance(value, str | Path):
        return _refuse("a path", value)
    return Path(value).expanduser()


def _refuse(expected: str, value: Any) -> NoReturn:
    raise ValueError(f"not {expected}: {value!r}")


_READERS: dict[type, Callable[[Any], Any]] = {
    str: _as_str,
    int: _as_int,
    float: _as_float,
    bool: _as_bool,
    Path: _as_path,
}
