"""Exceptions → sentences a person can act on. The browser never sees a traceback; the server log does."""

from __future__ import annotations

from ingest.errors import KzqaError


def friendly_message(error: BaseException) -> str:
    # A KzqaError's message already says what to do; its family's prefix says which part failed.
    if isinstance(error, KzqaError):
        return error.user_message()
    return (
        f"something went wrong ({type(error).__name__}); the details are in the server log. "
        "Try again, or restart `kzqa chat`."
    )
