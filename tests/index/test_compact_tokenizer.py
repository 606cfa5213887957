"""The compact tokenizer gives the ids of the model's own fast tokenizer (tokenizer.json, as sentence-transformers
loads it): on every article, line and sentence of the corpus, every question and history turn of the question
set, and the edge cases where the two could part (special tokens in the text, normalization, equal-scoring
splits, unknown characters, truncation)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from index.compact_tokenizer import FORMAT_VERSION, PIPELINE_FILE, CompactTokenizer
from index.compact_tokenizer_build import compact_tokenizer_dir_for
from index.model_rebuild import default_model_dir
from tests.support.paths import CORPUS_DIR, DEV_SET

MAX_LENGTH = 512  # the model's max_seq_length: what sentence-transformers truncates to

EDGE_CASES = {
    "empty": "",
    "a space": " ",
    "whitespace only": " \t\n\r\u3000\u00a0 ",
    "leading, repeated and trailing spaces": "  a  b   c  ",
    "emoji": "😀 👍🏽 🇰🇿 👨‍👩‍👧 ❤️",
    "full-width forms": "ＡＢＣ１２３！？（）［］～ｱｲｳ",
    "compatibility forms": "ﬁ ① ㍿ ™ ½ ²",
    "combining marks": "e\u0301 a\u0300 \u1100\u1161",  # NFKC composes them
    "mixed scripts": "哈萨克斯坦 Kazakhstan Казахстан Қазақстан قازاقستان カザフスタン 카자흐스탄",
    "control characters": "a\x00b\x01c\x1fd\x7fe\x85f\x9fg",
    "zero-width and bidi marks": "a\u200bb\u200cc\u200dd\u200ee\u200ff\ufeffg\u2028h\u2029i",
    "replacement character": "\ufffd",
    "the metaspace character": "\u2581 \u2581\u2581a\u2581",
    "special tokens in the text": "<s>a</s><pad> b <unk>c<mask>",
    "special tokens glued together": "<s></s><s><<s>>",
    "a special token cut short": "<s <mask",
    "full-width special tokens": "＜s＞ ＜unk＞ ＜mask＞",  # NFKC makes them look special after the split
    "the normalizer's shield character": "\ufdd0 ～ 〜",
    "equal-scoring splits of a run": "x" * 300,
    "a run of one Chinese character": "哈" * 200,
    "a run of punctuation": "……" * 40 + "-" * 60 + "." * 30,
    "unknown characters": "\U00020000\U0001d11e\U000e0041\U000e0042 ꙮ",
    "numbers and a URL": "1,234.56 2022年1—5月 https://example.org/a?b=c",
    "the query prefix alone": "query: ",
    "a text longer than the model reads": "哈萨克斯坦与俄罗斯的关系。" * 120,
}


def corpus_texts() -> list[str]:
    """Each article whole, each of its lines, and each sentence."""
    texts: list[str] = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        article = path.read_text(encoding="utf-8")
        texts += [article, *article.splitlines()]
        texts += [s for s in re.split(r"(?<=[。！？!?；;])|(?<=\. )", article) if s.strip()]
    return texts


def question_texts() -> list[str]:
    """Each question and history turn of the question set, alone and as the model reads it (with its prefix)."""
    texts: list[str] = []
    for line in DEV_SET.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        # A history turn is a user question (a string) or a {role, content} object (an assistant reply too).
        turns = [turn if isinstance(turn, str) else turn["content"] for turn in case.get("history", [])]
        texts += [case["question"], *turns]
    return texts + ["query: " + text for text in texts]


@pytest.fixture(scope="module")
def fast(reference_embedding):
    """transformers' fast tokenizer over tokenizer.json, as sentence-transformers' Transformer module loaded it."""
    return reference_embedding._model[0].tokenizer


@pytest.fixture(scope="module")
def compact(embedder) -> CompactTokenizer:
    tokenizer = embedder.sentence_transformer[0].tokenizer
    assert isinstance(tokenizer, CompactTokenizer)
    return tokenizer


def mismatches(fast, compact, texts: list[str]) -> list[str]:
    expected = fast(texts, add_special_tokens=False)["input_ids"]
    return [text for text, ids in zip(texts, expected, strict=True) if compact.ids(text) != ids]


class TestSameIdsAsTheFastTokenizer:
    def test_on_every_article_line_and_sentence_of_the_corpus(self, fast, compact):
        texts = corpus_texts()
        assert len(texts) > 1000
        assert mismatches(fast, compact, texts) == []

    def test_on_every_question_and_history_turn_with_and_without_the_query_prefix(self, fast, compact):
        texts = question_texts()
        assert len(texts) > 1500
        assert mismatches(fast, compact, texts) == []

    @pytest.mark.parametrize("text", EDGE_CASES.values(), ids=EDGE_CASES.keys())
    def test_on_an_edge_case(self, fast, compact, text):
        assert compact.ids(text) == fast(text, add_special_tokens=False)["input_ids"]

    def test_unknown_characters_in_a_row_become_one_unknown_token(self, compact):
        unk = compact.special_ids.unk
        assert compact.ids("\U000e0041\U000e0042\U000e0043").count(unk) == 1


class TestBatchesAsSentenceTransformersAsksForThem:
    """sentence-transformers calls the tokenizer with padding=True, truncation="longest_first" and the model's length."""

    def test_padded_truncated_and_marked_like_the_fast_tokenizers(self, fast, compact):
        texts = ["query: " + text for text in EDGE_CASES.values()]
        expected = fast(texts, padding=True, truncation="longest_first", max_length=MAX_LENGTH)
        actual = compact.batch(texts, max_length=MAX_LENGTH)
        assert sorted(actual) == sorted(expected.keys()) == ["attention_mask", "input_ids"]
        assert actual["input_ids"] == expected["input_ids"]
        assert actual["attention_mask"] == expected["attention_mask"]

    def test_a_long_text_is_cut_to_the_models_length_and_keeps_its_end_marker(self, compact):
        (row,) = compact.batch([EDGE_CASES["a text longer than the model reads"]], max_length=MAX_LENGTH)["input_ids"]
        assert len(row) == MAX_LENGTH
        assert (row[0], row[-1]) == (compact.special_ids.bos, compact.special_ids.eos)

    def test_a_batch_of_one_short_text_has_no_padding(self, compact):
        batch = compact.batch(["query: 边境"], max_length=MAX_LENGTH)
        assert batch["attention_mask"] == [[1] * len(batch["input_ids"][0])]


class TestLoading:
    def test_it_holds_the_whole_vocabulary(self, fast, compact):
        assert len(compact) == fast.backend_tokenizer.get_vocab_size() == 250_002

    def test_a_folder_of_another_format_is_refused(self, compact, base_index_settings, tmp_path):
        folder = tmp_path / "tokenizer"
        shutil.copytree(compact_tokenizer_dir_for(default_model_dir(base_index_settings.model_cache_dir)), folder)
        pipeline = json.loads((folder / PIPELINE_FILE).read_text(encoding="utf-8"))
        (folder / PIPELINE_FILE).write_text(json.dumps(pipeline | {"format": FORMAT_VERSION + 1}), encoding="utf-8")
        with pytest.raises(ValueError, match=rf"has format {FORMAT_VERSION + 1}, not {FORMAT_VERSION}"):
            CompactTokenizer.load(folder)
