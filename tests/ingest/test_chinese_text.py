"""Whitespace rules for mixed Chinese/Latin text, rewritten to run in linear time, keep their results."""

import itertools

import pytest

from ingest.chinese_text import clean_inline, join_lines, join_wrapped

PIECES = ["哈萨", "Treaty", "  North ", "。", "", "   ", "\u3000镇压", "http://x.org "]


def folded(lines: list[str]) -> str:
    """The reference: join_wrapped applied line by line (quadratic on a long paragraph)."""
    joined = ""
    for line in lines:
        joined = join_wrapped(joined, line) if joined else line.strip()
    return joined


def test_join_lines_gives_what_joining_line_by_line_gives():
    for n in range(5):
        for lines in itertools.product(PIECES, repeat=n):
            assert join_lines(lines) == folded(list(lines)), lines


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("不干涉。 后来", "不干涉。后来"),
        ("North  Atlantic\tTreaty", "North Atlantic Treaty"),
        ("见 http://x.org 网站", "见 http://x.org网站"),  # no space is removed before a URL
        ("\u200b 哈萨克斯坦\u3000 外交 ", "哈萨克斯坦外交"),
        ("2,000 多名 soldiers", "2,000多名soldiers"),
    ],
)
def test_clean_inline(raw, clean):
    assert clean_inline(raw) == clean
