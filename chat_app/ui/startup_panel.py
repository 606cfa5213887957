"""The banner that shows start-up on the page: model loading, the first index build with a progress
bar, or why kzqa could not start. It polls the service, so every open tab sees the same progress."""

from __future__ import annotations

from html import escape

import gradio as gr

from chat_app.ui.answer_html import error_html
from chat_app.ui.service import AssistantService, StartupStatus

POLL_SECONDS = 0.5


def startup_html(status: StartupStatus) -> str:
    if status.error:
        return error_html(f"kzqa could not start: {status.error}")
    if status.started:
        return ""  # ready: the banner disappears
    if status.total:
        percent = round(100 * status.done / status.total)
        return (
            '<div class="kz-startup" role="status">'
            f'<div class="kz-label">正在建立索引 · Building the index: {status.done}/{status.total} '
            f"passages embedded ({percent}%)</div>"
            f'<progress max="{status.total}" value="{status.done}"></progress>'
            "<div>只在第一次启动时建立；所需时间取决于本机 CPU 和段落数量 · Built once, on the first start; "
            "how long it takes depends on this machine's CPU and on how many passages there are.</div></div>"
        )
    return (
        '<div class="kz-startup" role="status">'
        f'<div class="kz-label">正在准备 · Getting ready: {escape(status.message)} …</div>'
        "<progress></progress></div>"
    )


def waiting_html(status: StartupStatus) -> str:
    """In place of the answer while a question waits for start-up to finish."""
    progress = f" ({status.done}/{status.total})" if status.total else ""
    return (
        '<div class="kz-pending">索引准备好后立即回答'
        f" · Your question is answered as soon as the index is ready{progress}</div>"
    )


class StartupPanel:
    def __init__(self, service: AssistantService):
        self.service = service

    def html(self) -> str:
        return startup_html(self.service.startup_status())

    def poll(self) -> tuple[str, gr.Timer]:
        """The banner now; the timer stops once start-up has finished."""
        status = self.service.startup_status()
        return startup_html(status), gr.Timer(active=not status.started)
