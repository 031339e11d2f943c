"""Shared fixtures: temporary sites built from small hand-written files."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_ARGS, require_browser

REPO = Path(__file__).resolve().parent.parent
FIXED_MTIME = 1_700_000_000  # 2023-11-14, so "archived" dates never depend on the clock

SiteMaker = Callable[..., Path]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session (a second Playwright would clash)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page (own context: no shared storage between tests)."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def write_site(root: Path, files: dict[str, str | bytes], config: str | None = None) -> Path:
    """Create a site folder with ``config.toml`` and the given content files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(
        config if config is not None else 'title = "Test archive"\nper_page = 3\nsearch = false\n',
        encoding="utf-8",
    )
    for rel, data in files.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    (root / "content").mkdir(exist_ok=True)
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> SiteMaker:
    """A factory for temporary sites: ``make_site({"src/a.txt": "..."})``."""

    def make(files: dict[str, str | bytes], config: str | None = None, name: str = "site") -> Path:
        return write_site(tmp_path / name, files, config)

    return make


def tree_digest(path: Path) -> str:
    """A hash of every relative path and its bytes under ``path`` ('' when it is absent)."""
    if not path.exists():
        return ""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


ARTICLE_EN = """Skip to content
Home
News
Sport

Harbour crane returns after two years of repairs

By Mara Quill
March 4, 2025

The old harbour crane, a landmark since the nineteen-fifties, was lowered back onto its rails on Tuesday morning after two years in a workshop inland, watched by a crowd of former dockers.

Engineers replaced the rusted slewing ring and most of the wiring, and the city paid for a new coat of the original green paint that residents had asked for in a public vote.

What happens next

The crane will not lift cargo again. It will open to visitors in the summer, with a small exhibition about the port's working life inside the machine house.

Share this article
Facebook Twitter Email

3 comments

Jon Reeve
March 5, 2025
Lovely to see it back where it belongs.

Ada Pell
March 5, 2025
My grandfather drove that crane for thirty years.

Comments are closed.

© 2025 The Example Herald
"""

ARTICLE_FR = """Aller au contenu

Le marché couvert rouvre ses portes après un an de travaux

Par Claire Moreau
12 février 2024

Les commerçants du marché couvert ont retrouvé leurs étals mardi matin, après une année de travaux qui a permis de refaire la toiture et d'isoler la halle.

La mairie promet une facture d'énergie divisée par deux et des allées plus larges pour les poussettes et les fauteuils roulants.

Abonnez-vous à notre newsletter pour ne rien manquer.

2 commentaires

Luc
Enfin ! Le samedi matin n'était plus le même sans la halle.

Luc
Enfin ! Le samedi matin n'était plus le même sans la halle.

Les commentaires sont fermés.
"""


PLACES = ("harbour", "market", "library", "bridge", "station", "orchard", "museum", "school")
DEEDS = ("reopened", "was repainted", "won a prize", "flooded", "got a new roof", "closed early")


def distinct_article(title: str, number: int) -> str:
    """A small dump whose body shares no sentence with another number's."""
    sentences = [
        f"The {PLACES[(number + k) % len(PLACES)]} {DEEDS[(number * 3 + k) % len(DEEDS)]} "
        f"on day {number * 10 + k} of the survey, said resident number {number * 7 + k}."
        for k in range(6)
    ]
    return f"Skip to content\n\n{title}\n\n" + "\n\n".join(sentences) + "\n"
