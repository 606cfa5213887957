"""Who is using a page session: the user who logged in (--auth), or else this browser.

Without a login, a browser is known by a random token it keeps in its localStorage (gr.BrowserState),
so its documents are still its own after a reload, a dropped connection or a server restart; another
browser, or a private window, gets a token of its own. A session that never loaded the page (a bare
gradio API client) has no owner: it reads the public documents only and can add or remove nothing.
"""

from __future__ import annotations

import gradio as gr

from chat_app.owners import Owner, is_browser_token, new_browser_token

STORAGE_KEY = "kzqa-owner-token"
# gr.BrowserState encrypts what it stores with a key the page itself sends to the browser: what keeps
# the token private is the browser's same-origin rule, not this key. A fixed key, unlike gradio's
# random one per start, keeps the token readable after a server restart.
BROWSER_SECRET = "kzqa-browser-owner"


def token_store() -> gr.BrowserState:
    return gr.BrowserState(None, storage_key=STORAGE_KEY, secret=BROWSER_SECRET)


def identify(token: object, username: str | None) -> tuple[str | None, Owner]:
    """(the token the browser keeps, the session's owner). A logged-in user owns by name in every
    browser; otherwise the browser's token owns, made now if it has none (or not one kzqa made)."""
    kept = token if is_browser_token(token) else None
    if username:
        return kept, Owner.user(username)
    kept = kept or new_browser_token()
    return kept, Owner.browser(kept)
