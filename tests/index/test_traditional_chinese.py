"""Traditional characters read as simplified ones: the table from a small deterministic stand-in for
CC-CEDICT (unit), then the real table from the installed CC-CEDICT on the corpus and on questions."""

from __future__ import annotations

import pytest

from index.traditional_chinese import _pairs, to_simplified
from tests.support.paths import CORPUS_DIR

FAKE_CEDICT = [
    "# a comment line\n",
    "邊境 边境 [bian1 jing4] /border/\n",
    "著名 著名 [zhu4 ming2] /famous/\n",
    "顯著 显著 [xian3 zhu4] /notable/\n",
    "乾淨 干净 [gan1 jing4] /clean/\n",
    "乾隆 乾隆 [Qian2 long2] /Qianlong Emperor/\n",
    "餘 余 [yu2] /remainder/\n",
    "其餘 其余 [qi2 yu2] /the rest/\n",
    "餘 馀 [yu2] /variant/\n",
]


def test_only_characters_never_written_in_simplified_text_are_mapped_fake_cedict():
    table = _pairs(FAKE_CEDICT)
    assert table["邊"] == "边" and table["顯"] == "显"
    assert "著" not in table  # also a simplified character (著名)
    assert "乾" not in table  # 乾隆 keeps it in simplified text
    assert table["餘"] == "余"  # the more frequent of its simplified forms


def test_a_traditional_question_reads_as_simplified():
    assert to_simplified("俄羅斯和哈薩克斯坦的邊境線有多長？") == "俄罗斯和哈萨克斯坦的边境线有多长？"
    assert to_simplified("為什麼哈國不承認頓涅茨克？") == "为什么哈国不承认顿涅茨克？"


@pytest.mark.parametrize("path", sorted(CORPUS_DIR.glob("*.txt")), ids=lambda p: p.name)
def test_simplified_text_passes_through_unchanged(path):
    text = path.read_text(encoding="utf-8")
    assert to_simplified(text) == text


def test_english_digits_and_punctuation_are_untouched():
    text = "How long is the border? 7,644 km (4,750 miles)…「」"
    assert to_simplified(text) == text
