"""Run every hand-written dump in tests/parser_cases against its expectations."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from generator.dump import parse_dump
from generator.model import Article

CASES = Path(__file__).parent / "parser_cases"
CASE_NAMES = sorted(path.stem for path in CASES.glob("*.toml"))


def _load(name: str) -> tuple[Article, dict[str, Any]]:
    """The parsed dump and the expectations of one case."""
    text = (CASES / f"{name}.txt").read_text(encoding="utf-8")
    expected = tomllib.loads((CASES / f"{name}.toml").read_text(encoding="utf-8"))
    return parse_dump(text), expected


def _check_meta(article: Article, expected: dict[str, Any]) -> None:
    """Title, language, byline and date."""
    if "title" in expected:
        assert article.title == expected["title"]
    if expected.get("title_none"):
        assert article.title is None
    for key in ("lang", "author", "date", "site_name"):
        if key in expected:
            assert getattr(article, key) == expected[key], key


def _check_body(article: Article, expected: dict[str, Any]) -> None:
    """What the body holds and what it must not."""
    body = article.body_text()
    comments = "\n".join(comment.text for comment in article.comments)
    for phrase in expected.get("body_contains", []):
        assert phrase in body, phrase
    for phrase in expected.get("body_excludes", []):
        assert phrase not in body, phrase
    for phrase in expected.get("nowhere", []):
        assert phrase not in body, phrase
        assert phrase not in comments, phrase
    if "body_starts" in expected:
        assert article.blocks[0].text.startswith(expected["body_starts"])
    if "body_ends" in expected:
        assert article.blocks[-1].text.endswith(expected["body_ends"])
    if "headings" in expected:
        headings = [block.text for block in article.blocks if block.kind == "heading"]
        assert headings == expected["headings"]
    if "lists" in expected:
        assert sum(block.kind == "list" for block in article.blocks) == expected["lists"]


def _check_comments(article: Article, expected: dict[str, Any]) -> None:
    """Number, content and authors of the comments."""
    if "comments" in expected:
        assert len(article.comments) == expected["comments"]
    for phrase in expected.get("comments_contain", []):
        assert any(phrase in comment.text for comment in article.comments), phrase
    if "comment_authors" in expected:
        assert [comment.author for comment in article.comments] == expected["comment_authors"]


def _check_dropped(article: Article, expected: dict[str, Any]) -> None:
    """Lines that must be dropped, each for its named reason."""
    reasons = {line.text: line.reason for line in article.dropped}
    for text, reason in expected.get("dropped", {}).items():
        assert reasons.get(text) == reason, text


@pytest.mark.parametrize("name", CASE_NAMES)
def test_parser_case(name: str) -> None:
    """The parser finds in each hand-written dump what its .toml says."""
    article, expected = _load(name)
    _check_meta(article, expected)
    _check_body(article, expected)
    _check_comments(article, expected)
    _check_dropped(article, expected)


def test_there_are_cases_in_several_languages() -> None:
    """The case folder covers at least the main languages the parser claims."""
    langs = {_load(name)[1].get("lang") for name in CASE_NAMES}
    assert {"en", "fr", "de", "es"} <= langs
