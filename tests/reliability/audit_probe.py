"""Run the real kzqa UI with a Python audit hook and ask it questions over HTTP; print every network
connection or name lookup that is not loopback (as JSON). Used by test_no_outbound_network.py."""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
from pathlib import Path

violations: list[str] = []


def _loopback(host) -> bool:
    if host is None or host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _watch(event: str, args) -> None:
    if event == "socket.connect":
        _, address = args
        if isinstance(address, tuple) and not _loopback(address[0]):
            violations.append(f"connect {address}")
    elif event == "socket.getaddrinfo" and not _loopback(args[0]):
        violations.append(f"getaddrinfo {args[0]}")


sys.addaudithook(_watch)  # before any library that could open a connection is imported


def main(data_dir: str, model_cache: str, corpus_dir: str) -> None:
    from chat_app.config import KzqaConfig
    from chat_app.ui.app import build_app
    from chat_app.ui.server import launch
    from chat_app.ui.service import AssistantService

    config = KzqaConfig(data_dir=Path(data_dir), model_cache_dir=Path(model_cache), corpus_dir=Path(corpus_dir))
    service = AssistantService.start(config)
    assert service.ready, service.startup_error
    app = build_app(service)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = launch(app, host="127.0.0.1", port=port)
    # Imported only now: the HTTP client stands in for a browser, and must not set the process's
    # network settings before the app does.
    from gradio_client import Client

    client = Client(url, verbose=False)
    answers = [client.predict(q, 5, "extractive", api_name="/ask") for q in ("俄哈边境线有多长？", "Who is Tokayev?")]
    app.close()
    print(json.dumps({"violations": violations, "answers": len(answers)}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
