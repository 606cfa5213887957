"""The shared Assistant behind the UI: friendly errors, one request at a time, document updates."""

from __future__ import annotations

import threading

import pytest

from chat_app.answer import Answer
from chat_app.config import KzqaConfig
from chat_app.ui import service as service_module
from chat_app.ui.service import AssistantService, ServiceError
from index.indexer import IndexBusy, IndexSummary, IndexWriteError
from index.manifest import IndexMissing
from tests.chat_app.ui.fakes import FakeAssistant, FakeAssistantBuildingItsIndex
from tests.conftest import CORPUS_DIR, TEST_MODEL_CACHE
from tests.polling import eventually

ARTICLE = "# 论坛简报\n\n2022年的阿斯塔纳国际论坛原定于6月举行。\n"


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
        config = KzqaConfig(corpus_dir=CORPUS_DIR, data_dir=tmp_path / "data", model_cache_dir=TEST_MODEL_CACHE)
        service = AssistantService.start_in_background(config, embedder=embedder)
        seen = set()
        while not service.wait_until_started(timeout=0.05):
            status = service.startup_status()
            seen.add((status.done, status.total))
        assert service.ready, service.startup_error
        totals = {total for _, total in seen if total}
        assert len(totals) == 1 and totals.pop() > 100  # the five articles' chunks, all new
        assert len({done for done, total in seen if total}) > 1  # progress moved while we watched
        answer = next(item for item in service.stream("俄哈边境线有多长？", [], k=5, generator="extractive")
                      if isinstance(item, Answer))  # fmt: skip
        assert "7" in answer.text and answer.citations


class TestDocuments:
    def test_adds_valid_files_reports_the_rest_and_reindexes_once(self, config, tmp_path):
        assistant = FakeAssistant()
        uploads = [write(tmp_path / "up", "论坛.md"), write(tmp_path / "up", "notes.pdf")]
        update = service_with(config, assistant).add_documents(uploads)
        assert update.added == ["论坛.md"]
        assert len(update.rejected) == 1 and update.rejected[0].startswith("notes.pdf: only .txt")
        assert update.indexed_chunks == 119
        assert assistant.reindexed == 1

    def test_does_not_reindex_when_nothing_was_added(self, config, tmp_path):
        assistant = FakeAssistant()
        update = service_with(config, assistant).add_documents([write(tmp_path / "up", "000_336fa4486c18f44b.txt")])
        assert update.added == [] and update.indexed_chunks is None
        assert assistant.reindexed == 0

    def test_removal_deletes_and_reindexes(self, config, tmp_path):
        assistant = FakeAssistant()
        service = service_with(config, assistant)
        service.add_documents([write(tmp_path / "up", "论坛.md")])
        update = service.remove_documents(["论坛.md"])
        assert update.removed == ["论坛.md"]
        assert service.documents.documents() == []
        assert assistant.reindexed == 2

    def test_questions_do_not_wait_for_an_update_in_progress_with_a_fake_assistant(self, config, tmp_path):
        assistant = FakeAssistant()
        release = threading.Event()
        reindex = assistant.reindex
        assistant.reindex = lambda **kw: release.wait(30) and reindex(**kw)
        service = service_with(config, assistant)
        updating = threading.Thread(target=service.add_documents, args=([write(tmp_path / "up", "论坛.md")],))
        updating.start()
        assert eventually(lambda: service.documents.documents() != [], timeout=10)  # stored, now indexing
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
        threads = [threading.Thread(target=service.add_documents, args=([upload],)) for upload in uploads]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert most[0] == 1 and len(service.documents.documents()) == 3

    def test_a_failed_reindex_keeps_the_file_and_says_so(self, config, tmp_path):
        service = service_with(config, FakeAssistant(reindex_fails_with=IndexBusy("another `kzqa index` is running")))
        update = service.add_documents([write(tmp_path / "up", "论坛.md")])
        assert update.error == "the index is being updated: another `kzqa index` is running"
        assert [d.name for d in service.documents.documents()] == ["论坛.md"]
