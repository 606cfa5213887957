"""Owners of private documents: keys that name a folder safely and never hold a token or a name."""

from __future__ import annotations

import pytest

from chat_app.owners import Owner, OwnerKind, as_owner, is_browser_token, new_browser_token
from index.visibility import is_owner_key


def test_a_key_is_a_folder_safe_hash_that_holds_no_identity():
    token = new_browser_token()
    for owner, secret in ((Owner.user("../../etc"), "etc"), (Owner.browser(token), token)):
        assert is_owner_key(owner.key) and secret not in owner.key


def test_the_same_person_always_gets_the_same_key_and_others_never_do():
    token = new_browser_token()
    keys = {
        Owner.user("alice").key,
        Owner.user("bob").key,
        Owner.browser(token).key,
        Owner.browser(new_browser_token()).key,
    }
    assert len(keys) == 4
    assert Owner.user("alice").key == Owner.user("alice").key == Owner.user("alice").visibility.owner
    assert Owner.browser(token).key == Owner.browser(token).key


def test_a_user_and_a_browser_with_the_same_identity_are_different_owners():
    token = new_browser_token()
    assert Owner(OwnerKind.USER, token).key != Owner.browser(token).key


@pytest.mark.parametrize("bad", ["", "short", "x" * 43 + "!", None, 42, "a" * 44])
def test_only_tokens_kzqa_makes_are_browser_tokens(bad):
    assert not is_browser_token(bad)
    with pytest.raises((ValueError, TypeError)):
        Owner.browser(bad)


def test_a_token_is_never_shown_in_a_repr_or_the_description():
    token = new_browser_token()
    owner = Owner.browser(token)
    assert token not in repr(owner) and token not in str(owner.description())
    assert Owner.user("alice").description() == {"kind": "user", "user": "alice"}


def test_the_python_api_takes_an_owner_a_user_name_or_nothing():
    alice = Owner.user("alice")
    assert as_owner(alice) is alice and as_owner("alice") == alice and as_owner(None) is None
    with pytest.raises(TypeError, match="owner must be an Owner, a user name or None"):
        as_owner(42)
