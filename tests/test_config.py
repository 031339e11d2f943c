"""Configuration: every problem at once, with the file, the key, what was expected and found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.config import KEYS, load_config
from generator.errors import ConfigError
from tests.conftest import REPO, SiteMaker


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(root / "config.toml")
    return [str(p) for p in caught.value.problems]


def test_reports_typo_wrong_type_and_missing_theme_together(make_site: SiteMaker) -> None:
    root = make_site({}, config='titel = "x"\nper_page = "ten"\ntheme = "noir"\n')
    problems = problems_of(root)
    assert len(problems) == 3
    assert 'titel: unknown key (did you mean "title"?)' in problems[0]
    assert "per_page: expected integer, found string 'ten'" in problems[1]
    assert 'no theme named "noir"' in problems[2]
    assert all(p.startswith(str(root / "config.toml")) for p in problems)


def test_problems_carry_the_line_of_the_key(make_site: SiteMaker) -> None:
    root = make_site({}, config='title = "x"\n\nper_page = 0\n')
    assert problems_of(root) == [
        f"{root / 'config.toml'}:3: per_page: expected a whole number of at least 1, found 0"
    ]


def test_toml_syntax_error_names_the_line(make_site: SiteMaker) -> None:
    root = make_site({}, config='title = "x"\nper_page = = 3\n')
    [problem] = problems_of(root)
    assert problem.startswith(f"{root / 'config.toml'}:2: invalid TOML")


def test_checks_nested_tables(make_site: SiteMaker) -> None:
    config = '[encoding_overrides]\n"a*.txt" = "klingon"\n[sources.blog]\ntitel = "B"\n'
    problems = problems_of(make_site({}, config=config))
    assert any("encoding_overrides" in p and "klingon" in p for p in problems)
    assert any('sources."blog".titel: unknown key (did you mean "title"?)' in p for p in problems)


def test_defaults_and_normalised_values(make_site: SiteMaker) -> None:
    root = make_site({}, config='base_url = "https://example.org/archive"\n')
    config = load_config(root / "config.toml")
    assert config.base_url == "https://example.org/archive/"
    assert config.output_dir == root / "output"
    assert config.per_page == 20
    assert config.source_title("the-harbour-gazette") == "The Harbour Gazette"


def test_rejects_base_url_without_scheme(make_site: SiteMaker) -> None:
    [problem] = problems_of(make_site({}, config='base_url = "example.org"\n'))
    assert "base_url: expected an absolute http(s) URL" in problem


def test_every_key_is_documented_with_its_default() -> None:
    doc = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for key in KEYS:
        row = re.search(rf"^\| `{key.name}` \|(.+)$", doc, re.MULTILINE)
        assert row, f"docs/configuration.md has no row for {key.name}"


def test_the_repository_config_is_valid() -> None:
    config = load_config(REPO / "config.toml")
    assert config.content_dir == REPO / "content"
