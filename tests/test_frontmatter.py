"""Front matter: a +++ TOML block that overrides what the parser infers."""

from __future__ import annotations

import pytest

from generator.errors import DumpError
from generator.frontmatter import split_front_matter


def test_without_front_matter_the_text_is_untouched() -> None:
    split = split_front_matter("Title\n\nBody", path="a.txt")
    assert split.body == "Title\n\nBody"
    assert split.first_line == 1
    assert split.front_matter.title is None


def test_parses_every_field_and_counts_lines() -> None:
    text = (
        '+++\ntitle = "T"\ndate = 2024-05-02\nsource_url = "https://example.org/a"\n'
        'author = "A"\ntags = ["x", "y"]\nlang = "de"\ndraft = true\nslug = "s"\n'
        "archived = 2024-06-01T10:00:00Z\n+++\nBody line"
    )
    split = split_front_matter(text, path="a.txt")
    front = split.front_matter
    assert (front.title, front.date, front.author, front.lang) == ("T", "2024-05-02", "A", "de")
    assert front.tags == ("x", "y")
    assert front.draft is True
    assert front.archived == "2024-06-01T10:00:00+00:00"
    assert split.body == "Body line"
    assert split.first_line == 12


def test_reports_every_bad_field_at_once() -> None:
    with pytest.raises(DumpError) as caught:
        split_front_matter('+++\ntitel = "T"\ntags = "x"\ndate = "soon"\n+++\n', path="a.txt")
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 3
    assert "unknown field 'titel'" in messages[0]
    assert 'did you mean "title"' in messages[0]
    assert "tags: expected an array of strings" in messages[1]
    assert "date: expected a date" in messages[2]


def test_unclosed_block_is_an_error_naming_the_file() -> None:
    with pytest.raises(DumpError, match=r"a\.txt:1: front matter opened with \+\+\+"):
        split_front_matter('+++\ntitle = "T"\n', path="a.txt")


def test_toml_error_points_at_the_file_line() -> None:
    with pytest.raises(DumpError) as caught:
        split_front_matter('+++\ntitle = "T"\ndate = = 3\n+++\n', path="a.txt")
    assert caught.value.problems[0].line == 3
