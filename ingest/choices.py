"""Reading a setting's value into one of its enum choices, with an error that lists the valid ones."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

Choice = TypeVar("Choice", bound=Enum)


def parse_choice(choices: type[Choice], value: str, *, what: str, valid_label: str = "valid") -> Choice:
    """`choices(value)`, or ValueError("unknown {what} 'x'; {valid_label}: a, b, c")."""
    try:
        return choices(value)
    except ValueError:
        valid = ", ".join(str(choice.value) for choice in choices)
        raise ValueError(f"unknown {what} {value!r}; {valid_label}: {valid}") from None
