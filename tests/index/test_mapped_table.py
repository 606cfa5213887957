"""The word-embedding table is given back after each pass only where that cannot change a weight: a
tensor read in place from a file nobody wrote to. Real torch tensors over real file mappings; the
default model's own table with the real model."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from index.mapped_table import mapped_table

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="madvise and /proc are Linux's")


def resident_kb(address: int) -> int:
    """Resident kB of the mapping that holds `address`, from /proc/self/smaps."""
    inside = False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            low, high = (int(x, 16) for x in line.split()[0].split("-"))
            inside = low <= address < high
        elif inside and line.startswith("Rss:"):
            return int(line.split()[1])
    raise AssertionError(f"no mapping holds {address:#x}")


@pytest.fixture
def weights_file(tmp_path) -> Path:
    path = tmp_path / "weights.bin"
    np.arange(4096 * 256, dtype=np.float32).tofile(path)  # 4 MB: many pages
    return path


def test_a_tensor_in_ordinary_memory_is_never_released():
    # madvise would zero anonymous memory: such a tensor must not qualify
    assert mapped_table(torch.ones(1024, 1024)) is None


def test_a_file_mapping_with_a_written_page_is_never_released(weights_file):
    array = np.memmap(weights_file, dtype=np.float32, mode="c", shape=(4096, 256))
    array[7, 7] = -1.0  # a private copy of that page: dropping it would undo the write
    assert mapped_table(torch.from_numpy(array)) is None


def test_a_table_under_one_page_has_nothing_to_release(weights_file):
    array = np.memmap(weights_file, dtype=np.float32, mode="c", shape=(8,))
    assert mapped_table(torch.from_numpy(array)) is None


def test_releasing_a_file_mapping_drops_its_pages_and_keeps_every_value(weights_file):
    array = np.memmap(weights_file, dtype=np.float32, mode="c", shape=(4096, 256))
    tensor = torch.from_numpy(array)
    table = mapped_table(tensor)
    assert table is not None and table.file == str(weights_file)
    expected = np.arange(4096 * 256, dtype=np.float32).reshape(4096, 256)
    assert np.array_equal(tensor.numpy(), expected)  # reads every page
    before = resident_kb(tensor.data_ptr())
    table.release()
    after = resident_kb(tensor.data_ptr())
    assert before >= 3 * 1024 and after < before / 4
    assert np.array_equal(tensor.numpy(), expected)


def test_the_default_model_reads_its_word_table_from_the_model_file(embedder):
    table = embedder.sentence_transformer[0].word_table
    assert table is not None and table.file.endswith("model.safetensors")


def test_encoding_many_texts_leaves_little_of_the_word_table_resident(embedder):
    model = embedder.sentence_transformer
    weights = model[0].auto_model.get_input_embeddings().weight
    table_kb = weights.numel() * weights.element_size() // 1024
    reference = model.encode(["哈萨克斯坦的首都在哪里？"], prompt_name="query")
    torch.sum(weights)  # every page of the table, resident at once
    whole = resident_kb(weights.data_ptr())
    assert whole >= table_kb
    texts = [f"第{i}个问题：哈萨克斯坦、俄罗斯和中国在{i}年签了什么？Kazakhstan question {i}" for i in range(48)]
    model.encode(texts, prompt_name="query", batch_size=16)
    # the encoder's weights (~85 MB) stay; of the 366 MB table only what is being read is mapped
    assert resident_kb(weights.data_ptr()) < whole - table_kb * 3 // 4
    assert np.array_equal(model.encode(["哈萨克斯坦的首都在哪里？"], prompt_name="query"), reference)
