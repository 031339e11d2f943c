"""Full-text search: a Pagefind index of the staged articles, added to the staged site.

Runs once the site is staged and before it is swapped in: Pagefind reads the staging
folder (only pages marked ``data-pagefind-body``, the articles) and writes its bundle to a
temporary folder, whose files are then staged too, so ``output/`` is still replaced in
one swap and is never half-written.

Pagefind searches the index named by the search page's ``<html lang>``; a mixed archive
would otherwise need one search per language. One index is built instead, with
``force_language`` set to the site's interface language (the search page's language), so
one search box finds French, German and English articles alike; words are stemmed by
that one language's rules.
"""

from __future__ import annotations

import hashlib
import importlib.util
import tempfile
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any

from generator.errors import Problem
from generator.model import OutputFile

BUNDLE = "pagefind"
"""Folder of the search bundle inside the site."""
INDEXED_MARK = b"data-pagefind-body"
FINGERPRINT = f"{BUNDLE}/gleanery-input.sha256"
"""Hash of what was indexed, so an unchanged index is reused rather than rebuilt."""
MISSING = (
    "search = true but the Python package pagefind is not installed "
    "(pip install 'pagefind[bin]'), so the site was built without a search index; "
    "install it or set search = false"
)


def pagefind_available() -> bool:
    """Whether the pagefind package (and so its binary) can be imported."""
    return importlib.util.find_spec("pagefind") is not None


async def write_bundle(pages_folder: Path, language: str, bundle: Path) -> None:
    """Index every page under ``pages_folder``; write Pagefind's bundle into ``bundle``.

    The folder is indexed in one request: the service answers one request per 0.1 s, so
    adding pages one by one would cost a tenth of a second each.
    """
    from pagefind.index import IndexConfig, PagefindIndex

    config: IndexConfig = {
        "force_language": language,
        "keep_index_url": True,
        "output_path": str(bundle),
    }
    async with PagefindIndex(config) as index:  # leaving the block writes the bundle
        await index.add_directory(str(pages_folder))


def read_bundle(folder: Path) -> list[OutputFile]:
    """Every file of the written bundle, as site paths under ``pagefind/``."""
    return sorted(
        (f"{BUNDLE}/{path.relative_to(folder).as_posix()}", path.read_bytes())
        for path in folder.rglob("*")
        if path.is_file()
    )


def run_in_own_loop(job: Coroutine[Any, Any, None]) -> None:
    """Run ``job`` on a fresh event loop in a worker thread, even when a loop is running here."""
    import asyncio  # imported here: a build with search off never loads these
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gleanery-search") as pool:
        pool.submit(asyncio.run, job).result()


def fingerprint(pages: Sequence[tuple[str, str]], language: str) -> str:
    """A hash of everything that decides the index: each indexed page's path and content
    key, the language and Pagefind's version.

    The keys stand for what Pagefind reads (the article), not the navigation around it,
    which changes whenever other pages come and go.
    """
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('pagefind')}\0{language}\0".encode())
    for path, key in sorted(pages):
        digest.update(f"{path}\0{key}\0".encode())
    return digest.hexdigest()


def previous_bundle(previous: Path | None, stamp: str) -> list[OutputFile] | None:
    """The bundle of the previous build when it indexed exactly the same pages.

    Pagefind writes its filter files in an arbitrary order, so a rebuilt index differs
    byte for byte; reusing it keeps unchanged builds identical and skips the indexing.
    """
    if previous is None:
        return None
    try:
        if (previous / FINGERPRINT).read_text(encoding="utf-8").strip() != stamp:
            return None
        return read_bundle(previous / BUNDLE)
    except OSError:
        return None


def search_files(
    folder: Path, pages: Sequence[tuple[str, str]], language: str, previous: Path | None = None
) -> list[OutputFile]:
    """The Pagefind bundle of the site staged in ``folder``, plus its fingerprint file.

    ``pages`` are the (path, key) of the pages to index; Pagefind finds them itself by
    their ``data-pagefind-body`` mark and leaves every other page out.
    """
    stamp = fingerprint(pages, language)
    reused = previous_bundle(previous, stamp)
    if reused is not None:
        return reused
    with tempfile.TemporaryDirectory(prefix="gleanery-search-") as temp:
        bundle = Path(temp) / BUNDLE
        run_in_own_loop(write_bundle(folder.resolve(), language, bundle.resolve()))
        (bundle / FINGERPRINT.split("/", 1)[1]).write_text(stamp + "\n", encoding="utf-8")
        return read_bundle(bundle)


def with_search(
    folder: Path,
    pages: Sequence[tuple[str, str]],
    *,
    enabled: bool,
    language: str,
    previous: Path | None = None,
) -> tuple[list[OutputFile], list[Problem]]:
    """The search bundle's files when search is on; a problem when it cannot be built.

    ``previous`` is the current output folder, whose bundle is reused when nothing indexed
    has changed.
    """
    if not enabled:
        return [], []
    if not pagefind_available():
        return [], [Problem("config.toml", MISSING)]
    try:
        bundle = search_files(folder, pages, language, previous)
    except Exception as error:  # the Pagefind service reports failures as bare Exceptions
        message = f"the search index could not be built ({error}); the site has no search"
        return [], [Problem("pagefind", message)]
    return bundle, []
