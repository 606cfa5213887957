"""Who published an article, from the clues the article itself carries."""

from __future__ import annotations

from urllib.parse import urlparse

# Hosts of outlets that cover Central Asia in Chinese.
_HOSTS = {
    "wsj.com": "WSJ",
    "theinitium.com": "Initium",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "voachinese.com": "VOA",
    "voanews.com": "VOA",
    "rfa.org": "RFA",
    "dw.com": "DW",
    "nytimes.com": "NYT",
    "cn.nytimes.com": "NYT",
}
# Outlet names as Chinese attributions write them ("本文原刊于《华尔街日报》，端传媒获授权转载").
_NAMES = {"华尔街日报": "WSJ", "端传媒": "Initium", "纽约时报": "NYT", "金融时报": "FT", "美国之音": "VOA"}
# BBC Chinese labels every photo credit and caption with these words.
_BBC_CAPTION_LABELS = ("图像来源", "图像加注文字")


def publisher_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower()
    for domain, name in _HOSTS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None


def publishers_named_in(text: str) -> str | None:
    """Outlets named in an attribution, in the order they appear ("WSJ/Initium")."""
    named = sorted((text.find(name), short) for name, short in _NAMES.items() if name in text)
    seen: list[str] = []
    for _, short in named:
        if short not in seen:
            seen.append(short)
    return "/".join(seen) or None


def publisher_from_caption_style(raw_text: str) -> str | None:
    return "BBC" if any(label in raw_text for label in _BBC_CAPTION_LABELS) else None
