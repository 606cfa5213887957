"""A scripted OpenAI-compatible HTTP server: the test double standing in for a real LLM endpoint.

Each test scripts what the next requests get, one step per `POST /v1/chat/completions`:

    with ScriptedLlmServer() as server:
        server.script(reply("答案 [1]"), delay(2.0), http_error(500), garbage(), empty())
        ...  # point LlmClient at server.base_url
        assert "[1]" in server.requests[0].messages[-1]["content"]

A step is an action or a callable taking the `RecordedRequest` and returning an action. Each action
answers both plain JSON requests and `stream: true` requests (server-sent events). A request with
nothing scripted gets HTTP 500 saying so. `GET /v1/models` always answers with one model.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

MODEL_ID = "scripted-double"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None  # None: no body, or not JSON

    @property
    def messages(self) -> list[dict[str, Any]]:
        return (self.body or {}).get("messages", [])

    @property
    def stream(self) -> bool:
        return bool((self.body or {}).get("stream"))


class Action(Protocol):
    def send(self, exchange: _Exchange) -> None: ...


Step = Action | Callable[[RecordedRequest], Action]


@dataclass(frozen=True)
class Reply:
    text: str
    chunk_chars: int

    def send(self, exchange: _Exchange) -> None:
        if not exchange.stream:
            exchange.send_json(200, _completion(self.text))
            return
        exchange.start_events()
        exchange.send_event(_chunk({"role": "assistant"}))
        for start in range(0, len(self.text), self.chunk_chars):
            exchange.send_event(_chunk({"content": self.text[start : start + self.chunk_chars]}))
        exchange.send_event(_chunk({}, finish_reason="stop"))
        exchange.send_event("[DONE]")


@dataclass(frozen=True)
class Delay:
    seconds: float
    then: Action

    def send(self, exchange: _Exchange) -> None:
        if exchange.wait(self.seconds):
            self.then.send(exchange)


@dataclass(frozen=True)
class Stall:
    """Streams `partial`, then goes silent for `seconds` and hangs up (non-streaming: silence only)."""

    partial: str
    seconds: float

    def send(self, exchange: _Exchange) -> None:
        if exchange.stream:
            exchange.start_events()
            exchange.send_event(_chunk({"role": "assistant", "content": self.partial}))
        exchange.wait(self.seconds)


@dataclass(frozen=True)
class HttpError:
    status: int
    message: str

    def send(self, exchange: _Exchange) -> None:
        exchange.send_json(self.status, {"error": {"message": self.message, "type": "server_error"}})


@dataclass(frozen=True)
class Garbage:
    """Status 200 with `body` as the whole JSON body, or (streaming) as the data of one event."""

    body: str

    def send(self, exchange: _Exchange) -> None:
        if exchange.stream:
            exchange.start_events()
            exchange.send_event(self.body)
            exchange.send_event("[DONE]")
        else:
            exchange.send_raw(200, self.body.encode(), "application/json")


def reply(text: str, *, chunk_chars: int = 4) -> Reply:
    """Answer `text`; streamed in pieces of `chunk_chars` characters."""
    return Reply(text, chunk_chars)


def delay(seconds: float, then: Action | None = None) -> Delay:
    """Say nothing for `seconds`, then do `then` (by default reply "too late")."""
    return Delay(seconds, then or reply("too late"))


def stall(partial: str, seconds: float) -> Stall:
    return Stall(partial, seconds)


def http_error(status: int, message: str = "scripted failure") -> HttpError:
    return HttpError(status, message)


def garbage(body: str = "{this is not json") -> Garbage:
    """Status 200 with an unusable body; e.g. `garbage('{"choices": []}')` for a reply without choices."""
    return Garbage(body)


def empty() -> Reply:
    """A well-formed reply whose text is empty."""
    return Reply("", chunk_chars=1)


class ScriptedLlmServer:
    """The double, listening on 127.0.0.1 at a free port from construction until `close()`."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._steps: deque[Step] = deque()
        self._lock = threading.Lock()
        # Set on close: wakes handlers waiting out a scripted delay so shutdown never sleeps.
        self._closing = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._httpd.daemon_threads = True
        # A short poll interval: shutdown() waits for the loop's next poll, and tests close servers often.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, name="llm-double", daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def script(self, *steps: Step) -> None:
        """Queue the answers for the next chat requests, one step each, in order."""
        with self._lock:
            self._steps.extend(steps)

    def close(self) -> None:
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> ScriptedLlmServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_action(self, request: RecordedRequest) -> Action:
        with self._lock:
            step = self._steps.popleft() if self._steps else None
        if step is None:
            return http_error(500, f"ScriptedLlmServer: nothing scripted for {request.method} {request.path}")
        return step(request) if callable(step) else step


@dataclass
class _Exchange:
    """One request being answered: what the actions write through."""

    handler: BaseHTTPRequestHandler
    stream: bool
    closing: threading.Event

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; False if the server is closing meanwhile."""
        return not self.closing.wait(seconds)

    def send_json(self, status: int, payload: dict[str, Any]) -> None:
        self.send_raw(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json")

    def send_raw(self, status: int, body: bytes, content_type: str) -> None:
        self.handler.send_response(status)
        self.handler.send_header("Content-Type", content_type)
        self.handler.send_header("Content-Length", str(len(body)))
        self.handler.end_headers()
        self.handler.wfile.write(body)

    def start_events(self) -> None:
        # HTTP/1.0 without Content-Length: the body is everything until the connection closes.
        self.handler.send_response(200)
        self.handler.send_header("Content-Type", "text/event-stream")
        self.handler.end_headers()

    def send_event(self, data: dict[str, Any] | str) -> None:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        self.handler.wfile.write(f"data: {text}\n\n".encode())
        self.handler.wfile.flush()


def _handler_class(server: ScriptedLlmServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server._record(RecordedRequest("GET", self.path, dict(self.headers), None))
            if self.path.rstrip("/") != "/v1/models":
                _Exchange(self, False, server._closing).send_json(404, {"error": {"message": "not found"}})
                return
            models = {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "owned_by": "tests"}]}
            _Exchange(self, False, server._closing).send_json(200, models)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            request = RecordedRequest("POST", self.path, dict(self.headers), body)
            exchange = _Exchange(self, request.stream, server._closing)
            if self.path.rstrip("/") != "/v1/chat/completions":
                exchange.send_json(404, {"error": {"message": f"no route {self.path}"}})
                return
            server._record(request)
            action = server._next_action(request)
            # The client may give up (its timeout) before the scripted answer is written.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                action.send(exchange)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep pytest output clean

    return Handler


def _completion(text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-double",
        "object": "chat.completion",
        "created": 0,
        "model": MODEL_ID,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


def _chunk(delta: dict[str, str], *, finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-double",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }
