"""Private documents in one shared index, with the real model, real Chroma and real jieba: every search
reads the public chunks and the reader's own, never another owner's; ownership survives a rebuild.

A small corpus (one real article) keeps each build to seconds.
"""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from index.hybrid_retriever import HybridRetriever, RetrievalMode
from index.indexer import build_index
from index.manifest import read_manifest
from index.private_documents import owned_chunk_id, owned_files, owner_folder
from index.vector_store import open_client
from index.visibility import OWNER_KEY, PUBLIC, PUBLIC_ONLY, Visibility
from tests.support.paths import BBC_JAN

ALICE = "a" * 32
BOB = "b" * 32
# The same file name for both owners, with different facts: each must get their own.
NOTES = "notes.md"
ALICE_NOTES = "# 甲方备忘\n\n阿拉木图苹果节于2022年9月举行，共有三百个摊位参加。\n"
BOB_NOTES = "# 乙方备忘\n\n阿拉木图苹果节在2022年因暴雨取消，主办方改为线上直播活动。\n"
SHARED = "shared.md"
SHARED_TEXT = "# 公共简报\n\n阿斯塔纳国际论坛原定于2022年6月举行，主题为对话与合作。\n"
QUESTION = "阿拉木图苹果节的情况怎么样？"


def _raw_collection(data_dir):
    """The current build's Chroma collection itself, to read and rewrite the metadata it stores."""
    return open_client(data_dir).get_collection(read_manifest(data_dir).collection, embedding_function=None)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def library(base_index_settings, tmp_path_factory):
    root = tmp_path_factory.mktemp("private")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copyfile(base_index_settings.corpus_dirs[0] / BBC_JAN, corpus / BBC_JAN)
    documents = root / "documents"
    write(documents / SHARED, SHARED_TEXT)
    write(owner_folder(documents / "private", ALICE) / NOTES, ALICE_NOTES)
    write(owner_folder(documents / "private", BOB) / NOTES, BOB_NOTES)
    return replace(
        base_index_settings,
        data_dir=root / "data",
        corpus_dirs=(corpus, documents),
        private_documents_dir=documents / "private",
    )


@pytest.fixture(scope="module")
def built(library, embedder):
    return build_index(library, embedder=embedder)


@pytest.fixture(scope="module")
def public(library, built, embedder):
    retriever = HybridRetriever(library, embedder=embedder)
    yield retriever
    retriever.close()


def sources_of(passages):
    return [(p.source, p.text) for p in passages]


def test_each_chunk_records_its_owner_and_same_named_files_stay_apart(public):
    owners = {(r.source, r.owner) for r in public.build.records.values()}
    assert {(BBC_JAN, None), (SHARED, None), (NOTES, ALICE), (NOTES, BOB)} <= owners
    assert public.owners == {ALICE, BOB}


@pytest.mark.parametrize("mode", list(RetrievalMode))
def test_the_public_reader_never_finds_a_private_chunk(public, mode):
    passages = public.retrieve(QUESTION, k=20, mode=mode)
    assert passages and all(p.source != NOTES for p in passages)
    assert all(r.owner is None for r in public.records.values())
    assert all(public.records.get(s.chunk_id) for s in public.sentences.records)


@pytest.mark.parametrize("mode", list(RetrievalMode))
@pytest.mark.parametrize(
    ("owner", "own_text", "other_text"), [(ALICE, "三百个摊位", "暴雨"), (BOB, "暴雨", "三百个摊位")]
)
def test_an_owner_finds_their_own_document_first_and_never_the_others(public, mode, owner, own_text, other_text):
    view = public.visible_to(Visibility(owner))
    passages = view.retrieve(QUESTION, k=20, mode=mode)
    texts = [p.text for p in passages if p.source == NOTES]
    assert passages[0].source == NOTES and own_text in passages[0].text
    assert not any(other_text in text for text in texts)
    assert {r.owner for r in view.records.values()} == {None, owner}
    sentence_texts = "".join(s.text for s in view.sentences.records)
    assert own_text in sentence_texts and other_text not in sentence_texts


def test_a_view_cannot_open_another_owners_chunk_by_id(public):
    bob_chunk = next(r.chunk_id for r in public.build.records.values() if r.owner == BOB)
    with pytest.raises(KeyError):
        public.visible_to(Visibility(ALICE)).passage(bob_chunk)


def test_a_views_sentence_scores_are_the_builds_own_rows(public, embedder):
    view = public.visible_to(Visibility(ALICE))
    vector = embedder.embed_query(QUESTION)
    full = public.build.sentences
    rows = [i for i, s in enumerate(full.records) if s.chunk_id in view.records]
    tokens = ["苹果节", "阿拉木图"]
    assert view.sentences.cosines(vector) == pytest.approx(full.cosines(vector)[rows])
    assert view.sentences.keyword_scores(tokens) == pytest.approx(full.keyword_scores(tokens)[rows])


def test_every_vector_carries_its_owner_tag(library, built):
    collection = _raw_collection(library.data_dir)
    stored = collection.get(include=["metadatas"])
    tags = {metadata[OWNER_KEY] for metadata in stored["metadatas"]}
    assert tags == {PUBLIC, ALICE, BOB}


def test_a_rebuild_keeps_every_owner(library, built, embedder):
    rebuilt = build_index(library, embedder=embedder, rebuild=True)
    assert rebuilt.chunks == built.chunks
    retriever = HybridRetriever(library, embedder=embedder)
    try:
        assert {r.owner for r in retriever.build.records.values()} == {None, ALICE, BOB}
        assert all(p.source != NOTES for p in retriever.retrieve(QUESTION, k=20))
        alice = retriever.visible_to(Visibility(ALICE)).retrieve(QUESTION, k=3)
        assert alice[0].source == NOTES and "三百个摊位" in alice[0].text
    finally:
        retriever.close()


def test_vectors_from_before_owner_tags_are_tagged_by_the_next_build(base_index_settings, embedder, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(base_index_settings.corpus_dirs[0] / BBC_JAN, corpus / BBC_JAN)
    documents = tmp_path / "documents"
    settings = replace(
        base_index_settings, data_dir=tmp_path / "data", corpus_dirs=(corpus, documents),
        private_documents_dir=documents / "private",
    )  # fmt: skip
    build_index(settings, embedder=embedder)
    collection = _raw_collection(settings.data_dir)
    ids = collection.get(include=[])["ids"]
    collection.update(ids=ids, metadatas=[{OWNER_KEY: None}] * len(ids))  # as an older kzqa wrote them

    write(owner_folder(documents / "private", ALICE) / NOTES, ALICE_NOTES)
    build_index(settings, embedder=embedder)
    collection = _raw_collection(settings.data_dir)
    assert {m.get(OWNER_KEY) for m in collection.get(include=["metadatas"])["metadatas"]} == {PUBLIC, ALICE}
    retriever = HybridRetriever(settings, embedder=embedder)
    try:  # the filtered vector search still finds the corpus article
        assert retriever.retrieve("哈萨克斯坦骚乱", k=3, mode=RetrievalMode.VECTOR)[0].source == BBC_JAN
    finally:
        retriever.close()


class TestLayoutWithFakeFiles:
    def test_lists_files_by_owner_folder_and_ignores_other_folders(self, tmp_path):
        write(tmp_path / ALICE / "a.md", "x")
        write(tmp_path / ALICE / ".upload-123-a.md", "half written")
        write(tmp_path / "not-an-owner" / "b.md", "x")
        write(tmp_path / ("A" * 32) / "c.md", "x")  # upper case: not a key kzqa makes
        assert [(f.path.name, f.owner) for f in owned_files(tmp_path)] == [("a.md", ALICE)]

    def test_a_missing_folder_holds_nothing(self, tmp_path):
        assert owned_files(tmp_path / "none") == [] and owned_files(None) == []

    @pytest.mark.parametrize("bad", ["..", "../x", "a" * 31, "g" * 32, ""])
    def test_an_owner_folder_is_named_only_by_a_key(self, tmp_path, bad):
        with pytest.raises(ValueError, match="not an owner key"):
            owner_folder(tmp_path, bad)

    def test_the_same_chunk_gets_a_different_id_for_each_owner(self):
        assert len({owned_chunk_id(ALICE, "c1"), owned_chunk_id(BOB, "c1"), "c1"}) == 3


class TestVisibility:
    @pytest.mark.parametrize(
        ("reader", "owner", "allowed"),
        [
            (PUBLIC_ONLY, None, True),
            (PUBLIC_ONLY, ALICE, False),
            (Visibility(ALICE), None, True),
            (Visibility(ALICE), ALICE, True),
            (Visibility(ALICE), BOB, False),
        ],
    )
    def test_public_chunks_for_all_private_ones_for_their_owner(self, reader, owner, allowed):
        assert reader.allows(owner) is allowed

    def test_vector_searches_ask_for_public_and_own_tags(self):
        assert PUBLIC_ONLY.metadata_values == [PUBLIC]
        assert Visibility(ALICE).metadata_values == [PUBLIC, ALICE]

    @pytest.mark.parametrize("bad", ["alice", "../" + "a" * 29, PUBLIC])
    def test_refuses_anything_but_a_key(self, bad):
        with pytest.raises(ValueError, match="not an owner key"):
            Visibility(bad)
