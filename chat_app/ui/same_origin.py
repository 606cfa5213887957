"""Refuses requests that change something (uploads, queue joins, logins) when a browser says they
come from another site.

Gradio's CORS middleware only hides the response from a foreign page; the request itself still
runs, so any web page a user visits could store files in a local kzqa (`POST /gradio_api/upload`
is a "simple" request, sent without a preflight). Browsers always send `Origin` on such requests;
scripts and gradio_client send none and are not affected.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class SameOriginMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS and not _same_origin(scope):
            body = json.dumps({"detail": "Cross-site request refused: open kzqa's own page to use it."}).encode()
            await send({
                "type": "http.response.start",
                "status": 403,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            })  # fmt: skip
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def _same_origin(scope: Scope) -> bool:
    headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope.get("headers", [])}
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser, or a same-origin GET-like navigation: nothing forged here
    host = headers.get("host", "")
    return origin != "null" and urlsplit(origin).netloc.lower() == host.lower()
