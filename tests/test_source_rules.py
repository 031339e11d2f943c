"""Per-source drop and keep patterns in config.toml: the user's last word over the parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from generator.errors import ConfigError
from tests.conftest import ARTICLE_EN, SiteMaker

RULES = """search = false
[sources.herald]
drop = ["^What happens next$", "workshop inland"]
keep = ["^Share this article$"]
"""


def page_of(root: Path) -> str:
    return (root / "output" / "herald" / "crane" / "index.html").read_text(encoding="utf-8")


def test_drop_patterns_remove_matching_blocks_with_a_reason(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN}, config=RULES)
    build(load_config(root / "config.toml"))
    page = page_of(root)
    assert "What happens next" not in page
    assert "workshop inland" not in page
    assert "nineteen-fifties" not in page, "the whole matching paragraph goes"
    assert "The crane will not lift cargo again" in page


def test_keep_patterns_put_dropped_lines_back_in_place(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN}, config=RULES)
    build(load_config(root / "config.toml"))
    page = page_of(root)
    assert "Share this article" in page
    assert page.index("The crane will not lift cargo again") < page.index("Share this article")


def test_rules_reach_only_their_own_source(make_site: SiteMaker) -> None:
    root = make_site({"gazette/crane.txt": ARTICLE_EN}, config=RULES)
    build(load_config(root / "config.toml"))
    page = (root / "output" / "gazette" / "crane" / "index.html").read_text(encoding="utf-8")
    assert "What happens next" in page
    assert "Share this article" not in page


def test_bad_patterns_are_config_errors(make_site: SiteMaker) -> None:
    config = '[sources.herald]\ndrop = ["(unclosed"]\nkeep = "not a list"\n'
    root = make_site({}, config=config)
    with pytest.raises(ConfigError) as caught:
        load_config(root / "config.toml")
    messages = [p.message for p in caught.value.problems]
    assert any("'(unclosed' is not a valid regular expression" in m for m in messages)
    assert any("keep: expected an array of regular expressions" in m for m in messages)
