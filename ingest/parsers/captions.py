"""Photo credits and captions, as news sites label them.

Credits ("图像来源，Reuters") name a photo agency and are dropped; captions describe the photo and
often carry facts ("托卡耶夫…曾经在中国留学"), so their text is kept as a paragraph.
"""

from __future__ import annotations

import re

_CREDIT = re.compile(r"^\s*(图像来源|图片来源|图片提供|摄影|Image source|Photo|Getty Images)\s*[，,:：]", re.I)
_CAPTION_LABEL = re.compile(r"^\s*(图像加注文字|图片说明|图说|Caption)\s*[，,:：]\s*", re.I)


def is_credit(text: str) -> bool:
    return bool(_CREDIT.match(text))


def caption_text(text: str) -> str:
    """The caption without its label ("图像加注文字，…" → "…")."""
    return _CAPTION_LABEL.sub("", text, count=1)
