"""Who owns a private document: a user who logged in (`--auth`, KZQA_AUTH), or one browser.

An owner is stored only as a key, a hash of who they are: it names their documents' folder and tags
their chunks in the index. So no browser token (a secret: whoever presents it reads those documents)
is written anywhere, and no user name, however odd, can name a folder outside the documents folder.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from index.visibility import Visibility

_TOKEN_BYTES = 32  # 256 random bits: a browser's token cannot be guessed
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(32) makes


class OwnerKind(StrEnum):
    USER = "user"
    BROWSER = "browser"


@dataclass(frozen=True)
class Owner:
    kind: OwnerKind
    identity: str = field(repr=False)  # the user name, or the browser's token: never logged

    @classmethod
    def user(cls, name: str) -> Owner:
        if not name:
            raise ValueError("an owner needs a user name")
        return cls(OwnerKind.USER, name)

    @classmethod
    def browser(cls, token: str) -> Owner:
        if not is_browser_token(token):
            raise ValueError("not a browser token kzqa made")
        return cls(OwnerKind.BROWSER, token)

    @property
    def key(self) -> str:
        digest = hashlib.sha256(f"kzqa-owner\x00{self.kind.value}\x00{self.identity}".encode())
        return digest.hexdigest()[:32]

    @property
    def visibility(self) -> Visibility:
        return Visibility(self.key)

    def description(self) -> dict[str, str]:
        """What an operator may read beside the owner's documents: a user's name, never a token."""
        if self.kind == OwnerKind.USER:
            return {"kind": self.kind.value, "user": self.identity}
        return {"kind": self.kind.value}


def new_browser_token() -> str:
    return secrets.token_urlsafe(_TOKEN_BYTES)


def is_browser_token(value: object) -> bool:
    return isinstance(value, str) and bool(_TOKEN.fullmatch(value))


def as_owner(owner: Owner | str | None) -> Owner | None:
    """The Python API's `owner=`: an Owner, a user name (as with --auth), or None (no private documents)."""
    if owner is None or isinstance(owner, Owner):
        return owner
    if isinstance(owner, str):
        return Owner.user(owner)
    raise TypeError(f"owner must be an Owner, a user name or None, not {type(owner).__name__}")
