"""Whether a change is better than an earlier `kzqa eval` run, or within the noise of the test set.

Two pass rates over ~250 questions can differ by several points by chance, so the comparison is
paired: the same question in both runs, counting those the change fixed and those it broke. An
exact McNemar test (a sign test over the questions whose outcome changed) says how likely a split
at least that uneven is when the change makes no difference. Written by hand: it is a few lines of
binomial arithmetic, and scipy's version would pull scipy into the eval command for one function.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from math import comb
from pathlib import Path

from chat_app.evaluation.results import EvalRun
from chat_app.evaluation.scoring import SPLIT_ORDER

SIGNIFICANCE = 0.05  # below this two-sided p-value, a difference is reported as one
ALL = "all"


class EarlierRunUnreadable(ValueError):
    """The earlier results file cannot be compared against (missing, not JSON, not a results.json)."""


@dataclass(frozen=True)
class PairedChange:
    config: str
    split: str  # "validate", "tune", or "all" questions
    questions: int  # questions answered in both runs
    before: float  # pass rate of the earlier run over those questions
    after: float
    fixed: int  # failed before, pass now
    broken: int  # passed before, fail now
    p_value: float

    @property
    def verdict(self) -> str:
        if self.p_value >= SIGNIFICANCE or self.fixed == self.broken:
            return "within noise"
        return "better" if self.fixed > self.broken else "worse"

    def to_dict(self) -> dict:
        return {**self.__dict__, "verdict": self.verdict}


def exact_mcnemar(fixed: int, broken: int) -> float:
    """Two-sided p-value: the chance of a split of the changed questions at least this uneven when
    each change is a coin toss."""
    changed = fixed + broken
    if changed == 0:
        return 1.0
    tail = sum(comb(changed, k) for k in range(min(fixed, broken) + 1)) / 2**changed
    return min(1.0, 2 * tail)


def load_earlier(path: Path) -> dict[str, dict[str, tuple[str, bool, str]]]:
    """config → question id → (split, passed, question), from an earlier run's results.json."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            name: {
                q["case_id"]: (q.get("split") or "", bool(q["passed"]), q.get("question", ""))
                for q in config["questions"]
            }
            for name, config in data["configs"].items()
        }
    except FileNotFoundError:
        raise EarlierRunUnreadable(f"{path}: no such file; give the results.json of an earlier `kzqa eval`") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EarlierRunUnreadable(f"{path}: not a readable JSON file ({error})") from None
    except (KeyError, TypeError, AttributeError):
        raise EarlierRunUnreadable(
            f"{path}: not a results.json written by `kzqa eval` (no per-question outcomes in it)"
        ) from None


def compare(run: EvalRun, earlier: Mapping[str, Mapping[str, tuple[str, bool, str]]]) -> list[PairedChange]:
    """Per configuration in both runs and per split (then all questions): what changed, paired by id.
    A question is paired only if its text is the same in both runs (another test set may reuse ids)."""
    changes = []
    for config in run.configs:
        before = earlier.get(config.name)
        if not before:
            continue
        now = {o.result.case_id: (o.result.split or "", o.passed, o.result.question) for o in config.outcomes}
        shared = [case_id for case_id in now if case_id in before and before[case_id][2] == now[case_id][2]]
        present = {now[case_id][0] for case_id in shared}
        splits = [split for split in SPLIT_ORDER if split in present]
        for split in [*splits, ALL]:
            ids = [c for c in shared if split == ALL or now[c][0] == split]
            if ids:
                changes.append(_paired(config.name, split, [(before[c][1], now[c][1]) for c in ids]))
    return changes


def _paired(config: str, split: str, pairs: list[tuple[bool, bool]]) -> PairedChange:
    fixed = sum(1 for was, is_now in pairs if is_now and not was)
    broken = sum(1 for was, is_now in pairs if was and not is_now)
    return PairedChange(
        config=config,
        split=split,
        questions=len(pairs),
        before=sum(was for was, _ in pairs) / len(pairs),
        after=sum(is_now for _, is_now in pairs) / len(pairs),
        fixed=fixed,
        broken=broken,
        p_value=exact_mcnemar(fixed, broken),
    )
