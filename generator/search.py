"""Full-text search: a Pagefind index of the rendered articles, added to the file list.

Runs after rendering and before publishing: the rendered articles are copied to a
temporary folder, Pagefind indexes it and writes its bundle beside it, and the bundle's
files join the site's file list, so ``output/`` is still replaced in one swap and is
never half-written.

Pagefind searches the index named by the search page's ``<html lang>``; a mixed archive
would otherwise need one search per language. One index is built instead, with
``force_language`` set to the site's interface language (the search page's language), so
one search box finds French, German and English articles alike; words are stemmed by
that one language's rules.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import tempfile
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from generator.errors import Problem

OutputFile = tuple[str, bytes]
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


def pages_to_index(files: Sequence[OutputFile]) -> list[OutputFile]:
    """The pages that mark content for the index (the articles), as rendered."""
    return [(path, data) for path, data in files if path.endswith(".html") and INDEXED_MARK in data]


def copy_pages(pages: Sequence[OutputFile], folder: Path) -> None:
    """Write the pages to index into a scratch folder, at their site paths."""
    for path, data in pages:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


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
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gleanery-search") as pool:
        pool.submit(asyncio.run, job).result()


def indexed_part(html: bytes) -> bytes:
    """The part of a page Pagefind reads: the ``<article>`` (content, title, filters, meta).

    Navigation and footers around it change when other pages come and go; they are not
    indexed, so they must not force a new index.
    """
    start, end = html.find(b"<article"), html.rfind(b"</article>")
    return html[start:end] if 0 <= start < end else html


def fingerprint(pages: Sequence[OutputFile], language: str) -> str:
    """A hash of everything that decides the index: the pages, language and Pagefind version."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('pagefind')}\0{language}\0".encode())
    for path, data in sorted(pages):
        part = indexed_part(data)
        digest.update(f"{path}\0{len(part)}\0".encode() + part)
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
    files: Sequence[OutputFile], language: str, previous: Path | None = None
) -> list[OutputFile]:
    """The Pagefind bundle for the rendered ``files``, plus its fingerprint file."""
    pages = pages_to_index(files)
    stamp = fingerprint(pages, language)
    reused = previous_bundle(previous, stamp)
    if reused is not None:
        return reused
    with tempfile.TemporaryDirectory(prefix="gleanery-search-") as temp:
        pages_folder, bundle = Path(temp) / "pages", Path(temp) / BUNDLE
        copy_pages(pages, pages_folder)
        run_in_own_loop(write_bundle(pages_folder.resolve(), language, bundle.resolve()))
        (bundle / FINGERPRINT.split("/", 1)[1]).write_text(stamp + "\n", encoding="utf-8")
        return read_bundle(bundle)


def with_search(
    files: Sequence[OutputFile], *, enabled: bool, language: str, previous: Path | None = None
) -> tuple[list[OutputFile], list[Problem]]:
    """``files`` plus the search bundle when search is on; a problem when it cannot be built.

    ``previous`` is the current output folder, whose bundle is reused when nothing indexed
    has changed.
    """
    if not enabled:
        return list(files), []
    if not pagefind_available():
        return list(files), [Problem("config.toml", MISSING)]
    try:
        bundle = search_files(files, language, previous)
    except Exception as error:  # the Pagefind service reports failures as bare Exceptions
        message = f"the search index could not be built ({error}); the site has no search"
        return list(files), [Problem("pagefind", message)]
    return sorted([*files, *bundle]), []
