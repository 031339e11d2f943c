"""A build session (serve --watch) reads and renders again only what changed."""

from __future__ import annotations

from generator.build import BuildSession, build
from generator.config import load_config
from tests.conftest import SiteMaker, distinct_article, tree_digest


def test_a_session_rebuild_matches_a_fresh_build_and_renders_less(make_site: SiteMaker) -> None:
    files: dict[str, str | bytes] = {
        f"herald/story-{n}.txt": distinct_article(f"Story {n}", n) for n in range(6)
    }
    root = make_site(files)
    config = load_config(root / "config.toml")
    session = BuildSession()
    build(config, session=session)
    assert session.renders.hits == 0
    assert len(session.reads) == 6
    edited = root / "content" / "herald" / "story-3.txt"
    edited.write_text(distinct_article("Story 3, revised", 3), encoding="utf-8")
    build(config, session=session)
    assert session.renders.hits > 0, "unchanged pages come from the memo"
    assert "Story 3, revised" in (root / "output" / "herald" / "story-3" / "index.html").read_text(
        encoding="utf-8"
    )
    remembered = tree_digest(root / "output")
    build(config, force=True)
    assert tree_digest(root / "output") == remembered


def test_a_theme_or_config_change_empties_the_render_memo(make_site: SiteMaker) -> None:
    root = make_site({"herald/a.txt": distinct_article("Story", 1)})
    session = BuildSession()
    build(load_config(root / "config.toml"), session=session)
    (root / "config.toml").write_text('title = "Renamed"\nsearch = false\n', encoding="utf-8")
    build(load_config(root / "config.toml"), session=session)
    assert session.renders.hits == 0
    assert "Renamed" in (root / "output" / "index.html").read_text(encoding="utf-8")
