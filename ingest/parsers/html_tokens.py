"""HTML → a stream of start tags, end tags and text, in time linear in the input.

Written instead of using `html.parser.HTMLParser`: on Python 3.11 that parser rescans the rest of
the input for every unterminated construct (`"<a " * n`, `"<!-- x >" * n` take minutes at 200 KB)
and raises AssertionError on `<![foo[`. Here every step consumes what it looked at, and a missing
terminator makes its construct run to the end of the input, as in a browser, so nothing is scanned
twice. Comments, doctypes, processing instructions and CDATA sections are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape

# Elements whose content is text up to their own end tag, never markup. Title and textarea keep
# their character references ("escapable raw text"); script and style are taken verbatim.
_RAW_TEXT = {"script": False, "style": False, "title": True, "textarea": True}
_TAG_NAME = re.compile(r"[a-zA-Z][^\s/>]*")
_BETWEEN_ATTRIBUTES = re.compile(r"[\s/]*")
_ATTRIBUTE_NAME = re.compile(r"[^\s/>][^\s/>=]*")
_EQUALS = re.compile(r"\s*=\s*")
_UNQUOTED_VALUE = re.compile(r"[^\s>]*")


@dataclass(frozen=True)
class StartTag:
    name: str  # lower case
    attributes: dict[str, str] = field(default_factory=dict)  # names lower case, values unescaped
    self_closing: bool = False


@dataclass(frozen=True)
class EndTag:
    name: str


@dataclass(frozen=True)
class Text:
    text: str  # character references already replaced


Token = StartTag | EndTag | Text


def tokenize(html: str) -> Iterator[Token]:
    position = 0  # everything before this has been emitted or dropped
    scan = 0  # where to look for the next "<"
    end = len(html)
    while scan < end:
        less = html.find("<", scan)
        if less < 0:
            break
        following = html[less + 1 : less + 2]
        if not (following and following.isascii() and (following.isalpha() or following in "/!?")):
            scan = less + 1  # a "<" that starts no markup is text ("a < b")
            continue
        if less > position:
            yield Text(unescape(html[position:less]))
        tokens, position = _markup(html, less)
        yield from tokens
        scan = position
    if position < end:
        yield Text(unescape(html[position:]))


def _markup(html: str, less: int) -> tuple[list[Token], int]:
    """The tokens of the construct starting at `less`, and where the text after it begins."""
    following = html[less + 1]
    if following.isalpha():
        return _start_tag(html, less)
    if following == "/" and html[less + 2 : less + 3].isascii() and html[less + 2 : less + 3].isalpha():
        name = _TAG_NAME.match(html, less + 2)
        assert name is not None  # the first character is a letter
        closing = html.find(">", name.end())
        if closing < 0:
            return [], len(html)  # unterminated: dropped, as a browser does
        return [EndTag(name.group().lower())], closing + 1
    if html.startswith("<!--", less):
        if html.startswith(">", less + 4) or html.startswith("->", less + 4):
            return [], html.index(">", less + 4) + 1  # "<!-->" and "<!--->" are empty comments
        return [], _after(html, "-->", less + 4)
    return [], _after(html, ">", less + 2)  # </>, <!doctype …>, <?…>, <![CDATA[…]]>: not text


def _start_tag(html: str, less: int) -> tuple[list[Token], int]:
    name_match = _TAG_NAME.match(html, less + 1)
    assert name_match is not None  # the first character is a letter
    name = name_match.group().lower()
    attributes: dict[str, str] = {}
    at = name_match.end()
    end = len(html)
    while True:
        at = _BETWEEN_ATTRIBUTES.match(html, at).end()
        if at >= end:
            return [], end  # unterminated tag: dropped, as a browser does
        if html[at] == ">":
            break
        attribute = _ATTRIBUTE_NAME.match(html, at)
        assert attribute is not None  # html[at] is neither space, "/" nor ">"
        at = attribute.end()
        value = ""
        if equals := _EQUALS.match(html, at):
            at = equals.end()
            quote = html[at : at + 1]
            if quote in ('"', "'"):
                closing = html.find(quote, at + 1)
                if closing < 0:
                    return [], end  # an unclosed quote runs to the end of the input
                value, at = html[at + 1 : closing], closing + 1
            else:
                unquoted = _UNQUOTED_VALUE.match(html, at)
                value, at = unquoted.group(), unquoted.end()
        attributes.setdefault(attribute.group().lower(), unescape(value))  # the first of a name wins
    self_closing = html[at - 1] == "/"
    tag = StartTag(name, attributes, self_closing)
    after = at + 1
    if name not in _RAW_TEXT or self_closing:
        return [tag], after
    return _raw_text(html, tag, after)


_RAW_TEXT_END: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE) for name in _RAW_TEXT
}


def _raw_text(html: str, tag: StartTag, start: int) -> tuple[list[Token], int]:
    closing = _RAW_TEXT_END[tag.name].search(html, start)
    stop = closing.start() if closing else len(html)
    content = html[start:stop]
    text = Text(unescape(content) if _RAW_TEXT[tag.name] else content)
    after = _after(html, ">", closing.end()) if closing else len(html)
    return [tag, text, EndTag(tag.name)], after


def _after(html: str, terminator: str, start: int) -> int:
    """The position just past the next `terminator`, or the end of the input when there is none."""
    found = html.find(terminator, start)
    return len(html) if found < 0 else found + len(terminator)
