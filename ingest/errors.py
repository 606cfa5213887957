"""The base class of every error a user can act on, and the families for setup mistakes and unusable files.

A KzqaError's message says what went wrong and what to do. The CLI prints it and the UI shows it,
both without a traceback, by catching this one class: there is no list of exceptions to keep in
step. It lives in the lowest layer so that ingest, index and chat_app can all raise one.
"""

from __future__ import annotations


class KzqaError(Exception):
    """A problem the user can fix; the message tells them how."""

    # Names the part of kzqa that failed, for a reader who did not start the failing step (the UI's
    # user, who only asked a question). Empty when the message already says it.
    user_prefix = ""

    def user_message(self) -> str:
        return f"{self.user_prefix}{self}"


class SetupError(KzqaError):
    """A setting, or a folder or file the settings point at, is wrong."""

    user_prefix = "kzqa is not configured correctly: "


class UnusableFile(KzqaError):
    """One input file cannot become a document (undecodable, over budget, not an article): it is skipped
    and reported with this message, and the rest of the batch goes on."""
