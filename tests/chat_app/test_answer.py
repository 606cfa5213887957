"""Answer.to_dict is complete: from_dict reads it back, directly or through JSON, into an equal Answer."""

import json
from dataclasses import MISSING, fields

import pytest

from chat_app.answer import Answer, Citation, GeneratorKind
from index.passage import Passage

ARTICLE = "article.txt"
UPLOAD = "notes.md"


def passage(source: str, text: str, start: int) -> Passage:
    return Passage(chunk_id=f"{source}#{start}", source=source, title=f"title of {source}", section="section 2",
                   text=text, start=start, end=start + len(text), score=0.0327868852, vector_rank=1, bm25_rank=3,
                   vector_similarity=0.8712345, url="https://example.org/a", published="2022-01-07",
                   publisher="Example Daily")  # fmt: skip


def citation(id: int, source: str, quote: str, start: int, url: str | None) -> Citation:
    return Citation(id=id, source=source, title=f"title of {source}", quote=quote, start=start,
                    end=start + len(quote), url=url, published="2022-01-07", publisher="Example Daily",
                    chunk_id=f"{source}#{start}")  # fmt: skip


@pytest.fixture
def full_answer() -> Answer:
    """Every field set to something other than its default: two sources that disagree, one of them uploaded."""
    return Answer(
        question="how long is it?",
        text="7,644 km [1]; the upload says 6,846 km [2].",
        refused=False,
        citations=[
            citation(1, ARTICLE, "7,644 km", 120, "https://example.org/a"),
            citation(2, UPLOAD, "6,846 km", 40, None),
        ],
        passages=[passage(ARTICLE, "The border is 7,644 km long.", 106), passage(UPLOAD, "It is 6,846 km.", 34)],
        generator=GeneratorKind.LLM,
        notes=["sources disagree: article.txt says 7,644 km, notes.md says 6,846 km"],
        timings_ms={"retrieve": 12.345678, "rank": 3.0000001, "total": 40.123456789},
        standalone_question="how long is the border?",
        related=[citation(3, ARTICLE, "The border is", 106, "https://example.org/a")],
        uploaded_sources=frozenset({UPLOAD}),
    )


def test_the_example_sets_every_field_so_a_field_to_dict_drops_would_be_caught(full_answer):
    for field in fields(Answer):
        default = field.default_factory() if field.default_factory is not MISSING else field.default
        assert getattr(full_answer, field.name) != default, field.name


def test_from_dict_reads_to_dict_back(full_answer):
    assert Answer.from_dict(full_answer.to_dict()) == full_answer


def test_the_round_trip_survives_json(full_answer):
    line = json.dumps(full_answer.to_dict(), ensure_ascii=False)
    assert Answer.from_dict(json.loads(line)) == full_answer


def test_to_dict_keeps_the_documented_uploaded_flags(full_answer):
    data = full_answer.to_dict()
    assert [c["uploaded"] for c in data["citations"]] == [False, True]
    assert [p["uploaded"] for p in data["passages"]] == [False, True]
    assert data["uploaded_sources"] == [UPLOAD] and data["generator"] == "llm"


def test_a_refusal_round_trips(full_answer):
    refusal = Answer(question="q", text="The articles do not say.", refused=True, related=full_answer.related)
    assert Answer.from_dict(json.loads(json.dumps(refusal.to_dict()))) == refusal


@pytest.mark.parametrize(("question", "history"), [
    ("俄罗斯和哈萨克斯坦的边境线到底有多长？", []),  # two articles disagree
    ("那中国在哈萨克斯坦骚乱中做了什么？", [{"role": "user", "content": "哈萨克斯坦为什么没有支持俄罗斯入侵乌克兰？"}]),
])  # fmt: skip
def test_an_answer_from_the_assistant_round_trips_through_json(assistant, question, history):
    answer = assistant.chat(question, history)
    assert answer.citations and answer.passages and answer.standalone_question
    assert Answer.from_dict(json.loads(json.dumps(answer.to_dict(), ensure_ascii=False))) == answer
