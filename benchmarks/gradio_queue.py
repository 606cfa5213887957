"""A plain-HTTP client of gradio's queue protocol, as the page's own JavaScript client speaks it: join the
queue with a new session, then read the event stream until the call completes. Unlike gradio_client it
never sleeps between messages, so what it measures is the server's cost."""

from __future__ import annotations

import json
import secrets


class QueueClient:
    def __init__(self, url: str, *, timeout_s: float = 120.0):
        import httpx

        self.url = url
        self.http = httpx.Client(timeout=timeout_s)
        self.ids = {d.get("api_name"): d["id"] for d in self.http.get(f"{url}config").json()["dependencies"]}

    def call(self, api_name: str, data: list) -> None:
        """One call of the event named `api_name`, in a new session (a new conversation for /ask)."""
        session = secrets.token_hex(6)
        payload = {"data": data, "fn_index": self.ids[api_name], "session_hash": session,
                   "event_data": None, "trigger_id": None}  # fmt: skip
        self.http.post(f"{self.url}gradio_api/queue/join", json=payload).raise_for_status()
        with self.http.stream("GET", f"{self.url}gradio_api/queue/data", params={"session_hash": session}) as events:
            for line in events.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        if not message.get("success", False):
                            raise RuntimeError(f"{api_name} failed: {message}")
                        return
        raise RuntimeError("the event stream ended before the call completed")
