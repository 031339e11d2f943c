"""How the Markdown twin escapes text so that Markdown shows it as written."""

from __future__ import annotations

import pytest

from generator.twins import md_escape


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# not a heading", "\\# not a heading"),
        (
            "first line\n> not a quote\n- not an item",
            "first line\n\\> not a quote\n\\- not an item",
        ),
        (
            "one\n  12. not a numbered item\n3) nor this",
            "one\n  \\12. not a numbered item\n\\3) nor this",
        ),
        ("a\n\n\t= not a rule", "a\n\n\t\\= not a rule"),
        ("a - b = c + 1. d", "a - b = c + 1. d"),  # only at the start of a line
        ("*x* _y_ `z` [l](u) <b> a|b \\", "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\<b\\> a\\|b \\\\"),
    ],
)
def test_markup_characters_are_escaped_on_every_line(text: str, expected: str) -> None:
    assert md_escape(text) == expected
