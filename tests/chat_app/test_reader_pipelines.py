"""One pipeline per reader of a build, with a fake retriever and fake pipelines (the engine is not under test)."""

from __future__ import annotations

from typing import ClassVar

from chat_app.reader_pipelines import ReaderPipelines
from chat_app.search_scope import SearchScope
from index.visibility import PUBLIC_ONLY, Visibility

ALICE, BOB, CAROL = "a" * 32, "b" * 32, "c" * 32


class FakeRetriever:
    """Stands in for HybridRetriever: a build with private documents of ALICE and BOB."""

    owners = frozenset({ALICE, BOB})
    sources: ClassVar = {None: {"000.txt", "001.txt", "shared.md"}, ALICE: {"notes.md"}, BOB: {"notes.md", "b.md"}}

    def __init__(self, visibility=PUBLIC_ONLY):
        self.visibility = visibility

    def visible_to(self, visibility):
        return FakeRetriever(visibility)

    def sources_of(self, owner):
        return set(self.sources.get(owner, ()))


def made(keep=16):
    return ReaderPipelines(FakeRetriever(), lambda view: ("pipeline over", view.visibility), keep=keep)


def test_readers_without_documents_here_share_the_public_pipeline():
    pipelines = made()
    assert pipelines.for_reader(PUBLIC_ONLY) is pipelines.public
    assert pipelines.for_reader(Visibility(CAROL)) is pipelines.public


def test_an_owner_gets_a_pipeline_over_their_view_made_once():
    pipelines = made()
    alice = pipelines.for_reader(Visibility(ALICE))
    assert alice == ("pipeline over", Visibility(ALICE))
    assert pipelines.for_reader(Visibility(ALICE)) is alice
    assert pipelines.for_reader(Visibility(BOB)) == ("pipeline over", Visibility(BOB))


def test_only_the_most_recent_owners_pipelines_are_kept():
    pipelines = made(keep=1)
    alice = pipelines.for_reader(Visibility(ALICE))
    pipelines.for_reader(Visibility(BOB))
    assert pipelines.for_reader(Visibility(ALICE)) is not alice


def test_counts_articles_shared_and_own_documents_for_each_reader():
    pipelines, corpus = made(), frozenset({"000.txt", "001.txt"})
    assert pipelines.scope(PUBLIC_ONLY, corpus) == SearchScope(2, shared_documents=1)
    assert pipelines.scope(Visibility(BOB), corpus) == SearchScope(2, shared_documents=1, own_documents=2)
