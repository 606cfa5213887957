"""KzqaError: the message a user reads, after the prefix naming the part of kzqa that failed."""

from __future__ import annotations

from ingest.errors import KzqaError, SetupError


class TestUserMessage:
    def test_is_the_message_alone_when_it_says_everything(self):
        assert KzqaError("the question is empty; ask something").user_message() == "the question is empty; ask something"

    def test_a_setup_mistake_says_kzqa_is_not_configured_correctly(self):
        error = SetupError("corpus folder not found: /x")
        assert error.user_message() == "kzqa is not configured correctly: corpus folder not found: /x"
        assert str(error) == "corpus folder not found: /x"  # the CLI prints this: the user ran the command
