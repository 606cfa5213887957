"""Split the dev test set once into `tune` and `validate`, by fixed seed and by conversation.

    python benchmarks/split_testset.py            # assigns a split to rows that have none

Every row of tests/data/qa.jsonl gets "split": "tune" or "validate". Rules, thresholds, features
and weights may be chosen by looking at `tune` only; every reported number is on `validate`.

- All turns of one conversation land in the same split, and so do questions that share their gold
  answer (same sources and keywords): a fact asked twice cannot leak from tune into validate.
- Within each kind of group (a conversation, or a single question of a given type) groups are
  ordered by a seeded hash and the first TUNE_SHARE of them go to tune, so both splits hold every type.
- Rows that already have a split keep it: adding questions later never moves old ones.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from pathlib import Path

SEED = "kzqa-dev-split-2026-11-29"
TUNE_SHARE = 0.55
TESTSET = Path(__file__).resolve().parent.parent / "tests" / "data" / "qa.jsonl"


def group_key(row: dict) -> str:
    if row.get("conversation"):
        return f"conversation:{row['conversation']}"
    if row.get("answerable", True):
        keywords = sorted("|".join(sorted(group)) for group in row.get("answer_keywords", []))
        return "answer:" + json.dumps([sorted(row.get("sources", [])), keywords], ensure_ascii=False)
    return f"question:{row['id']}"


def stratum(rows: list[dict]) -> str:
    return "conversation" if rows[0].get("conversation") else rows[0]["type"]


def assign(rows: list[dict]) -> dict[str, str]:
    """group key → split, for groups none of whose rows has a split yet."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[group_key(row)].append(row)
    fixed = {key for key, members in groups.items() if any("split" in m for m in members)}
    strata: dict[str, list[str]] = defaultdict(list)
    for key, members in groups.items():
        if key not in fixed:
            strata[stratum(members)].append(key)
    splits = {}
    for keys in strata.values():
        keys.sort(key=lambda k: hashlib.sha256(f"{SEED}\x00{k}".encode()).hexdigest())
        cut = math.ceil(len(keys) * TUNE_SHARE)
        splits.update({key: "tune" if i < cut else "validate" for i, key in enumerate(keys)})
    return splits


def main() -> None:
    rows = [json.loads(line) for line in TESTSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    splits = assign(rows)
    for row in rows:
        row.setdefault("split", splits.get(group_key(row)))
    with TESTSET.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["split"]] += 1
    print(f"{TESTSET}: " + ", ".join(f"{name} {count}" for name, count in sorted(counts.items())))


if __name__ == "__main__":
    main()
