"""Slows down password guessing on gradio's /login: after a few failed tries from one client,
each further try must wait twice as long as the one before.

The state is per client address and in memory: a restart forgets it, which costs an attacker a
restart of the server they cannot trigger. Behind a reverse proxy every client shares one
address, so one guesser slows everyone down, which is the safe side to err on.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FREE_TRIES = 5  # a person mistyping a password is never slowed down
FIRST_WAIT_S = 1.0
MAX_WAIT_S = 300.0  # five minutes: 200 guesses then take hours instead of 2.3 s
MAX_CLIENTS = 10_000  # remembered at once; the oldest are forgotten first
LOGIN_STATUS_FAILED = (400, 401, 403)


@dataclass
class _Client:
    failures: int = 0
    blocked_until: float = 0.0


class LoginThrottle:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic, free_tries: int = FREE_TRIES):
        self._clock = clock
        self._free_tries = free_tries
        self._clients: dict[str, _Client] = {}

    def wait_seconds(self, client: str) -> float:
        """How long `client` must wait before its next try (0: it may try now)."""
        record = self._clients.get(client)
        return max(0.0, record.blocked_until - self._clock()) if record else 0.0

    def failed(self, client: str) -> None:
        record = self._clients.pop(client, None) or _Client()
        record.failures += 1
        extra = record.failures - self._free_tries
        if extra > 0:
            record.blocked_until = self._clock() + min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** (extra - 1))
        self._clients[client] = record  # re-inserted: dict order is least recently failed first
        while len(self._clients) > MAX_CLIENTS:
            del self._clients[next(iter(self._clients))]

    def succeeded(self, client: str) -> None:
        self._clients.pop(client, None)


class LoginThrottleMiddleware:
    """ASGI middleware: a POST to …/login from a client that must wait gets 429 with Retry-After;
    every other request passes untouched."""

    def __init__(self, app: ASGIApp, throttle: LoginThrottle | None = None):
        self.app = app
        self.throttle = throttle or LoginThrottle()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].rstrip("/").endswith("/login"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.throttle.wait_seconds(client)
        if wait > 0:
            await _too_many_tries(send, math.ceil(wait))
            return

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] in LOGIN_STATUS_FAILED:
                    self.throttle.failed(client)
                elif message["status"] < 300:
                    self.throttle.succeeded(client)
            await send(message)

        await self.app(scope, receive, watch)


async def _too_many_tries(send: Send, seconds: int) -> None:
    body = json.dumps({"detail": f"Too many failed logins: try again in {seconds} s."}).encode()
    await send({
        "type": "http.response.start",
        "status": 429,
        "headers": [(b"content-type", b"application/json"), (b"retry-after", str(seconds).encode()),
                    (b"content-length", str(len(body)).encode())],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": body})
