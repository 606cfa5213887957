"""`kzqa index --rebuild` next to a running `kzqa chat`, and rebuilds killed with SIGKILL.

Before: the rebuild dropped the Chroma collection the server was reading, so every question after
it failed (NotFoundError) until a restart; each killed rebuild left a collection behind (five
kills, five collections) and the next rebuild embedded everything again.

Real `kzqa chat` and `kzqa index` subprocesses on a real two-article index; questions go through
the chat's HTTP API, as a browser's would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.collection_registry import CollectionRegistry, CollectionState
from index.manifest import read_manifest
from index.vector_store import open_client
from tests.support.kzqa_process import SmallIndex, kzqa_command, small_index_env
from tests.support.paths import VOA
from tests.support.polling import eventually
from tests.support.ports import free_port

os.environ["HF_HUB_OFFLINE"] = "1"  # gradio_client would otherwise contact the model hub

VOA_QUESTION = "集安组织有哪些成员国？"  # answered from VOA while VOA is indexed
QUESTIONS = ("哈萨克斯坦骚乱的起因是什么？", "俄罗斯向哈萨克斯坦派了多少士兵？", VOA_QUESTION)


class Process:
    """A kzqa subprocess whose output lines are collected as they come."""

    def __init__(self, index: SmallIndex, *args: str):
        self.popen = subprocess.Popen(
            [kzqa_command(), *args], env=small_index_env(index), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(self.popen.stdout), daemon=True).start()

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    @property
    def output(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True)
class ChatServer:
    url: str
    process: Process


@pytest.fixture
def chat_server(small_index_copy):
    port = free_port()
    server = Process(small_index_copy, "chat", "--port", str(port))
    try:
        assert eventually(lambda: server.said("kzqa is ready to answer") or server.popen.poll() is not None, 600)
        assert server.said("kzqa is ready to answer"), server.output
        yield ChatServer(f"http://127.0.0.1:{port}/", server)
    finally:
        server.popen.terminate()
        server.popen.wait(timeout=60)


def reply(server: ChatServer, question: str) -> str:
    """The answer as the chat shows it, from a fresh session (no history carried between questions)."""
    from gradio_client import Client

    messages, _ = Client(server.url, verbose=False).predict(question, 5, "extractive", api_name="/ask")
    content = messages[-1]["content"]
    return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)


def collections(data_dir: Path) -> set[str]:
    return {collection.name for collection in open_client(data_dir).list_collections()}


def builds(data_dir: Path) -> set[str]:
    return {path.name for path in (data_dir / "builds").iterdir()}


def test_a_rebuild_never_breaks_a_running_chat_and_is_picked_up_when_done(chat_server, small_index_copy):
    data_dir = small_index_copy.data_dir
    old = read_manifest(data_dir)
    before = reply(chat_server, VOA_QUESTION)
    assert "kz-error" not in before and VOA in before

    (small_index_copy.corpus_dir / VOA).unlink()  # the new build leaves VOA out: visible once it is served
    rebuild = Process(small_index_copy, "index", "--rebuild")
    during: list[tuple[bool, str]] = []  # (the rebuild was filling its new collection, the reply)
    while rebuild.popen.poll() is None:
        filling = rebuild.said("embedding")
        during.append((filling, reply(chat_server, QUESTIONS[len(during) % len(QUESTIONS)])))
    assert rebuild.popen.wait() == 0, rebuild.output

    assert any(filling for filling, _ in during), "no question was answered while the rebuild ran"
    assert [answer for _, answer in during if "kz-error" in answer] == []

    after = reply(chat_server, VOA_QUESTION)
    assert "kz-error" not in after and VOA not in after  # the new build is served
    new = read_manifest(data_dir)
    assert new.collection != old.collection
    assert eventually(lambda: chat_server.process.said(f"now answering from index build {new.build_id}"), 30)
    # The server has let go of the old build, so it is gone: no leftovers.
    assert collections(data_dir) == {new.collection}
    assert builds(data_dir) == {new.build_id}
    leases = [json.loads(path.read_text()) for path in (data_dir / "readers").glob("*.json")]
    assert [lease["build_id"] for lease in leases] == [new.build_id]  # the server's own lease moved on


def _batches(data_dir: Path) -> int:
    return len(list(data_dir.glob("pending/*/batch-*.npz")))


def _kill_rebuild_after_batches(index: SmallIndex, saved: int) -> Process:
    """Start `kzqa index --rebuild` and SIGKILL it once `saved` sentence batches are on disk."""
    rebuild = Process(index, "index", "--rebuild")
    assert eventually(lambda: _batches(index.data_dir) >= saved or rebuild.popen.poll() is not None, 600)
    assert rebuild.popen.poll() is None, f"the rebuild ended before it could be killed:\n{rebuild.output}"
    rebuild.popen.kill()
    rebuild.popen.wait(timeout=60)
    return rebuild


def test_killed_rebuilds_leave_one_collection_and_the_next_rebuild_resumes_it(small_index_copy):
    data_dir = small_index_copy.data_dir
    served = read_manifest(data_dir)
    sentences = len((served.build_dir(data_dir) / "sentences.jsonl").read_text(encoding="utf-8").splitlines())

    first = _kill_rebuild_after_batches(small_index_copy, saved=1)
    second = _kill_rebuild_after_batches(small_index_copy, saved=2)
    assert not first.said("resuming") and second.said("resuming the interrupted build")
    assert read_manifest(data_dir) == served  # the killed runs never switched the index
    leftovers = collections(data_dir) - {served.collection}
    assert len(leftovers) == 1  # two kills, one unfinished collection: the second run filled the first's

    finished = Process(small_index_copy, "index", "--rebuild")
    assert finished.popen.wait(timeout=900) == 0, finished.output
    said = " ".join(finished.output.split())
    assert "resuming the interrupted build" in said
    assert "embedded 0," in said  # every chunk vector came from the killed runs
    embedding = re.search(r"embedding (\d+) new sentences", said)
    embedded = int(embedding.group(1)) if embedding else 0
    assert embedded < sentences  # the saved sentence batches were reused too

    rebuilt = read_manifest(data_dir)
    assert {rebuilt.collection} == leftovers == collections(data_dir)  # the old one dropped, nothing left over
    assert builds(data_dir) == {rebuilt.build_id}
    assert not (data_dir / "pending").exists()
    assert [(c.name, c.state) for c in CollectionRegistry(data_dir).all()] == [
        (rebuilt.collection, CollectionState.BUILT)
    ]
