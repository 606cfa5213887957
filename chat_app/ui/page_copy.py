"""The page's words that depend on the reader: what their questions search, and whose documents are whose."""

from __future__ import annotations

from html import escape

from chat_app.search_scope import SearchScope

TITLE = "kzqa · 哈萨克斯坦平衡外交问答"
PRIVATE_NOTE = (
    "你添加的文档只有你能看到、检索和删除{who_zh}。"
    "<br>Documents you add are private: only you can see, search and remove them{who_en}."
)
SHARED_NOTE = (
    "共享文档库：这里添加的文档，使用本服务器的每个人都能看到、检索和删除。"
    "<br>Shared library: everyone using this server sees, searches and can remove the documents added here."
)


def header_html(scope: SearchScope, *, shared_library: bool) -> str:
    shared = " Documents added here are shared with everyone on this server." if shared_library else ""
    return (
        f"<h1>{TITLE}</h1><p>Kazakhstan's balancing diplomacy between Russia, China and the West in 2022 — "
        f"answers quoted from {escape(searched_en(scope))}, with sources. Runs offline.{shared}</p>"
    )


def searched_en(scope: SearchScope) -> str:
    """e.g. "5 Chinese articles + 2 of your documents"."""
    parts = [f"{scope.articles} Chinese articles" if scope.articles != 1 else "1 Chinese article"]
    if scope.shared_documents:
        n = scope.shared_documents
        parts.append(f"{n} shared documents" if n != 1 else "1 shared document")
    if scope.own_documents:
        parts.append(f"{scope.own_documents} of your documents")
    return " + ".join(parts)


def searched_zh(scope: SearchScope) -> str:
    """e.g. "5 篇中文文章和你添加的 2 篇文档"."""
    extra = []
    if scope.shared_documents:
        extra.append(f"共享的 {scope.shared_documents} 篇文档")
    if scope.own_documents:
        extra.append(f"你添加的 {scope.own_documents} 篇文档")
    return f"{scope.articles} 篇中文文章" + "".join(f"和{part}" for part in extra)


def library_note_html(*, shared_library: bool, logged_in: bool, read_only: list[str]) -> str:
    """Who sees the documents added here; in a private library, the shared documents this reader
    reads but cannot remove (`read_only`)."""
    if shared_library:
        note = SHARED_NOTE
    else:
        who_zh, who_en = ("（登录后在任何浏览器）", " (in any browser you log in from)") if logged_in else (
            "（在这个浏览器里）", " (in this browser)")  # fmt: skip
        note = PRIVATE_NOTE.format(who_zh=who_zh, who_en=who_en)
    listed = ""
    if read_only:
        names = "、".join(f"<code>{escape(name)}</code>" for name in read_only)
        listed = (
            f"<div>共享文档（所有人可检索，只有管理员能删除）· Shared documents (everyone searches them; "
            f"only the operator can remove them): {names}</div>"
        )
    kind = "kz-library-shared" if shared_library else "kz-library-private"
    return f'<div class="kz-note kz-note-info {kind}">{note}{listed}</div>'
