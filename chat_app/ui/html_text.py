"""Small pieces of escaped HTML that several parts of a reply share."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlparse

UPLOADED_BADGE = (
    '<span class="kz-uploaded" title="用户添加的文档，不是五篇文章之一 · added by a user, not one of the articles">'
    "上传 · uploaded</span>"
)


def lines_html(text: str) -> str:
    """Escaped text on one line: paragraph breaks become <br>, so no blank line ends the chat's HTML block."""
    return re.sub(r"\s*\n\s*", "<br>", escape(text))


def is_web_address(url: str | None) -> bool:
    """Only http(s) addresses are ever linked: a javascript: or file: URL in a document is not."""
    return bool(url) and urlparse(url).scheme in ("http", "https")
