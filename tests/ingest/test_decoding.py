"""Broken encodings: every damaged file is refused or read with a warning, never a codec traceback."""

import codecs

import pytest

from ingest import ingest_paths, read_document
from ingest.decoding import UnreadableInput, decode_bytes

ARTICLE = "哈萨克斯坦的首都是阿斯塔纳。\n\n哈萨克斯坦是世界上最大的内陆国家。\n" * 5
# The file: UTF-16 from Notepad with one stray byte at the end (an odd byte count).
ODD_UTF16 = "测试\n\n内容。\n".encode("utf-16") + b"A"


class TestRefusedWithTheReason:
    @pytest.mark.parametrize(
        ("data", "reason"),
        [
            (ODD_UTF16, r"damaged UTF-16 text: it ends in the middle of a character \(byte 19 of 19"),
            (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be")[:-1], "damaged UTF-16 text: it ends"),
            (codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8" + "cd".encode("utf-16-le"),
             r"damaged UTF-16 text: byte 7 of 12 is not valid UTF-16 \(illegal UTF-16 surrogate\)"),
            ("哈萨克斯坦。".encode("utf-32")[:-2], "damaged UTF-32 text: it ends in the middle of a character"),
            (codecs.BOM_UTF16_LE, "empty file: it holds only a UTF-16 byte-order mark"),
            (codecs.BOM_UTF16_BE + b"\x00 \x00\n", "empty file: it holds only a UTF-16 byte-order mark"),
            (codecs.BOM_UTF8, "empty file: it holds only a UTF-8 byte-order mark"),
            (b"\x00" * 4096, r"empty file: it holds only NUL bytes \(a file that was never written"),
            (b"\x00\n \x00", "empty file: it holds only whitespace and NUL bytes"),
            ("Kazakhstan 哈萨克斯坦".encode("utf-16-le"), "binary file.*UTF-16 text needs its byte-order mark"),
        ],
        ids=["odd-utf16", "odd-utf16-be", "lone-surrogate", "cut-utf32", "lone-bom-16", "bom-16-and-blanks",
             "lone-bom-8", "nul-filled", "nul-and-blanks", "utf16-without-bom"],
    )  # fmt: skip
    def test_is_refused_with_a_reason_naming_what_is_wrong(self, data, reason):
        with pytest.raises(UnreadableInput, match=reason):
            decode_bytes(data)

    def test_the_reason_says_how_to_fix_it(self):
        with pytest.raises(UnreadableInput, match=r"re-save it as UTF-8$"):
            decode_bytes(ODD_UTF16)


class TestReadDespiteDamage:
    def test_a_few_invalid_bytes_inside_utf8_are_replaced_and_reported(self):
        good = ARTICLE.encode("utf-8")
        boundary = len("哈萨克斯坦的首都是阿斯塔纳。".encode())  # 42: between two characters
        decoded = decode_bytes(good[:boundary] + b"\xff" + good[boundary:])
        assert decoded.encoding == "utf-8"
        assert decoded.text == ARTICLE[:14] + "\ufffd" + ARTICLE[14:]  # the stray byte is marked, nothing lost
        assert decoded.warnings == [
            "1 invalid UTF-8 byte sequence shown as \ufffd (the first at byte 43); "
            "re-save it as UTF-8 to keep every character"
        ]

    def test_a_utf8_file_cut_in_the_middle_of_its_last_character_keeps_the_rest(self):
        decoded = decode_bytes(ARTICLE.rstrip().encode("utf-8")[:-1])
        assert decoded.text.startswith("哈萨克斯坦的首都是阿斯塔纳。") and decoded.text.endswith("\ufffd")
        assert "invalid UTF-8" in decoded.warnings[0]

    def test_gbk_is_not_mistaken_for_damaged_utf8(self):
        decoded = decode_bytes(ARTICLE.encode("gbk"))
        assert decoded.encoding == "gb18030" and decoded.text == ARTICLE

    def test_english_with_a_few_gbk_words_is_read_as_gbk(self):
        text = "Kazakhstan and its neighbours 哈萨克斯坦 met again. " * 3
        assert decode_bytes(text.encode("gbk")).text == text

    def test_utf32_with_its_mark_is_decoded(self):
        assert decode_bytes(ARTICLE.encode("utf-32")).text == ARTICLE


def test_a_batch_of_broken_files_skips_each_with_its_reason_and_keeps_the_good_ones(tmp_path):
    files = {
        "a_good.txt": ARTICLE.encode("utf-8"),
        "b_odd_utf16.txt": ODD_UTF16,
        "c_gbk.txt": ARTICLE.encode("gbk"),
        "d_lone_bom.txt": codecs.BOM_UTF8,
        "e_nul.txt": b"\x00" * 1000,
        "f_bad_middle.txt": ARTICLE.encode("utf-8")[:30] + b"\xfe" + ARTICLE.encode("utf-8")[30:],
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    report = ingest_paths(sorted(tmp_path.iterdir()))

    assert [d.document.source for d in report.documents] == ["a_good.txt", "c_gbk.txt", "f_bad_middle.txt"]
    assert all(d.chunks for d in report.documents)
    reasons = {s.source: s.reason for s in report.skipped}
    assert set(reasons) == {"b_odd_utf16.txt", "d_lone_bom.txt", "e_nul.txt"}
    assert reasons["b_odd_utf16.txt"].startswith("damaged UTF-16 text")
    assert "invalid UTF-8" in report.documents[2].document.warnings[0]


def test_read_document_raises_unreadable_input_not_a_codec_error(tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes(ODD_UTF16)
    with pytest.raises(UnreadableInput, match="damaged UTF-16"):
        read_document(path)
