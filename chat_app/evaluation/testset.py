"""The test-set format (`tests/data/qa.jsonl`), loaded with errors that name the line at fault.

One JSON object per line:
  id, question, sources (files holding the answer), answer_keywords (groups: each group needs
  one alternative present), type, answerable, and for follow-ups `history` (earlier questions).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

QUESTION_TYPES = (
    "fact", "table", "multi", "conflict", "synthesis", "paraphrase", "english", "followup", "unanswerable",
)  # fmt: skip


class InvalidTestset(Exception):
    """The test-set file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class EvalCase:
    id: str
    question: str
    sources: tuple[str, ...]
    answer_keywords: tuple[tuple[str, ...], ...]
    type: str
    answerable: bool
    history: tuple[str, ...] = field(default_factory=tuple)


def load_testset(path: Path) -> list[EvalCase]:
    if not path.is_file():
        raise InvalidTestset(f"test set not found: {path}")
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
            case = EvalCase(
                id=str(row["id"]),
                question=str(row["question"]),
                sources=tuple(row.get("sources", [])),
                answer_keywords=tuple(tuple(str(alt) for alt in group) for group in row.get("answer_keywords", [])),
                type=str(row.get("type", "fact")),
                answerable=bool(row.get("answerable", True)),
                history=tuple(row.get("history", [])),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidTestset(f"{where}: not a valid test case ({error})") from None
        if case.type not in QUESTION_TYPES:
            raise InvalidTestset(f"{where}: type {case.type!r} is not one of {', '.join(QUESTION_TYPES)}")
        if case.id in seen:
            raise InvalidTestset(f"{where}: duplicate id {case.id!r}")
        if case.answerable and not case.sources:
            raise InvalidTestset(f"{where}: answerable question {case.id!r} lists no sources")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise InvalidTestset(f"{path} holds no test cases")
    return cases
