"""Every read has a size and a time budget: a file over either is skipped with a message that
says which limit and what to do, the deadline is checked inside the parsers' own loops, and
nothing is left running afterwards."""

import itertools
import threading

import pytest

from ingest import (
    ChineseSentenceChunker,
    FileTooLarge,
    ParseBudget,
    ParseTimeout,
    ingest_file,
    ingest_paths,
    read_document,
)
from ingest.budget import MIB, Deadline, describe_size
from ingest.chunker import to_llama_document
from ingest.parsers import PARSERS
from ingest.parsers.plain_text import parse_plain_text
from ingest.records import DocumentFormat
from tests.support.paths import BBC_JAN

ISSUE_PAGE = "<html><body>" + "<div>哈" * 25600
# One pathological input per parser, each needing thousands of loop steps.
LONG_INPUTS = {
    DocumentFormat.HTML: ISSUE_PAGE,
    DocumentFormat.FEED_HTML: "<!--1642982342000-->\n[标题](https://x.org/a)\n-----\n" + "<p>哈。</p>" * 5000,
    DocumentFormat.MARKDOWN: "# 标题\n\n" + "哈。\n\n" * 5000,
    DocumentFormat.PLAIN_TEXT: "标题\n\n" + "哈。\n\n" * 5000,
    DocumentFormat.WRAPPED_TEXT: "标题\n" + "哈萨克斯坦与邻国的会谈讨论了能源合作。\n" * 5000,
    DocumentFormat.WORD_EXPORT: "标题\n作者\n" + "正文[footnoteRef:1]。\n" * 5000,
}


def ticking_clock(step: float = 1.0):
    """A fake clock that advances `step` seconds each time it is read: deadlines fire after a fixed
    number of checks, whatever the machine's speed."""
    ticks = itertools.count()
    return lambda: next(ticks) * step


class TestSizeLimit:
    def test_a_file_over_the_size_limit_is_refused_before_it_is_read(self, tmp_path):
        path = tmp_path / "big.txt"
        path.write_bytes("哈萨克斯坦。\n".encode() * 400)  # 7,600 bytes
        with pytest.raises(FileTooLarge, match=r"^file is 7 KB \(7,600 bytes\), over the 4 KB \(4,096 bytes\) limit; "
                           r"split it into smaller files$"):  # fmt: skip
            read_document(path, budget=ParseBudget(max_bytes=4096))

    def test_a_file_just_over_the_limit_never_reads_the_same_as_the_limit(self):
        assert describe_size(2 * MIB) == "2 MB (2,097,152 bytes)"
        assert describe_size(2 * MIB + 1) == "2.0 MB (2,097,153 bytes)"
        assert str(FileTooLarge(2 * MIB + 1, 2 * MIB)).startswith(
            "file is 2.0 MB (2,097,153 bytes), over the 2 MB (2,097,152 bytes) limit"
        )

    def test_a_file_at_the_limit_is_read(self, tmp_path):
        path = tmp_path / "exact.txt"
        path.write_bytes("哈萨克斯坦。\n".encode() * 100)
        assert read_document(path, budget=ParseBudget(max_bytes=path.stat().st_size)).text

    def test_in_a_batch_the_large_file_is_skipped_and_the_others_are_read(self, tmp_path, corpus_dir):
        (tmp_path / BBC_JAN).write_bytes((corpus_dir / BBC_JAN).read_bytes())
        (tmp_path / "huge.txt").write_bytes("哈萨克斯坦。\n".encode() * 20_000)
        report = ingest_paths(sorted(tmp_path.iterdir()), budget=ParseBudget(max_bytes=MIB // 4))
        assert [d.document.source for d in report.documents] == [BBC_JAN]
        [skipped] = report.skipped
        assert skipped.source == "huge.txt" and "over the 256 KB (262,144 bytes) limit" in skipped.reason


class TestTimeLimit:
    @pytest.mark.parametrize("document_format", list(LONG_INPUTS), ids=str)
    def test_every_parser_checks_the_deadline_inside_its_loop(self, document_format):
        deadline = Deadline(500, clock=ticking_clock())  # expires at the 500th check
        with pytest.raises(ParseTimeout, match=r"^parsing stopped after 500 s \(the limit per file\); "
                           r"split it into smaller files or convert it to plain text$"):  # fmt: skip
            PARSERS[document_format](LONG_INPUTS[document_format], source="x", deadline=deadline)

    def test_the_chunker_checks_the_deadline_per_chunk(self):
        document = parse_plain_text("标题\n\n" + "哈萨克斯坦的外交。\n\n" * 5000, source="x.txt")
        deadline = Deadline(10, clock=ticking_clock())
        with pytest.raises(ParseTimeout, match=r"^chunking stopped after 10 s"):
            ChineseSentenceChunker().get_nodes_from_documents([to_llama_document(document)], deadline=deadline)

    def test_the_issue_page_with_no_time_left_is_stopped_with_a_clear_error(self, tmp_path):
        path = tmp_path / "divs.html"
        path.write_text(ISSUE_PAGE, encoding="utf-8")
        threads_before = set(threading.enumerate())
        with pytest.raises(ParseTimeout, match=r"stopped after 0 s \(the limit per file\); split it"):
            ingest_file(path, budget=ParseBudget(max_seconds=0))
        assert set(threading.enumerate()) == threads_before  # stopped in place: no thread left behind

    def test_in_a_batch_a_file_out_of_time_is_skipped_with_the_reason(self, tmp_path):
        (tmp_path / "divs.html").write_text(ISSUE_PAGE, encoding="utf-8")
        report = ingest_paths([tmp_path / "divs.html"], budget=ParseBudget(max_seconds=0))
        assert report.documents == []
        assert report.skipped[0].source == "divs.html"
        assert "stopped after 0 s (the limit per file)" in report.skipped[0].reason

    def test_the_default_budget_reads_the_issue_page(self, tmp_path):
        path = tmp_path / "divs.html"
        path.write_text(ISSUE_PAGE, encoding="utf-8")
        assert ingest_file(path).document.text.count("哈") == 25600


def test_a_budget_must_allow_something():
    with pytest.raises(ValueError, match="max_bytes > 0"):
        ParseBudget(max_bytes=0)


def test_an_unforeseen_failure_skips_that_file_with_the_error_named(tmp_path, monkeypatch):
    """A stand-in parser that raises (fake, for the logic only): one file's bug never stops the batch."""

    def broken_parser(text, *, source, deadline=None):
        raise KeyError("a parser bug")

    monkeypatch.setitem(PARSERS, DocumentFormat.PLAIN_TEXT, broken_parser)
    (tmp_path / "a.txt").write_text("标题\n\n哈萨克斯坦。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# 标题\n\n哈萨克斯坦。\n", encoding="utf-8")
    report = ingest_paths(sorted(tmp_path.iterdir()))
    assert [d.document.source for d in report.documents] == ["b.md"]
    assert report.skipped[0].reason == (
        "kzqa failed to read it (KeyError: 'a parser bug'); this is a bug in kzqa: please report it with the file"
    )
