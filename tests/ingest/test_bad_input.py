"""Unreadable inputs are reported with file name and reason and skipped; the rest still ingest."""

import pytest

from ingest import ingest_paths, read_document
from ingest.decoding import UnreadableInput
from ingest.format_detection import UnknownFormat
from tests.support.paths import BBC_JAN

ARTICLE = "哈萨克斯坦的首都是阿斯塔纳。\n\n哈萨克斯坦是世界上最大的内陆国家。\n"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"

BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"   \n\n\t\n", "empty file"),
    "picture.txt": (PNG_HEADER * 50, "binary file"),
    "controls.txt": (bytes(range(1, 9)) * 200, "binary file"),
    "data.json": (b'{"title": "not an article", "items": [1, 2, 3]}', "looks like JSON"),
    "numbers.txt": (b"1,2,3\n4,5,6\n7,8,9\n" * 20, "no prose"),
    "feed.xml": (b'<?xml version="1.0"?><rss><channel></channel></rss>', "looks like XML"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_unreadable_input_is_skipped_with_its_reason(tmp_path, corpus_dir, name):
    data, reason = BAD_INPUTS[name]
    (tmp_path / name).write_bytes(data)
    good = tmp_path / BBC_JAN
    good.write_bytes((corpus_dir / BBC_JAN).read_bytes())

    report = ingest_paths(sorted(tmp_path.iterdir()))

    assert [s.source for s in report.skipped] == [name]
    assert reason in report.skipped[0].reason
    assert [d.document.source for d in report.documents] == [BBC_JAN]
    assert not report.ok


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_text_is_decoded_not_rejected(tmp_path, encoding):
    path = tmp_path / "gbk_article.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    document = read_document(path)
    assert "哈萨克斯坦是世界上最大的内陆国家。" in document.text
    assert document.encoding == "gb18030"
    assert any("GB18030" in warning for warning in document.warnings)


def test_utf8_with_bom_and_crlf_line_ends_reads_like_plain_utf8(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    document = read_document(path)
    assert document.text == "哈萨克斯坦的首都是阿斯塔纳。\n\n哈萨克斯坦是世界上最大的内陆国家。"
    assert document.warnings == [] or all("title" in w for w in document.warnings)
    assert "\r" not in document.text and "\ufeff" not in document.text


def test_utf16_from_notepad_is_decoded(tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes(ARTICLE.encode("utf-16"))
    assert "阿斯塔纳" in read_document(path).text


def test_read_document_raises_specific_errors(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableInput, match="empty file"):
        read_document(empty)
    data = tmp_path / "a.txt"
    data.write_text("[1, 2, 3]")
    with pytest.raises(UnknownFormat, match="JSON"):
        read_document(data)


def test_a_file_without_a_title_line_is_named_after_itself(tmp_path):
    path = tmp_path / "无题.txt"
    path.write_text("第一句话很长很长很长。第二句话也很长。\n第三句。\n", encoding="utf-8")
    document = read_document(path)
    assert document.title == "无题"
    assert "no title found; using the file name" in document.warnings


def test_a_10_mb_text_file_is_chunked_whole_and_in_order(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("w", encoding="utf-8") as out:
        out.write("十兆字节的长文\n\n")
        n = 0
        while out.tell() < 10 * 1024 * 1024:
            n += 1
            topics = (f"哈萨克斯坦与邻国的第{n}次会谈第{i}项议题讨论了能源、交通和粮食合作。" for i in range(n % 7 + 1))
            sentences = "".join(topics)
            out.write(f"第{n}段。{sentences}双方同意继续推进平衡外交。\n\n")
    written = path.read_text(encoding="utf-8")

    report = ingest_paths([path])

    assert report.skipped == []
    [item] = report.documents
    chunks, text = item.chunks, item.document.text
    assert len(text) > 0.95 * len(written)  # the whole file was read
    assert all(0 < len(chunk.text) <= 300 for chunk in chunks)
    assert sum(len(chunk.text) for chunk in chunks) > 0.95 * len(text)  # only paragraph breaks fall between
    assert [c.start_char_idx for c in chunks] == sorted(c.start_char_idx for c in chunks)
    assert len({c.node_id for c in chunks}) == len(chunks)
    assert all(text[c.start_char_idx : c.end_char_idx] == c.text for c in chunks[:: len(chunks) // 50])
    assert text[chunks[-1].end_char_idx :].strip() == ""  # nothing lost at the end
