"""The shared Assistant behind the UI: friendly errors, one request at a time, document updates."""

from __future__ import annotations

import threading

import pytest

from chat_app.answer import Answer
from chat_app.config import KzqaConfig
from chat_app.owners import Owner, new_browser_token
from chat_app.ui import service as service_module
from chat_app.ui.service import AssistantService, ServiceError
from index import cross_lingual
from index.embedder import Embedder
from index.indexer import IndexBusy, IndexSummary, IndexWriteError
from index.manifest import IndexMissing
from tests.support.fake_assistant import FakeAssistant, FakeAssistantBuildingItsIndex
from tests.support.parse_count import count_parses
from tests.support.paths import BBC_JAN, CORPUS_DIR, TEST_MODEL_CACHE, small_corpus_copy
from tests.support.polling import eventually

ARTICLE = "# 论坛简报\n\n2022年的阿斯塔纳国际论坛原定于6月举行。\n"
ALICE = Owner.user("alice")


@pytest.fixture
def config(tmp_path):
    return KzqaConfig(corpus_dir=CORPUS_DIR, data_dir=tmp_path / "data")


def service_with(config, assistant) -> AssistantService:
    return AssistantService(config, assistant, None)


def write(folder, name, content=ARTICLE):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


class TestStream:
    def test_passes_previews_then_the_answer(self, config):
        items = list(
            service_with(config, FakeAssistant()).stream("俄哈边境线有多长？", [], k=5, generator="extractive")
        )
        assert isinstance(items[-1], Answer)
        assert all(isinstance(item, str) for item in items[:-1])

    @pytest.mark.parametrize(
        ("error", "message"),
        [
            (
                IndexMissing("no index in /x; build it with `kzqa index`"),
                "the search index is unavailable: no index in /x",
            ),
            (IndexBusy("another `kzqa index` is updating /x"), "the index is being updated: another"),
            (
                IndexWriteError("cannot write the index in /x: No space left on device. Free some disk space"),
                "^cannot write the index in /x: No space left on device. Free some disk space$",
            ),
            (
                RuntimeError("CUDA exploded\nTraceback (most recent call last)"),
                r"something went wrong \(RuntimeError\)",
            ),
        ],
    )
    def test_turns_failures_into_friendly_messages(self, config, error, message):
        service = service_with(config, FakeAssistant(fail_with=error))
        with pytest.raises(ServiceError, match=message) as caught:
            list(service.stream("问题", [], k=5, generator="extractive"))
        assert "Traceback" not in str(caught.value)

    def test_says_why_it_cannot_answer_when_start_up_failed(self, config):
        service = AssistantService(config, None, "the embedding model could not be loaded: missing file")
        with pytest.raises(ServiceError, match=r"could not start.*missing file"):
            list(service.stream("问题", [], k=5, generator="extractive"))

    def test_serves_one_request_at_a_time(self, config):
        assistant = FakeAssistant()
        service = service_with(config, assistant)
        threads = [threading.Thread(target=lambda: list(service.stream("问题", [], k=5, generator="extractive")))
                   for _ in range(4)]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(assistant.questions) == 4
        assert assistant.most_active == 1


class TestStart:
    def test_keeps_a_start_up_failure_as_a_message(self, tmp_path, embedder):
        config = KzqaConfig(corpus_dir=tmp_path / "no-such-corpus", data_dir=tmp_path / "data")
        service = AssistantService.start(config, embedder=embedder)
        assert not service.ready
        assert service.startup_error.startswith("kzqa is not configured correctly: corpus folder not found")


class TestStartInBackground:
    @pytest.fixture
    def building(self, monkeypatch):
        monkeypatch.setattr(service_module, "Assistant", FakeAssistantBuildingItsIndex)
        FakeAssistantBuildingItsIndex.release = threading.Event()
        FakeAssistantBuildingItsIndex.failure = None
        return FakeAssistantBuildingItsIndex

    def test_returns_at_once_and_reports_the_build_progress(self, config, building):
        reported = []
        service = AssistantService.start_in_background(config, on_started=reported.append)
        assert eventually(lambda: service.startup_status().total == 4, timeout=10)
        status = service.startup_status()
        assert (status.started, status.done, status.message) == (False, 2, "embedding 4 new chunks")
        assert not service.ready

        building.release.set()
        assert service.wait_until_started(timeout=10)
        assert service.ready and service.startup_status().started and reported == [service]

    def test_start_up_reads_the_english_names_so_the_first_english_answer_does_not_wait(self, config, building):
        cross_lingual._cedict_names.cache_clear()  # as in a fresh server process
        building.release.set()
        service = AssistantService.start_in_background(config)
        assert service.wait_until_started(timeout=60) and service.ready
        assert cross_lingual.english_names_loaded()

    def test_a_question_asked_during_start_up_is_answered_once_ready(self, config, building):
        service = AssistantService.start_in_background(config)
        answers = []
        asking = threading.Thread(
            target=lambda: answers.extend(service.stream("俄哈边境线有多长？", [], k=5, generator="extractive"))
        )
        asking.start()
        asking.join(timeout=0.3)
        assert asking.is_alive() and answers == []  # waiting, not refused
        building.release.set()
        asking.join(timeout=10)
        assert isinstance(answers[-1], Answer)

    def test_a_failed_start_is_reported_with_its_reason(self, config, building):
        building.failure = IndexMissing("no index in /x; build it with `kzqa index`")
        building.release.set()
        service = AssistantService.start_in_background(config)
        assert service.wait_until_started(timeout=10)
        assert not service.ready
        assert (
            service.startup_status().error
            == "the search index is unavailable: no index in /x; build it with `kzqa index`"
        )

    def test_the_real_assistant_builds_a_missing_index_in_the_background(self, tmp_path, embedder):
        # Two articles: a build of a few seconds shows the same as five (the browser test watches five).
        corpus = small_corpus_copy(tmp_path / "corpus")
        config = KzqaConfig(corpus_dir=corpus, data_dir=tmp_path / "data", model_cache_dir=TEST_MODEL_CACHE)
        plain = Embedder(spec=embedder.spec, model=embedder.model)  # really embeds (the session's one remembers)
        service = AssistantService.start_in_background(config, embedder=plain)
        seen = set()
        while not service.wait_until_started(timeout=0.05):
            status = service.startup_status()
            seen.add((status.done, status.total))
        assert service.ready, service.startup_error
        totals = {total for _, total in seen if total}
        assert len(totals) == 1 and totals.pop() > 20  # the two articles' chunks, all new
        assert len({done for done, total in seen if total}) > 1  # progress moved while we watched
        answer = next(item for item in service.stream("集安组织有几个成员国？", [], k=5, generator="extractive")
                      if isinstance(item, Answer))  # fmt: skip
        assert "6" in answer.text and {c.source for c in answer.citations} == {BBC_JAN}


class TestDocuments:
    def test_adds_valid_files_reports_the_rest_and_reindexes_once(self, config, tmp_path):
        assistant = FakeAssistant()
        uploads = [write(tmp_path / "up", "论坛.md"), write(tmp_path / "up", "notes.pdf")]
        update = service_with(config, assistant).add_documents(uploads, owner=ALICE)
        assert update.added == ["论坛.md"]
        assert len(update.rejected) == 1 and update.rejected[0].startswith("notes.pdf: only .txt")
        assert update.indexed_chunks == 119
        assert assistant.reindexed == 1

    def test_does_not_reindex_when_nothing_was_added(self, config, tmp_path):
        assistant = FakeAssistant()
        update = service_with(config, assistant).add_documents(
            [write(tmp_path / "up", "000_336fa4486c18f44b.txt")], owner=ALICE
        )
        assert update.added == [] and update.indexed_chunks is None
        assert assistant.reindexed == 0

    def test_removal_deletes_and_reindexes(self, config, tmp_path):
        assistant = FakeAssistant()
        service = service_with(config, assistant)
        service.add_documents([write(tmp_path / "up", "论坛.md")], owner=ALICE)
        update = service.remove_documents(["论坛.md"], owner=ALICE)
        assert update.removed == ["论坛.md"]
        assert service.library(ALICE) == []
        assert assistant.reindexed == 2

    def test_questions_do_not_wait_for_an_update_in_progress_with_a_fake_assistant(self, config, tmp_path):
        assistant = FakeAssistant()
        release = threading.Event()
        reindex = assistant.reindex
        assistant.reindex = lambda **kw: release.wait(30) and reindex(**kw)
        service = service_with(config, assistant)
        updating = threading.Thread(
            target=service.add_documents, args=([write(tmp_path / "up", "论坛.md")],), kwargs={"owner": ALICE}
        )
        updating.start()
        assert eventually(lambda: service.library(ALICE) != [], timeout=10)  # stored, now indexing
        answer = list(service.stream("俄哈边境线有多长？", [], k=5, generator="extractive"))[-1]
        assert isinstance(answer, Answer) and updating.is_alive()  # answered while the update still runs
        release.set()
        updating.join(timeout=30)
        assert assistant.reindexed == 1

    def test_updates_run_one_at_a_time(self, config, tmp_path):
        assistant = FakeAssistant()
        running, most = [0], [0]

        def reindex(**kw):
            running[0] += 1
            most[0] = max(most[0], running[0])
            threading.Event().wait(0.05)
            running[0] -= 1
            return IndexSummary(chunks=1, documents=1)

        assistant.reindex = reindex
        service = service_with(config, assistant)
        uploads = [write(tmp_path / f"up{i}", f"论坛{i}.md", ARTICLE + f"第{i}段。\n") for i in range(3)]
        threads = [
            threading.Thread(target=service.add_documents, args=([upload],), kwargs={"owner": ALICE})
            for upload in uploads
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert most[0] == 1 and len(service.library(ALICE)) == 3

    def test_a_failed_reindex_keeps_the_file_and_says_so(self, config, tmp_path):
        service = service_with(config, FakeAssistant(reindex_fails_with=IndexBusy("another `kzqa index` is running")))
        update = service.add_documents([write(tmp_path / "up", "论坛.md")], owner=ALICE)
        assert update.error == "the index is being updated: another `kzqa index` is running"
        assert [d.name for d in service.library(ALICE)] == ["论坛.md"]


class TestPrivacy:
    """Each session's documents are its owner's: the service never acts on another owner's."""

    BROWSER = Owner.browser(new_browser_token())

    def test_questions_are_asked_for_the_sessions_owner(self, config):
        assistant = FakeAssistant()
        list(service_with(config, assistant).stream("问题", [], k=5, generator="extractive", owner=ALICE))
        assert assistant.owners == [ALICE]

    def test_another_owner_cannot_remove_a_document_even_by_its_exact_name(self, config, tmp_path):
        assistant = FakeAssistant()
        service = service_with(config, assistant)
        service.add_documents([write(tmp_path / "up", "notes.md")], owner=ALICE)
        for intruder in (self.BROWSER, None):
            update = service.remove_documents(["notes.md"], owner=intruder)
            assert update.removed == [] and update.rejected == [
                "notes.md: not in the added documents (already removed?)"
            ]
        assert [d.name for d in service.library(ALICE)] == ["notes.md"]
        assert assistant.reindexed == 1  # nothing changed, nothing re-indexed

    def test_same_named_files_of_two_owners_are_each_their_own(self, config, tmp_path):
        service = service_with(config, FakeAssistant())
        service.add_documents([write(tmp_path / "a", "notes.md")], owner=ALICE)
        update = service.add_documents([write(tmp_path / "b", "notes.md", ARTICLE + "另一段。\n")], owner=self.BROWSER)
        assert update.added == ["notes.md"]
        service.remove_documents(["notes.md"], owner=self.BROWSER)
        assert service.library(self.BROWSER) == [] and [d.name for d in service.library(ALICE)] == ["notes.md"]

    def test_a_session_with_no_owner_can_add_nothing_to_a_private_library(self, config, tmp_path):
        assistant = FakeAssistant()
        update = service_with(config, assistant).add_documents([write(tmp_path / "up", "notes.md")], owner=None)
        assert update.added == [] and update.rejected[0].startswith("notes.md: this page session has no identity")
        assert assistant.reindexed == 0

    def test_a_shared_library_stores_for_everyone_and_anyone_may_remove(self, config, tmp_path):
        service = service_with(config.with_overrides(shared_library=True), FakeAssistant())
        service.add_documents([write(tmp_path / "up", "notes.md")], owner=ALICE)
        listed = service.library(self.BROWSER)
        assert [(d.name, d.shared) for d in listed] == [("notes.md", True)] and service.removable(listed[0])
        assert service.remove_documents(["notes.md"], owner=self.BROWSER).removed == ["notes.md"]

    def test_in_a_private_library_shared_documents_are_read_but_not_removable(self, config, tmp_path):
        service = service_with(config, FakeAssistant())
        write(config.documents_dir, "shared.md")  # put there by the operator, or by an earlier shared library
        (shared,) = service.library(ALICE)
        assert shared.shared and not service.removable(shared)
        for anyone in (ALICE, None):  # None: a session that never loaded the page
            assert service.remove_documents(["shared.md"], owner=anyone).removed == []
        assert (config.documents_dir / "shared.md").exists()

    def test_an_unreadable_private_file_is_reported_to_its_owner_only(self, config, tmp_path):
        from index.indexer import PrivateSkip
        from ingest.records import SkippedFile

        assistant = FakeAssistant()
        skipped = PrivateSkip(ALICE.key, SkippedFile("secret-plans.md", "over the time budget"))
        assistant.reindex = lambda **kw: IndexSummary(chunks=1, documents=1, private_skipped=[skipped])
        service = service_with(config, assistant)
        mine = service.add_documents([write(tmp_path / "a", "a.md")], owner=ALICE)
        theirs = service.add_documents([write(tmp_path / "b", "b.md", ARTICLE + "别的。\n")], owner=self.BROWSER)
        assert "secret-plans.md: over the time budget" in mine.rejected
        assert not any("secret-plans" in reason for reason in theirs.rejected)


class TestUploadsParseOnlyTheNewFile:
    """A real service over a real index: the parser is wrapped to count its runs, nothing else is faked."""

    def test_each_upload_is_parsed_once_and_nothing_stored_is_parsed_again(self, tmp_path, embedder, monkeypatch):
        parsed = count_parses(monkeypatch)
        config = KzqaConfig(
            corpus_dir=CORPUS_DIR, data_dir=tmp_path / "data", model_cache_dir=TEST_MODEL_CACHE, shared_library=True
        )
        service = AssistantService.start_in_background(config, embedder=embedder)
        assert service.wait_until_started(timeout=600) and service.ready, service.startup_error
        assert sorted(parsed) == sorted(path.name for path in CORPUS_DIR.iterdir())  # the start-up build
        parsed.clear()

        first = service.add_documents([write(tmp_path / "up", "论坛.md")], owner=ALICE)
        second = service.add_documents([write(tmp_path / "up", "纪要.md", ARTICLE + "会议纪要另有一段。\n")], owner=ALICE)
        assert first.added == ["论坛.md"] and second.added == ["纪要.md"] and not second.error
        assert parsed == ["论坛.md", "纪要.md"]  # checked on upload, indexed from that same parse
        answer = next(item for item in service.stream("阿斯塔纳国际论坛原定几月举行？", [], k=5, generator="extractive")
                      if isinstance(item, Answer))  # fmt: skip
        assert "6月" in answer.text and "论坛.md" in {citation.source for citation in answer.citations}
