"""Render the bytes of one input file to site files in memory, as a build would.

Shared by the hypothesis properties and the atheris harness: decode, front matter, parse
(or Markdown), assemble and render, with the default theme and no disk writes.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from generator.build import site_theme
from generator.config import Config, load_config
from generator.model import OutputFile, SourceFile, SourceKind
from generator.read import ReadSettings, make_document, understand
from generator.render import Renderer
from generator.site import assemble_site
from generator.theme import Theme

ARCHIVED_NS = 1_700_000_000 * 10**9


@lru_cache(maxsize=1)
def site_setup() -> tuple[Config, Theme]:
    """A config with a base URL (so feeds and canonical links appear) and its theme."""
    folder = Path(tempfile.mkdtemp(prefix="gleanery-one-page-"))
    (folder / "config.toml").write_text(
        'title = "One page"\nbase_url = "https://archive.example/"\n', encoding="utf-8"
    )
    config = load_config(folder / "config.toml")
    return config, site_theme(config)


def render_bytes(
    data: bytes, kind: SourceKind = "dump", *, whole_site: bool = True
) -> list[OutputFile]:
    """The site made of this one input (or just its own page); raises DumpError like a build."""
    config, theme = site_setup()
    rel = "herald/input.txt" if kind == "dump" else "input.md"
    understood = understand(data, rel, ReadSettings(kind, None, None))
    source = SourceFile(
        path=str(config.content_dir / rel),
        rel=rel,
        source="herald" if kind == "dump" else "",
        kind=kind,
        mtime_ns=ARCHIVED_NS,
        size=len(data),
    )
    site = assemble_site([make_document(source, understood, config)], config)
    renderer = Renderer(site, config, theme)
    planned = renderer.plan() if whole_site else [*renderer.articles(), *renderer.pages()]
    return [(item.path, item.make()) for item in planned]
