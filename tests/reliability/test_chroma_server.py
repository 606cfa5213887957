"""Scale-out: the vector store on a real Chroma server (`chroma run`, loopback) gives the same top
passages as the embedded store. BM25 and the chunk records stay in the local data dir."""

import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from index.hybrid_retriever import HybridRetriever
from index.indexer import build_index
from tests.support.ports import free_port

QUESTIONS = [
    "俄哈边境线有多长？",
    "集安组织有哪些成员国？",
    "中国在哈萨克斯坦有哪些投资？",
    "Why did Kazakhstan stay neutral?",
]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    path = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2).read()
            break
        except OSError:
            assert server.poll() is None, "chroma run exited"
            assert time.monotonic() < deadline, "chroma server did not start"
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=30)


def test_indexing_into_a_chroma_server_gives_the_same_top_passages(corpus_index, embedder, chroma_url, tmp_path):
    local_settings, _ = corpus_index
    remote_settings = replace(local_settings, data_dir=tmp_path / "data", chroma_url=chroma_url)

    summary = build_index(remote_settings, embedder=embedder)
    assert summary.chunks == summary.embedded > 100

    local = HybridRetriever(local_settings, embedder=embedder)
    remote = HybridRetriever(remote_settings, embedder=embedder)
    for question in QUESTIONS:
        assert [p.chunk_id for p in remote.retrieve(question, k=5)] == [
            p.chunk_id for p in local.retrieve(question, k=5)
        ]
    assert not (remote_settings.data_dir / "chroma").exists()  # vectors live on the server only


def test_reindexing_against_the_server_embeds_nothing_new(corpus_index, embedder, chroma_url, tmp_path):
    local_settings, _ = corpus_index
    settings = replace(local_settings, data_dir=tmp_path / "data", chroma_url=chroma_url)
    build_index(settings, embedder=embedder, rebuild=True)
    again = build_index(settings, embedder=embedder)
    assert again.unchanged and again.embedded == 0
