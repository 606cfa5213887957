"""index/jieba_dictionary.py: jieba's two tables, read from one trie built from its real dictionary,
hold exactly what jieba's own loaders build and cut and tag text as jieba does; the mappings behave
like jieba's dicts on a small dictionary of our own.

Each comparison runs in a fresh interpreter: jieba's tables are process-wide, and the stock loaders
must not see the patched ones (and the other way round)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from index.jieba_dictionary import build_tables, default_tables, load_tables
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
# The same, through this module; plus whether both tables are read from one trie.
SHARED = """
import hashlib, json, sys
import jieba
from index.jieba_dictionary import posseg
text = sys.stdin.read()
tagged = [[w, t] for w, t in posseg.cut(text)]  # the first cut loads both tables
print(json.dumps({
    "freq": hashlib.sha256(json.dumps(sorted(jieba.dt.FREQ.items()), ensure_ascii=False).encode()).hexdigest(),
    "total": jieba.dt.total,
    "tags": hashlib.sha256(json.dumps(sorted(posseg.dt.word_tag_tab.items()), ensure_ascii=False).encode()).hexdigest(),
    "cut": jieba.lcut(text), "search": jieba.lcut_for_search(text), "tagged": tagged,
    "one_trie": posseg.dt.word_tag_tab._words is jieba.dt.FREQ._words,
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


def test_both_tables_are_read_from_one_trie(both):
    _, shared = both
    assert shared["tagged_words"] > 300_000
    assert shared["one_trie"]


# -- the mappings, on a small dictionary of our own ----------------------------------------------
SMALL = ["哈萨克斯坦 300 ns", "哈萨克 50 nz", "斯坦 10 n", "总统 200 n", "哈萨克 70 nr"]


@pytest.fixture
def small(tmp_path):
    build_tables((line.encode() + b"\n" for line in SMALL), tmp_path)
    return load_tables(tmp_path)


def test_each_word_has_its_count_and_each_prefix_zero(small):
    counts = small.counts
    assert counts["哈萨克斯坦"] == 300 and counts.get("斯坦") == 10
    assert counts["哈萨"] == 0 and counts.get("哈") == 0  # prefixes: jieba's DAG walks through them
    assert "总" in counts and "坦" not in counts
    assert counts.get("坦") is None and counts.get("坦", 1) == 1
    with pytest.raises(KeyError):
        counts["俄罗斯"]


def test_a_word_listed_twice_keeps_its_last_count_and_tag_and_the_total_counts_both(small):
    assert small.counts["哈萨克"] == 70
    assert small.tags["哈萨克"] == "nr"
    assert small.total == 300 + 50 + 10 + 200 + 70


def test_tags_cover_words_only_and_fall_back_to_the_default(small):
    tags = small.tags
    assert tags.get("哈萨克斯坦") == "ns" and tags["总统"] == "n"
    assert tags.get("哈萨", "x") == "x"  # a prefix has no tag
    assert "哈萨" not in tags and "哈萨克斯坦" in tags
    assert sorted(tags) == sorted(["哈萨克斯坦", "哈萨克", "斯坦", "总统"])
    assert len(tags) == 4


def test_words_added_at_run_time_are_seen_first(small):
    counts, tags = small.counts, small.tags
    before = len(counts)
    counts["阿斯塔纳"] = 5  # what jieba.add_word does
    counts["阿"] = 0
    counts["总统"] = 1
    tags.update({"阿斯塔纳": "ns"})  # what posseg does with a user dictionary's tags
    assert counts["阿斯塔纳"] == 5 and counts.get("总统") == 1 and "阿" in counts
    assert len(counts) == before + 2 and set(counts) >= {"阿斯塔纳", "阿", "总统"}
    assert tags.get("阿斯塔纳") == "ns"


def test_a_malformed_line_is_named(tmp_path):
    with pytest.raises(ValueError, match="line 2: 总统"):
        build_tables([b"\xe5\x93\x88 1 n\n", "总统 many n\n".encode()], tmp_path)


def test_files_that_disagree_are_refused(small, tmp_path):
    (tmp_path / "tags.u8").write_bytes(b"\0")
    with pytest.raises(ValueError, match="1 tags"):
        load_tables(tmp_path)


def test_the_default_tables_are_built_once_and_then_read_from_the_cache(tmp_path):
    first = default_tables(tmp_path)
    (folder,) = tmp_path.iterdir()
    built = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    second = default_tables(tmp_path)
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == built
    assert second.total == first.total and second.counts["哈萨克斯坦"] == first.counts["哈萨克斯坦"] > 0


def test_a_cut_short_trie_in_the_cache_is_built_again(tmp_path):
    default_tables(tmp_path)
    (folder,) = tmp_path.iterdir()
    words = folder / "words.marisa"
    words.write_bytes(words.read_bytes()[:1000])  # as a disk that filled up under the cache might leave it
    again = default_tables(tmp_path)
    assert again.counts["哈萨克斯坦"] > 0 and words.stat().st_size > 1_000_000
