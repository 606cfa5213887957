"""Who may read a chunk: everyone (the corpus and shared documents), or only the owner of a private one.

One index holds every user's documents; each chunk records its owner, in the chunk records and
as metadata on its vector, and every search filters by it. So adding a private document never
needs a per-user index, and no search can return another user's chunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OWNER_KEY = "kzqa_owner"  # the metadata key on every vector in Chroma
PUBLIC = "public"  # its value on a chunk everyone may read; an owner key is 32 hex digits, never this
_OWNER = re.compile(r"[0-9a-f]{32}")


def is_owner_key(value: str) -> bool:
    """Whether `value` is an owner key (a hash: it names a folder, so nothing that could leave one)."""
    return bool(_OWNER.fullmatch(value))


@dataclass(frozen=True)
class Visibility:
    """What one reader may read: every public chunk, plus the private chunks of `owner` (a key)."""

    owner: str | None = None

    def __post_init__(self) -> None:
        if self.owner is not None and not is_owner_key(self.owner):
            raise ValueError(f"{self.owner!r} is not an owner key (32 hex digits)")

    def allows(self, owner: str | None) -> bool:
        """Whether a chunk owned by `owner` (None: public) may be read."""
        return owner is None or owner == self.owner

    @property
    def metadata_values(self) -> list[str]:
        """The OWNER_KEY values a vector search may return."""
        return [PUBLIC] if self.owner is None else [PUBLIC, self.owner]


PUBLIC_ONLY = Visibility()  # what the CLI and the Python API read by default
