"""record_from_json checks each field's JSON type against the record's annotation, naming the field."""

from dataclasses import dataclass, field

import pytest

from index.typed_json import ShapeError, check_type, record_from_json, records_from_jsonl


@dataclass(frozen=True)
class Sample:
    name: str
    count: int
    share: float = 0.0
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class TestRecordFromJson:
    def test_a_well_formed_object_becomes_the_record(self):
        payload = {"name": "a", "count": 2, "share": 1, "note": None, "tags": ["x"], "counts": {"y": 3}}
        assert record_from_json(Sample, payload, where="f") == Sample("a", 2, 1, None, ["x"], {"y": 3})

    def test_defaults_fill_missing_optional_fields(self):
        assert record_from_json(Sample, {"name": "a", "count": 0}, where="f") == Sample("a", 0)

    @pytest.mark.parametrize(
        ("payload", "message"),
        [
            ({"name": None, "count": 1}, "f: field 'name' should be text, not null"),
            ({"name": "a", "count": "7"}, "f: field 'count' should be a whole number, not text ('7')"),
            ({"name": "a", "count": True}, "field 'count' should be a whole number, not true/false"),
            ({"name": "a", "count": 1.5}, "field 'count' should be a whole number, not a number"),
            ({"name": "a", "count": 1, "note": 3}, "field 'note' should be text or null"),
            ({"name": "a", "count": 1, "tags": ["x", 2]}, "field 'tags' should be a list of texts"),
            ({"name": "a", "count": 1, "counts": {"y": "3"}}, "field 'counts' should be an object of whole numbers"),
            ({"count": 1}, "f: field 'name' is missing"),
            ({"name": "a", "count": 1, "extra": 0}, "f: unexpected field 'extra'"),
        ],
    )
    def test_a_wrong_field_is_named_with_what_it_should_be(self, payload, message):
        with pytest.raises(ShapeError, match=message.replace("(", r"\(").replace(")", r"\)")):
            record_from_json(Sample, payload, where="f")

    @pytest.mark.parametrize("payload", [[], "text", 3, None])
    def test_anything_but_an_object_is_refused(self, payload):
        with pytest.raises(ShapeError, match="f: expected a JSON object"):
            record_from_json(Sample, payload, where="f")


def test_check_type_accepts_nested_shapes_and_refuses_a_bad_leaf():
    check_type({"entries": {"war": ["战争"]}}, dict[str, dict[str, list[str]]], where="lexicon")
    with pytest.raises(ShapeError, match="lexicon should be an object of an object of a list of texts"):
        check_type({"entries": {"war": [1]}}, dict[str, dict[str, list[str]]], where="lexicon")


class TestRecordsFromJsonl:
    """A JSON-lines file of records: blank lines skipped; the first bad line is named with its file."""

    @dataclass(frozen=True)
    class Span:
        start: int
        end: int

    @staticmethod
    def backwards(span) -> str | None:
        return "ends before it starts" if span.end < span.start else None

    def test_every_line_becomes_a_record_and_blank_lines_are_skipped(self, tmp_path):
        path = tmp_path / "spans.jsonl"
        path.write_text('{"start": 0, "end": 2}\n\n{"start": 2, "end": 5}\n', encoding="utf-8")
        assert records_from_jsonl(self.Span, path) == [self.Span(0, 2), self.Span(2, 5)]

    def test_a_line_that_is_not_json_is_named(self, tmp_path):
        path = tmp_path / "spans.jsonl"
        path.write_text('{"start": 0, "end": 2}\n{"start": 2,\n', encoding="utf-8")
        with pytest.raises(ShapeError, match=r"spans\.jsonl line 2: not JSON"):
            records_from_jsonl(self.Span, path)

    def test_a_record_with_a_problem_raises_the_callers_error(self, tmp_path):
        class Damaged(ValueError):
            pass

        path = tmp_path / "spans.jsonl"
        path.write_text('{"start": 0, "end": 2}\n{"start": 5, "end": 1}\n', encoding="utf-8")
        with pytest.raises(Damaged, match=r"spans\.jsonl line 2: ends before it starts"):
            records_from_jsonl(self.Span, path, problem=self.backwards, error=Damaged)

    def test_a_field_of_the_wrong_type_is_a_shape_error(self, tmp_path):
        path = tmp_path / "spans.jsonl"
        path.write_text('{"start": "0", "end": 2}\n', encoding="utf-8")
        with pytest.raises(ShapeError, match=r"line 1: field 'start'"):
            records_from_jsonl(self.Span, path)
