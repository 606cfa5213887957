"""Who a page session is: its login, or its browser's token (kept by the browser, made by kzqa)."""

from __future__ import annotations

import pytest

from chat_app.owners import Owner, OwnerKind, is_browser_token, new_browser_token
from chat_app.ui.identity import identify


def test_a_browser_without_a_token_gets_a_new_one_and_owns_by_it():
    token, owner = identify(None, None)
    assert is_browser_token(token) and owner == Owner.browser(token)


def test_a_browser_keeps_its_token_across_page_loads():
    token = new_browser_token()
    assert identify(token, None) == (token, Owner.browser(token))


@pytest.mark.parametrize("forged", ["", "alice", "a" * 43 + "/", {"token": "x"}, 7])
def test_a_value_kzqa_did_not_make_is_replaced_by_a_fresh_token(forged):
    token, owner = identify(forged, None)
    assert token != forged and is_browser_token(token) and owner == Owner.browser(token)


def test_a_logged_in_user_owns_by_name_in_every_browser():
    token = new_browser_token()
    assert identify(token, "alice") == (token, Owner.user("alice"))
    kept, owner = identify(None, "alice")
    assert kept is None and owner.kind == OwnerKind.USER and owner == Owner.user("alice")
