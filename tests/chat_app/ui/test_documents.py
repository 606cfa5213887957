"""The user documents folder: safe names, validation with readable reasons, atomic storage."""

from __future__ import annotations

import json

import pytest

from chat_app.owners import Owner, new_browser_token
from chat_app.ui.documents import OWNER_NOTE, DocumentFolder, UploadRejected, safe_name

ARTICLE = "# 阿斯塔纳论坛简报\n\n2022年的阿斯塔纳国际论坛原定于6月举行，主题为“应对全球挑战：对话与合作”。\n"
CORPUS_NAME = "000_336fa4486c18f44b.txt"


@pytest.fixture
def folder(tmp_path):
    return DocumentFolder(tmp_path / "documents", reserved_names={CORPUS_NAME}, max_bytes=10_000, max_documents=2)


@pytest.fixture
def upload(tmp_path):
    def make(name: str, content: str | bytes = ARTICLE):
        path = tmp_path / "uploads" / name
        path.parent.mkdir(exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return make


class TestSafeName:
    @pytest.mark.parametrize(
        ("original", "expected"),
        [
            ("论坛简报.md", "论坛简报.md"),
            ("../../etc/passwd.txt", "passwd.txt"),
            ("..\\..\\windows\\notes.TXT", "notes.txt"),
            (".hidden.txt", "hidden.txt"),
            ("my report (final).html", "my_report_(final).html"),
            ("a<script>b.md", "a_script_b.md"),
            ("%%%.md", ".md"),
            ("ｆｕｌｌｗｉｄｔｈ.txt", "fullwidth.txt"),
        ],
    )
    def test_keeps_a_plain_basename(self, original, expected):
        assert safe_name(original) == expected

    def test_cuts_long_names_but_keeps_the_suffix(self):
        name = safe_name("长" * 300 + ".md")
        assert name.endswith(".md") and len(name) <= 83


class TestAdd:
    def test_stores_a_valid_upload_under_its_safe_name(self, folder, upload):
        document = folder.add(upload("简报.md"))
        assert document.name == "简报.md"
        assert document.title
        assert (folder.folder / "简报.md").read_text(encoding="utf-8") == ARTICLE
        assert [d.name for d in folder.documents()] == ["简报.md"]

    @pytest.mark.parametrize(
        ("name", "content", "reason"),
        [
            ("report.pdf", ARTICLE, r"only \.txt, \.md, \.markdown, \.html, \.htm files"),
            ("000_336FA4486C18F44B.TXT", ARTICLE, "one of the articles has this name, or one that looks the same"),
            ("empty.txt", "   \n", "empty file"),
            ("binary.txt", b"\x00\x01\x02binary", "binary file"),
            ("data.txt", '{"a": 1, "b": [1, 2, 3]}', "."),
            ("big.txt", "哈" * 6000, r"18,000 bytes is over the limit of 10,000 bytes$"),
            ("%%%.txt", ARTICLE, "no usable characters"),
            ("..txt", ARTICLE, "only .txt"),
        ],
    )
    def test_refuses_with_a_reason_naming_the_file(self, folder, upload, name, content, reason):
        with pytest.raises(UploadRejected, match=reason) as caught:
            folder.add(upload(name, content))
        assert name in str(caught.value)
        assert folder.documents() == []

    def test_refuses_one_byte_over_the_default_limit_naming_both_sizes_exactly(self, tmp_path, upload):
        default_folder = DocumentFolder(tmp_path / "documents", reserved_names=set())
        with pytest.raises(
            UploadRejected, match=r"huge\.txt: 2,097,153 bytes is over the limit of 2,097,152 bytes \(2 MB\)"
        ):
            default_folder.add(upload("huge.txt", "a" * (2 * 1024 * 1024 + 1)))
        assert default_folder.documents() == []

    def test_accepts_a_file_of_exactly_the_limit(self, tmp_path, upload):
        text = ARTICLE + "\n" + "补充段落。" * 10
        folder = DocumentFolder(tmp_path / "documents", reserved_names=set(), max_bytes=len(text.encode()))
        assert folder.add(upload("exact.md", text)).size == len(text.encode())

    def test_leaves_no_temporary_file_behind_when_refused(self, folder, upload):
        with pytest.raises(UploadRejected):
            folder.add(upload("binary.txt", b"\x00\x00\x00"))
        assert list(folder.folder.iterdir()) == []

    def test_refuses_more_than_the_document_limit(self, folder, upload):
        folder.add(upload("a.md"))
        folder.add(upload("b.md", ARTICLE + "\n另一篇简报的补充段落。\n"))
        with pytest.raises(UploadRejected, match="already holds 2 documents"):
            folder.add(upload("c.md", ARTICLE + "\n第三篇简报的补充段落。\n"))

    def test_never_replaces_a_document_of_the_same_name(self, folder, upload):
        folder.add(upload("a.md"))
        with pytest.raises(
            UploadRejected,
            match=r"a\.md: a document named a\.md is already in the library, and kzqa "
            r"never replaces one; remove it first \(if it is yours\) or rename",
        ):
            folder.add(upload("a.md", ARTICLE + "\n新增的一段：论坛推迟举行。\n"))
        assert (folder.folder / "a.md").read_text(encoding="utf-8") == ARTICLE
        assert len(folder.documents()) == 1

    @pytest.mark.parametrize(
        "look_alike",
        [
            "000_336fa4486c18f44b.txt".replace("a", "\u0430"),  # Cyrillic а
            "000_336fa4486c18f44b.txt".replace("c", "\u0441"),  # Cyrillic с
            "ООО_336fa4486c18f44b.txt",  # Cyrillic О for the zeros
            "OOO_336FA4486C18F44B.TXT",  # Latin O for the zeros, upper case
            "０００_３３６ｆａ４４８６ｃ１８ｆ４４ｂ.txt",  # full-width
            "000_336fα4486c18f44b.txt",  # Greek alpha
        ],
    )
    def test_refuses_a_name_that_only_looks_like_a_corpus_article(self, folder, upload, look_alike):
        with pytest.raises(UploadRejected, match="one of the articles has this name, or one that looks the same"):
            folder.add(upload(look_alike))
        assert folder.documents() == []

    def test_refuses_a_name_that_only_looks_like_an_added_document(self, folder, upload):
        folder.add(upload("report.md"))
        with pytest.raises(UploadRejected, match=r"a document named report\.md is already in the library"):
            folder.add(upload("rep\u043ert.md", ARTICLE + "\n另一段。\n"))  # Cyrillic о

    def test_a_name_in_another_script_is_fine_when_it_looks_like_nothing_stored(self, folder, upload):
        assert folder.add(upload("доклад.md")).name == "доклад.md"

    def test_each_stored_document_is_parsed_once_not_on_every_upload(self, tmp_path, upload, monkeypatch):
        from collections import Counter

        from chat_app.ui import documents

        folder = DocumentFolder(tmp_path / "documents", reserved_names=set(), max_documents=10)
        stored_reads = Counter()
        real_read = documents.read_document

        def counting_read(path, **kwargs):  # a spy: the real parser, counted
            if not path.name.startswith(".upload-"):
                stored_reads[path.name] += 1
            return real_read(path, **kwargs)

        monkeypatch.setattr(documents, "read_document", counting_read)
        for i in range(4):
            folder.add(upload(f"d{i}.md", ARTICLE + f"\n第{i}篇的补充。\n"))
        assert stored_reads == {"d0.md": 1, "d1.md": 1, "d2.md": 1}  # compared with each later upload, parsed once


class TestRemove:
    def test_deletes_the_file(self, folder, upload):
        folder.add(upload("a.md"))
        folder.remove("a.md")
        assert folder.documents() == []

    def test_refuses_names_that_are_not_listed(self, folder):
        with pytest.raises(UploadRejected, match="not in the added documents"):
            folder.remove("../../corpus/000_336fa4486c18f44b.txt")


def test_refuses_a_copy_of_a_corpus_article_under_another_name_or_encoding(tmp_path, corpus_dir):
    folder = DocumentFolder(tmp_path / "documents", reserved_names=set(), corpus_dir=corpus_dir)
    original = (corpus_dir / "004_ea46ad2de5bf25f4.txt").read_text(encoding="utf-8")
    for name, data in (
        ("copy.html", original.encode("utf-8")),
        ("copy-gbk.txt", original.encode("gb18030", "replace")),
    ):
        upload = tmp_path / name
        upload.write_bytes(data)
        with pytest.raises(UploadRejected, match=r"already in the library as 004_ea46ad2de5bf25f4\.txt"):
            folder.add(upload)
    assert folder.documents() == []


def test_refuses_a_second_copy_of_an_added_document(tmp_path):
    folder = DocumentFolder(tmp_path / "documents", reserved_names=set())
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("阿斯塔纳论坛\n\n论坛于五月在阿斯塔纳举行，多国代表出席。\n", encoding="utf-8")
    folder.add(tmp_path / "a.txt")
    with pytest.raises(UploadRejected, match=r"already in the library as a\.txt"):
        folder.add(tmp_path / "b.txt")
    with pytest.raises(UploadRejected, match=r"a document named a\.txt is already in the library"):
        folder.add(tmp_path / "a.txt")


class TestPrivateDocuments:
    """Each owner's documents in a folder of their own; the shared library is read by all."""

    ALICE = Owner.user("alice")
    BROWSER = Owner.browser(new_browser_token())
    OTHER_TEXT = ARTICLE + "\n另一位用户的补充段落。\n"

    def test_an_owners_upload_is_listed_for_them_only(self, folder, upload):
        stored = folder.add(upload("a.md"), self.ALICE)
        assert stored.shared is False
        assert [(d.name, d.shared) for d in folder.documents(self.ALICE)] == [("a.md", False)]
        assert folder.documents(self.BROWSER) == [] and folder.documents() == []

    def test_the_folder_notes_a_users_name_and_never_a_browsers_token(self, folder, upload):
        folder.add(upload("a.md"), self.ALICE)
        folder.add(upload("b.md", self.OTHER_TEXT), self.BROWSER)
        notes = {p.parent.name: json.loads(p.read_text()) for p in folder.private_dir.glob(f"*/{OWNER_NOTE}")}
        assert notes == {self.ALICE.key: {"kind": "user", "user": "alice"}, self.BROWSER.key: {"kind": "browser"}}
        stored = "".join(p.read_text(encoding="utf-8") for p in folder.folder.rglob("*") if p.is_file())
        assert self.BROWSER.identity not in stored

    def test_two_owners_may_each_keep_a_file_of_the_same_name(self, folder, upload):
        folder.add(upload("notes.md"), self.ALICE)
        folder.add(upload("notes.md", self.OTHER_TEXT), self.BROWSER)
        assert folder.path_of("notes.md", self.ALICE).read_text(encoding="utf-8") == ARTICLE
        assert folder.path_of("notes.md", self.BROWSER).read_text(encoding="utf-8") == self.OTHER_TEXT
        assert folder.path_of("notes.md", None) is None

    def test_nobody_can_remove_another_owners_document(self, folder, upload):
        folder.add(upload("notes.md"), self.ALICE)
        for intruder in (self.BROWSER, None):
            with pytest.raises(UploadRejected, match="not in the added documents"):
                folder.remove("notes.md", intruder)
        assert [d.name for d in folder.documents(self.ALICE)] == ["notes.md"]

    def test_removing_ones_own_copy_leaves_the_other_owners(self, folder, upload):
        folder.add(upload("notes.md"), self.ALICE)
        folder.add(upload("notes.md", self.OTHER_TEXT), self.BROWSER)
        folder.remove("notes.md", self.BROWSER)
        assert folder.documents(self.BROWSER) == []
        assert folder.path_of("notes.md", self.ALICE).read_text(encoding="utf-8") == ARTICLE
        assert sorted(p.name for p in folder.private_dir.iterdir()) == [self.ALICE.key]  # the empty folder went

    def test_an_owner_reads_the_shared_library_but_cannot_shadow_it(self, folder, upload):
        folder.add(upload("shared.md"))
        assert [(d.name, d.shared) for d in folder.documents(self.ALICE)] == [("shared.md", True)]
        with pytest.raises(UploadRejected, match=r"a document named shared\.md is already in the library"):
            folder.add(upload("shared.md", self.OTHER_TEXT), self.ALICE)
        with pytest.raises(UploadRejected, match=r"already in the library as shared\.md"):
            folder.add(upload("copy.md"), self.ALICE)

    def test_a_shared_upload_may_not_take_a_private_name_and_learns_nothing_more(self, folder, upload):
        folder.add(upload("notes.md"), self.ALICE)
        with pytest.raises(UploadRejected) as refused:
            folder.add(upload("notes.md", self.OTHER_TEXT))
        assert str(refused.value) == "notes.md: a document with this name is already stored here; rename your file"

    def test_the_same_text_as_another_owners_document_is_accepted(self, folder, upload):
        folder.add(upload("mine.md"), self.ALICE)
        assert folder.add(upload("theirs.md"), self.BROWSER).name == "theirs.md"  # refusing would reveal alice's

    def test_each_owner_has_their_own_limit_and_the_server_one_for_all(self, tmp_path, upload):
        folder = DocumentFolder(tmp_path / "documents", reserved_names=set(), max_documents=1, max_stored=2)
        folder.add(upload("a.md"), self.ALICE)
        with pytest.raises(UploadRejected, match="you have already added 1 documents"):
            folder.add(upload("b.md", self.OTHER_TEXT), self.ALICE)
        folder.add(upload("b.md", self.OTHER_TEXT), self.BROWSER)
        with pytest.raises(UploadRejected, match="this server already stores its limit of 2 added documents"):
            folder.add(upload("c.md", ARTICLE + "\n第三段。\n"), Owner.user("carol"))
        assert not (folder.private_dir / Owner.user("carol").key).exists()  # a refused first upload leaves no folder
