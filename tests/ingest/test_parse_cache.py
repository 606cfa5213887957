"""The parse cache: content read once is not parsed again, by the real parsers and chunker, and what
it remembers stays bounded and unchanged by what callers do with their copies."""

import shutil
from collections import Counter

import pytest

from ingest import ChineseSentenceChunker, ParseBudget, UnreadableInput, ingest_paths, read_document
from ingest.parse_cache import ParseCache
from tests.support.parse_count import count_parses
from tests.support.paths import BBC_JAN, VOA, small_corpus_copy


@pytest.fixture
def parses(monkeypatch):
    """The file names the real parser ran on, one entry per run."""
    return count_parses(monkeypatch)


@pytest.fixture
def two_articles(tmp_path):
    return small_corpus_copy(tmp_path / "docs")


def chunk_view(report):
    return [(node.node_id, node.text, node.metadata) for item in report.documents for node in item.chunks]


def test_a_second_read_of_unchanged_files_parses_nothing_and_gives_the_same_chunks(two_articles, parses):
    cache = ParseCache()
    paths = sorted(two_articles.iterdir())
    first = ingest_paths(paths, cache=cache)
    second = ingest_paths(paths, cache=cache)
    assert Counter(parses) == {BBC_JAN: 1, VOA: 1}
    assert chunk_view(second) == chunk_view(first) and len(chunk_view(first)) > 10


def test_only_the_new_and_the_changed_file_are_parsed_again(two_articles, parses, corpus_dir):
    cache = ParseCache()
    ingest_paths(sorted(two_articles.iterdir()), cache=cache)
    (two_articles / "new.txt").write_text("新文件\n\n哈萨克斯坦与中国签署了新的合作协议。\n", encoding="utf-8")
    changed = two_articles / VOA
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("普京", "普京总统", 1), encoding="utf-8")
    report = ingest_paths(sorted(two_articles.iterdir()), cache=cache)
    assert Counter(parses) == {BBC_JAN: 1, VOA: 2, "new.txt": 1}
    assert "普京总统" in next(i.document.text for i in report.documents if i.document.source == VOA)


def test_a_copy_changed_by_its_caller_leaves_the_remembered_result_alone(two_articles):
    cache = ParseCache()
    path = two_articles / BBC_JAN
    first = ingest_paths([path], cache=cache).documents[0]
    original_id = first.chunks[0].node_id
    first.chunks[0].node_id = "owner-tagged"  # the indexer tags private chunks in place
    first.chunks[0].metadata["owner"] = "someone"
    first.document.title = "changed"
    again = ingest_paths([path], cache=cache).documents[0]
    assert again.chunks[0].node_id == original_id
    assert "owner" not in again.chunks[0].metadata and again.document.title != "changed"


def test_the_same_text_under_another_name_or_chunk_size_is_read_again(two_articles, parses, tmp_path):
    cache = ParseCache()
    copy = tmp_path / "copy.txt"
    shutil.copyfile(two_articles / BBC_JAN, copy)
    ingest_paths([two_articles / BBC_JAN], cache=cache)
    renamed = ingest_paths([copy], cache=cache)
    assert renamed.documents[0].document.source == "copy.txt"  # citations name the file it came from
    small = ingest_paths([copy], ChineseSentenceChunker(chunk_size=120), cache=cache)
    assert max(len(node.text) for node in small.documents[0].chunks) <= 120
    assert Counter(parses) == {BBC_JAN: 1, "copy.txt": 1}  # the chunk size changes chunking, not parsing


def test_a_skipped_file_is_remembered_with_its_reason(tmp_path, parses):
    cache = ParseCache()
    broken = tmp_path / "broken.txt"
    broken.write_bytes("测试\n\n内容。\n".encode("utf-16") + b"A")  # odd byte count: not decodable as UTF-16
    first = ingest_paths([broken], cache=cache)
    second = ingest_paths([broken], cache=cache)
    assert first.skipped and second.skipped == first.skipped
    assert Counter(parses) == {"broken.txt": 1}
    with pytest.raises(UnreadableInput):
        read_document(broken, cache=cache)


def test_a_file_over_its_size_budget_is_refused_before_any_parse(tmp_path, parses):
    big = tmp_path / "big.txt"
    big.write_text("哈萨克斯坦。" * 2000, encoding="utf-8")
    report = ingest_paths([big], budget=ParseBudget(max_bytes=1000), cache=ParseCache())
    assert report.skipped and "limit" in report.skipped[0].reason and Counter(parses) == {}


def test_without_a_cache_every_read_parses(two_articles, parses):
    ingest_paths([two_articles / VOA], cache=None)
    ingest_paths([two_articles / VOA], cache=None)
    assert Counter(parses) == {VOA: 2}


class TestBoundsWithCountingFakes:
    """Deterministic fakes (a counting `make`) for the cache's own bookkeeping."""

    @staticmethod
    def made(log, value):
        def make():
            log.append(value)
            return value

        return make

    def test_least_recently_used_entries_go_first_when_over_the_byte_budget(self):
        cache, log = ParseCache(max_bytes=100), []
        cache.remember("a", 40, self.made(log, "A"))
        cache.remember("b", 40, self.made(log, "B"))
        cache.remember("a", 40, self.made(log, "A"))  # a hit: "a" is now the most recent
        cache.remember("c", 40, self.made(log, "C"))  # 120 bytes: "b" goes
        assert log == ["A", "B", "C"]
        cache.remember("a", 40, self.made(log, "A"))
        cache.remember("b", 40, self.made(log, "B"))
        assert log == ["A", "B", "C", "B"]
        assert cache.hits == 2 and cache.entries == 2

    def test_the_entry_count_is_bounded_too(self):
        cache, log = ParseCache(max_entries=3), []
        for key in range(10):
            cache.remember(key, 1, self.made(log, key))
        assert cache.entries == 3

    def test_a_result_larger_than_the_whole_cache_is_not_kept(self):
        cache, log = ParseCache(max_bytes=10), []
        cache.remember("huge", 11, self.made(log, "H"))
        cache.remember("huge", 11, self.made(log, "H"))
        assert log == ["H", "H"] and cache.entries == 0

    def test_an_unexpected_error_is_not_remembered(self):
        cache, calls = ParseCache(), []

        def failing():
            calls.append(1)
            raise RuntimeError("a bug, not a property of the file")

        for _ in range(2):
            with pytest.raises(RuntimeError):
                cache.remember("k", 1, failing)
        assert len(calls) == 2 and cache.entries == 0
