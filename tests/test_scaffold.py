"""``gleanery theme new``: the created theme builds as is and refuses bad names."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from generator.errors import ConfigError
from generator.scaffold import new_theme
from tests.conftest import ARTICLE_EN, SiteMaker


def site_with_theme(make_site: SiteMaker, theme: str) -> Path:
    """A one-article site whose config names ``theme``."""
    config = f'title = "Test archive"\nsearch = false\ntheme = "{theme}"\n'
    return make_site({"harbour/crane.txt": ARTICLE_EN}, config)


def test_creates_a_commented_toml_an_example_override_and_a_stylesheet(tmp_path: Path) -> None:
    created = new_theme(tmp_path / "themes", "paper")
    folder = tmp_path / "themes" / "paper"
    assert created == [
        folder / "theme.toml",
        folder / "templates" / "base.html",
        folder / "templates" / "article.html",
        folder / "static" / "paper.css",
    ]
    toml = (folder / "theme.toml").read_text(encoding="utf-8")
    assert tomllib.loads(toml) == {
        "name": "paper",
        "description": "My own look for the archive.",
        "parent": "default",
        "options": {},
    }
    assert "#" in toml
    article = (folder / "templates" / "article.html").read_text(encoding="utf-8")
    assert '{% extends "default:article.html" %}' in article
    assert "{{ super() }}" in article
    assert "--link" in (folder / "static" / "paper.css").read_text(encoding="utf-8")


def test_new_theme_builds_as_is_and_links_its_stylesheet(make_site: SiteMaker) -> None:
    root = site_with_theme(make_site, "paper")
    new_theme(root / "themes", "paper")
    report = build(load_config(root / "config.toml"))
    assert not report.failed
    home = (root / "output" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="static/paper\.[0-9a-f]{8}\.css"', home)
    assert re.search(r'href="static/style\.[0-9a-f]{8}\.css"', home)
    article = next((root / "output" / "harbour").glob("*/index.html")).read_text("utf-8")
    assert "Harbour crane returns" in article


def test_theme_on_broadsheet_keeps_the_parent_stylesheet(make_site: SiteMaker) -> None:
    root = site_with_theme(make_site, "ink")
    new_theme(root / "themes", "ink", parent="broadsheet")
    report = build(load_config(root / "config.toml"))
    assert not report.failed
    home = (root / "output" / "index.html").read_text(encoding="utf-8")
    assert "broadsheet." in home and "ink." in home
    assert home.index("broadsheet.") < home.index("ink.")


def test_refuses_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "themes" / "paper").mkdir(parents=True)
    with pytest.raises(ConfigError, match="already exists"):
        new_theme(tmp_path / "themes", "paper")
    assert list((tmp_path / "themes" / "paper").iterdir()) == []


@pytest.mark.parametrize("name", ["", "Paper", "my theme", "../up", ".hidden", "a/b", "-x"])
def test_refuses_an_invalid_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match="invalid theme name"):
        new_theme(tmp_path / "themes", name)
    assert not (tmp_path / "themes").exists()


def test_refuses_the_name_of_a_built_in_theme(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="built-in theme"):
        new_theme(tmp_path / "themes", "broadsheet")


def test_refuses_an_unknown_parent_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r'parent theme .*not found.*did you mean "broadsheet"'):
        new_theme(tmp_path / "themes", "paper", parent="broadshet")
    assert not (tmp_path / "themes" / "paper").exists()


def test_a_new_theme_can_be_the_parent_of_the_next(tmp_path: Path) -> None:
    new_theme(tmp_path / "themes", "paper")
    new_theme(tmp_path / "themes", "paper-dark", parent="paper")
    toml = (tmp_path / "themes" / "paper-dark" / "theme.toml").read_text(encoding="utf-8")
    assert tomllib.loads(toml)["parent"] == "paper"
    assert sorted(p.name for p in (tmp_path / "themes").iterdir()) == ["paper", "paper-dark"]
