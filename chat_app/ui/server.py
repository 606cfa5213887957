"""`kzqa chat`: serve the page on a local address while the Assistant loads once, in the background."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

from chat_app.config import KzqaConfig
from chat_app.ui.access import check_access
from chat_app.ui.app import build_app
from chat_app.ui.documents import MAX_BYTES
from chat_app.ui.login_throttle import LoginThrottleMiddleware
from chat_app.ui.same_origin import SameOriginMiddleware
from chat_app.ui.service import AssistantService
from ingest.errors import KzqaError

STYLE = Path(__file__).with_name("style.css")
# System fonts only: the default theme would fetch web fonts, and kzqa runs offline.
FONTS = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif")
MONO_FONTS = ("Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono", "ui-monospace", "monospace")
# gradio stores whatever reaches /gradio_api/upload before kzqa sees it: cap it at kzqa's own limit.
UPLOAD_CAP = MAX_BYTES


class PortUnavailable(KzqaError):
    """The address cannot be served (port taken, host not local); the message says what to try."""


def serve(
    config: KzqaConfig,
    *,
    host: str,
    port: int,
    say: Callable[[str], None],
    credentials: list[tuple[str, str]] | None = None,
) -> None:
    """Start kzqa's UI and block until interrupted."""
    check_access(host, credentials or [])  # before anything else: refusing is instant
    _check_free(host, port)  # before the model load, which takes seconds
    say("loading the embedding model and the index …")
    # The page opens at once and shows the start-up (a first index build) with its progress.
    service = AssistantService.start_in_background(config, status=say, on_started=_report_start(say))
    app = build_app(service)
    url = launch(app, host=host, port=port, credentials=credentials)
    say(f"kzqa chat is running at {url}  (Ctrl+C to stop)")
    app.block_thread()


def _report_start(say: Callable[[str], None]) -> Callable[[AssistantService], None]:
    def report(service: AssistantService) -> None:
        if service.startup_error:
            say(f"kzqa could not start: {service.startup_error} (the page shows this too)")
        else:
            say("kzqa is ready to answer")

    return report


def launch(app: gr.Blocks, *, host: str, port: int, credentials: list[tuple[str, str]] | None = None) -> str:
    """Serve `app` in the background; returns its URL."""
    try:
        _, url, _ = app.queue(default_concurrency_limit=1).launch(
            server_name=_url_host(host),
            server_port=port,
            share=False,
            auth=credentials or None,
            quiet=True,
            prevent_thread_lock=True,
            show_error=False,
            max_file_size=UPLOAD_CAP,
            run_history=False,  # it would keep every question in the browser's localStorage, past "Clear chat"
            app_kwargs={"middleware": [Middleware(SameOriginMiddleware), Middleware(LoginThrottleMiddleware)]},
            theme=gr.themes.Soft(font=FONTS, font_mono=MONO_FONTS),
            css_paths=[STYLE],
        )
    except OSError:
        raise PortUnavailable(
            f"cannot serve on {host}:{port}: the port is taken; pass another --port (with make: make run PORT=7861)"
        ) from None
    return url


def _url_host(host: str) -> str:
    """gradio puts the host into its URL as it is: an IPv6 address needs its brackets there."""
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host  # a name, or already bracketed


def _check_free(host: str, port: int) -> None:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as error:
        raise PortUnavailable(f"cannot serve on {host}: {error.strerror or error}; check --host") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a recent restart is fine
        try:
            probe.bind(address)
        except OSError as error:
            raise PortUnavailable(
                f"cannot serve on {host}:{port} ({error.strerror or error}); pass another --port or --host "
                "(with make: make run PORT=7861)"
            ) from None
