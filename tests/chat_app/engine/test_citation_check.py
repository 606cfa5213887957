"""CitationChecker: no marker without its citation, no citation that is not an exact quote."""

from dataclasses import replace

from chat_app.answer import Citation
from chat_app.engine.citation_check import CitationChecker
from chat_app.engine.records import Draft
from index.passage import Passage

PASSAGE = Passage(chunk_id="c1", source="a.txt", title="t", section="", text="第一句话。第二句话。", start=100,
                  end=110, score=0.0)  # fmt: skip


def cite(id, start, end, chunk="c1"):
    return Citation(id=id, source="a.txt", title="t", quote=PASSAGE.text[start:end], start=100 + start,
                    end=100 + end, chunk_id=chunk)  # fmt: skip


def test_an_exact_quote_passes_unchanged():
    draft = Draft("第一句话。[1]", False, (cite(1, 0, 5),))
    assert CitationChecker().run(draft, [PASSAGE]) == draft


def test_a_marker_with_no_citation_is_removed_and_said_so():
    checked = CitationChecker().run(Draft("第一句话。[1][7]", False, (cite(1, 0, 5),)), [PASSAGE])
    assert checked.text == "第一句话。[1]" and "markers without a citation were removed" in checked.notes


def test_a_quote_that_is_not_in_its_passage_is_dropped_with_its_marker():
    wrong = replace(cite(1, 0, 5), quote="编造的话。")
    checked = CitationChecker().run(Draft("编造的话。[1]", False, (wrong,)), [PASSAGE])
    assert checked.citations == () and checked.text == "编造的话。"
    assert any("does not quote its passage exactly" in note for note in checked.notes)


def test_a_citation_of_a_passage_that_was_not_retrieved_is_dropped():
    checked = CitationChecker().run(Draft("第一句话。[1]", False, (cite(1, 0, 5, chunk="elsewhere"),)), [PASSAGE])
    assert checked.citations == () and "[1]" not in checked.text


def test_an_unused_citation_is_dropped():
    checked = CitationChecker().run(Draft("第一句话。[1]", False, (cite(1, 0, 5), cite(2, 5, 10))), [PASSAGE])
    assert [c.id for c in checked.citations] == [1]
