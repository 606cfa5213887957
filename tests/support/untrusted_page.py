"""An uploaded HTML page that copies a corpus title and carries rich markup in its og:url."""

from __future__ import annotations

EVIL_URL = "https://evil.example/[/]x[bold]"
# Its title copies a corpus article's title; its og:url holds rich markup.
UPLOADED_PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>乌克兰战争下哈萨克斯坦的东西方平衡外交</title>
<meta property="og:url" content="{EVIL_URL}"></head>
<body><article><h1>乌克兰战争下哈萨克斯坦的东西方平衡外交</h1>
<p>2022年的阿斯塔纳国际论坛原定于6月举行，主题为“应对全球挑战：对话与合作”。由于俄乌冲突，主办方宣布论坛推迟举行。</p>
<p>论坛秘书处表示，新的日期将另行通知。</p></article></body></html>
"""
UPLOAD_QUESTION = "阿斯塔纳国际论坛的主题是什么？"
