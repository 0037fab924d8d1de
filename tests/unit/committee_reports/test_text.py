"""The narrative's plain text: paragraphs and bullet lists, never markup."""

from __future__ import annotations

from qa_audit.committee_reports.text import Block, blocks


def test_paragraphs_split_by_blank_lines_and_lines_joined() -> None:
    assert blocks("First line\ncontinues.\n\nSecond paragraph.") == [
        Block("p", ("First line continues.",)),
        Block("p", ("Second paragraph.",)),
    ]


def test_lines_starting_with_a_dash_and_space_are_a_bullet_list() -> None:
    text = "Strengths:\n- visits on time\n- the child's voice\nThen more."
    assert blocks(text) == [
        Block("p", ("Strengths:",)),
        Block("ul", ("visits on time", "the child's voice")),
        Block("p", ("Then more.",)),
    ]


def test_a_dash_without_a_space_is_words_not_a_bullet() -> None:
    assert blocks("-5% on last quarter") == [Block("p", ("-5% on last quarter",))]


def test_markup_is_kept_as_plain_words_for_the_template_to_escape() -> None:
    assert blocks("<script>alert(1)</script>\r\n\r\n**bold**") == [
        Block("p", ("<script>alert(1)</script>",)),
        Block("p", ("**bold**",)),
    ]


def test_empty_text_has_no_blocks() -> None:
    assert blocks("") == []
    assert blocks(None) == []
    assert blocks("\n\n  \n") == []
