"""The test-set format (`tests/data/qa.jsonl`), loaded with errors that name the line at fault.

One JSON object per line:
  id, question, sources (files holding the answer), answer_keywords (groups: each group needs
  one alternative present), type, answerable; for conversation turns `conversation` (its id),
  `turn` and `history` (the earlier turns: a string is a question the user asked, an object
  {"role": "user" | "assistant", "content": …} is either side's turn, so a follow-up can lean on what
  the assistant said); and `split`, "tune" or "validate" (benchmarks/split_testset.py assigns it once:
  nothing is ever fitted on validate).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import KzqaError

QUESTION_TYPES = (
    "fact", "table", "multi", "conflict", "synthesis", "paraphrase", "english", "followup", "false_premise",
    "unanswerable",
)  # fmt: skip
SPLITS = ("tune", "validate")
ROLES = ("user", "assistant")


class InvalidTestset(KzqaError):
    """The test-set file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class EvalCase:
    id: str
    question: str
    sources: tuple[str, ...]
    answer_keywords: tuple[tuple[str, ...], ...]
    type: str
    answerable: bool
    history: tuple[str, ...] = field(default_factory=tuple)  # the earlier questions
    conversation: str | None = None
    split: str | None = None
    # (role, content) of every earlier turn, the assistant's included; empty when only questions are given
    turns: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def history_messages(self) -> list[dict[str, str]]:
        """The earlier turns as the chat history the Assistant takes."""
        if self.turns:
            return [{"role": role, "content": content} for role, content in self.turns]
        return [{"role": "user", "content": earlier} for earlier in self.history]


def load_testset(path: Path, *, split: str | None = None) -> list[EvalCase]:
    """The cases of `path`; with `split`, only that split's ("tune" or "validate")."""
    if split is not None and split not in SPLITS:
        raise InvalidTestset(f"split {split!r} is not one of {', '.join(SPLITS)}")
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
            turns = _turns(row.get("history") or [])
            case = EvalCase(
                id=str(row["id"]),
                question=str(row["question"]),
                sources=tuple(row.get("sources", [])),
                answer_keywords=tuple(tuple(str(alt) for alt in group) for group in row.get("answer_keywords", [])),
                type=str(row.get("type", "fact")),
                answerable=bool(row.get("answerable", True)),
                history=tuple(content for role, content in turns if role == "user"),
                conversation=str(row["conversation"]) if row.get("conversation") else None,
                split=str(row["split"]) if row.get("split") else None,
                turns=turns if any(role != "user" for role, _ in turns) else (),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidTestset(f"{where}: not a valid test case ({error})") from None
        if case.type not in QUESTION_TYPES:
            raise InvalidTestset(f"{where}: type {case.type!r} is not one of {', '.join(QUESTION_TYPES)}")
        if case.split is not None and case.split not in SPLITS:
            raise InvalidTestset(f"{where}: split {case.split!r} is not one of {', '.join(SPLITS)}")
        if case.id in seen:
            raise InvalidTestset(f"{where}: duplicate id {case.id!r}")
        if case.answerable and not case.sources:
            raise InvalidTestset(f"{where}: answerable question {case.id!r} lists no sources")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise InvalidTestset(f"{path} holds no test cases")
    if split is not None:
        cases = [case for case in cases if case.split == split]
        if not cases:
            raise InvalidTestset(f"{path} holds no {split!r} cases (run benchmarks/split_testset.py)")
    return cases


def _turns(history: list) -> tuple[tuple[str, str], ...]:
    """(role, content) of each earlier turn: a plain string is the user's."""
    turns: list[tuple[str, str]] = []
    for turn in history:
        if isinstance(turn, str):
            turns.append(("user", turn))
            continue
        role, content = turn["role"], turn["content"]
        if role not in ROLES or not isinstance(content, str):
            raise ValueError(f"a history turn needs a role ({' or '.join(ROLES)}) and text content, not {turn!r}")
        turns.append((role, content))
    return tuple(turns)
