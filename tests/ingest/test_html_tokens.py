"""The linear HTML tokenizer: what a browser would see, for the constructs news pages use."""

import pytest

from ingest.parsers.html_tokens import EndTag, StartTag, Text, tokenize


def tokens(html: str) -> list:
    return list(tokenize(html))


class TestTags:
    def test_names_and_attribute_names_are_lower_case_values_unescaped(self):
        assert tokens("<DIV Class=\"a &amp; b\" ID=x data-e2e='ad' hidden>") == [
            StartTag("div", {"class": "a & b", "id": "x", "data-e2e": "ad", "hidden": ""})
        ]

    def test_the_first_of_two_attributes_with_one_name_wins(self):
        assert tokens('<a href="1" HREF="2">') == [StartTag("a", {"href": "1"})]

    def test_self_closing_and_end_tags(self):
        assert tokens("<br/><img src=x /></P >") == [
            StartTag("br", {}, self_closing=True),
            StartTag("img", {"src": "x"}, self_closing=True),
            EndTag("p"),
        ]

    def test_attribute_values_may_hold_angle_brackets(self):
        assert tokens('<meta content="a > b">x') == [StartTag("meta", {"content": "a > b"}), Text("x")]


class TestText:
    def test_character_references_are_replaced(self):
        assert tokens("<p>A&amp;B &lt;哈&gt; &#x54c8;</p>") == [StartTag("p"), Text("A&B <哈> 哈"), EndTag("p")]

    @pytest.mark.parametrize("html", ["a < b", "1 <2", "<", "x<", "< p>", "<哈"])
    def test_a_less_than_sign_that_opens_no_markup_is_text(self, html):
        assert tokens(html) == [Text(html)]

    def test_script_and_style_content_is_raw_text(self):
        assert tokens("<script>if (a<b) x('</p>')</script >after") == [
            StartTag("script"), Text("if (a<b) x('</p>')"), EndTag("script"), Text("after"),
        ]  # fmt: skip

    def test_a_title_is_text_even_if_it_holds_tags(self):
        assert tokens("<title>A &amp; <b>B</b></TITLE>") == [StartTag("title"), Text("A & <b>B</b>"), EndTag("title")]


class TestDropped:
    @pytest.mark.parametrize(
        "markup",
        ["<!-- a > b -->", "<!---->", "<!-->", "<!--->", "<!DOCTYPE html>", "<?xml version='1.0'?>",
         "<![CDATA[ x ]]>", "<![foo[ x ]]>", "</>", "</ 3>"],
    )  # fmt: skip
    def test_comments_declarations_and_bogus_markup_are_dropped(self, markup):
        assert tokens(f"a{markup}b") == [Text("a"), Text("b")]


class TestUnterminated:
    """A construct with no end runs to the end of the input, as in a browser, so the input is never
    rescanned from each one of them."""

    @pytest.mark.parametrize(
        "html",
        ["a<!-- never closed <p>b</p>", "a<div class='never closed>b</div>", "a<div id=x", "a</div",
         "a<!doctype", "a<?php echo"],
    )  # fmt: skip
    def test_runs_to_the_end_of_the_input(self, html):
        assert tokens(html) == [Text("a")]

    def test_a_script_never_closed_takes_the_rest_as_its_text(self):
        assert tokens("<script>var a = '<p>x</p>'") == [
            StartTag("script"), Text("var a = '<p>x</p>'"), EndTag("script"),
        ]  # fmt: skip
