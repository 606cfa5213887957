"""Hand-made test cases and answers, and a fake configuration that replays them (no model, no index)."""

from __future__ import annotations

from chat_app.answer import Answer, Citation
from chat_app.evaluation.configs import ConfigName, EvalConfig
from chat_app.evaluation.testset import EvalCase
from index.passage import Passage

GOLD = "gold.txt"
OTHER = "other.txt"
SECOND = "second.txt"
HOSTILE = '<script>alert("x")</script>'  # answer text a report must escape


def case(
    id="t1", *, sources=(GOLD,), keywords=(("2,000", "2000"), ("士兵",)), type="fact", answerable=True, history=(),
    split=None,
):  # fmt: skip
    return EvalCase(id=id, question=f"question {id}?", sources=tuple(sources), answer_keywords=tuple(keywords),
                    type=type, answerable=answerable, history=tuple(history), split=split)  # fmt: skip


UNANSWERABLE = case("u", sources=(), keywords=(), type="unanswerable", answerable=False)


def passage(source: str, text: str = "俄罗斯派出2000名士兵。") -> Passage:
    return Passage(chunk_id=f"{source}:{text[:4]}", source=source, title=source, section="", text=text,
                   start=0, end=len(text), score=1.0)  # fmt: skip


def answer(text="俄罗斯派出约2,000名士兵。[1]", *, cited=(GOLD,), refused=False, notes=(), passages=(GOLD,), ms=10.0):
    citations = [Citation(id=i, source=s, title=s, quote=text, start=0, end=len(text)) for i, s in enumerate(cited, 1)]
    return Answer(question="q", text=text, refused=refused, citations=[] if refused else citations,
                  passages=[passage(s) for s in passages], notes=list(notes), timings_ms={"total": ms})  # fmt: skip


def refusal(ms=5.0) -> Answer:
    return answer("The articles do not contain an answer.", cited=(), refused=True, passages=(OTHER,), ms=ms)


class FakeReplay:
    """Stands in for an Assistant: answers each question with the Answer prepared for it."""

    def __init__(self, answers: dict[str, Answer]):
        self.answers = answers
        self.asked: list[tuple[str, list]] = []

    def __call__(self, question: str, history) -> Answer:
        self.asked.append((question, list(history)))
        return self.answers[question]


def fake_config(name: ConfigName, answers: dict[str, Answer]) -> EvalConfig:
    return EvalConfig(name=name, description=f"fake {name.value}", ask=FakeReplay(answers))
