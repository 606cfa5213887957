"""index/jieba_dictionary.py: jieba's two tables built from one reading of its real dictionary hold
exactly what jieba's own loaders build, share their word objects, and cut and tag text as jieba does.

Each comparison runs in a fresh interpreter: jieba's tables are process-wide, and the stock loaders
must not see the patched ones (and the other way round)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.paths import CORPUS_DIR, ROOT

# jieba's own tables, as a process that never imports kzqa builds them.
STOCK = """
import hashlib, json, sys
import jieba, jieba.posseg
jieba.setLogLevel(60)
jieba.dt.FREQ, jieba.dt.total = jieba.dt.gen_pfdict(jieba.dt.get_dict_file())  # not the /tmp cache: the file
jieba.dt.initialized = True
text = sys.stdin.read()
print(json.dumps({
    "freq": hashlib.sha256(json.dumps(sorted(jieba.dt.FREQ.items()), ensure_ascii=False).encode()).hexdigest(),
    "total": jieba.dt.total,
    "tags": hashlib.sha256(json.dumps(sorted(jieba.posseg.dt.word_tag_tab.items()), ensure_ascii=False).encode()).hexdigest(),
    "cut": jieba.lcut(text), "search": jieba.lcut_for_search(text),
    "tagged": [[w, t] for w, t in jieba.posseg.cut(text)],
}))
"""
# The same, through this module; plus how many posseg words are FREQ's own objects.
SHARED = """
import hashlib, json, sys
import jieba
from index.jieba_dictionary import posseg
text = sys.stdin.read()
tagged = [[w, t] for w, t in posseg.cut(text)]  # the first cut loads both tables
freq_keys = {id(k) for k in jieba.dt.FREQ}
print(json.dumps({
    "freq": hashlib.sha256(json.dumps(sorted(jieba.dt.FREQ.items()), ensure_ascii=False).encode()).hexdigest(),
    "total": jieba.dt.total,
    "tags": hashlib.sha256(json.dumps(sorted(posseg.dt.word_tag_tab.items()), ensure_ascii=False).encode()).hexdigest(),
    "cut": jieba.lcut(text), "search": jieba.lcut_for_search(text), "tagged": tagged,
    "shared_words": sum(1 for w in posseg.dt.word_tag_tab if id(w) in freq_keys),
    "tagged_words": len(posseg.dt.word_tag_tab),
}))
"""


def run(script: str, text: str) -> dict:
    result = subprocess.run([sys.executable, "-c", script], input=text, capture_output=True, text=True,
                            cwd=ROOT, timeout=300, check=True)  # fmt: skip
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def both() -> tuple[dict, dict]:
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(CORPUS_DIR.glob("*.txt")))
    text += "\n托卡耶夫今年多大岁数了？What about Russia? 坚戈兑人民币的汇率是多少"
    return run(STOCK, text), run(SHARED, text)


def test_the_tables_hold_exactly_what_jiebas_own_loaders_build(both):
    stock, shared = both
    assert shared["freq"] == stock["freq"]
    assert shared["total"] == stock["total"]
    assert shared["tags"] == stock["tags"]


def test_the_five_articles_are_cut_searched_and_tagged_as_by_jieba(both):
    stock, shared = both
    assert len(stock["cut"]) > 5000  # the articles were read
    assert shared["cut"] == stock["cut"]
    assert shared["search"] == stock["search"]
    assert shared["tagged"] == stock["tagged"]


def test_the_part_of_speech_table_uses_the_frequency_tables_words(both):
    _, shared = both
    # A word listed twice in the file keeps jieba's first string object in FREQ: a handful at most.
    assert shared["tagged_words"] > 300_000
    assert shared["shared_words"] >= shared["tagged_words"] - 10
