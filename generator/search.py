"""Full-text search: Pagefind indexes of the staged articles, added to the staged site.

Runs once the site is staged and before it is swapped in: Pagefind reads the staging
folder (only pages marked ``data-pagefind-body``, the articles) and writes its bundles to
a temporary folder, whose files are then staged too, so ``output/`` is still replaced in
one swap and is never half-written.

Pagefind searches the index named by the search page's ``<html lang>``; a mixed archive
would otherwise need one search per language. Its indexes are built instead with
``force_language`` set to the site's interface language (the search page's language), so
one search box finds French, German and English articles alike; words are stemmed by
that one language's rules.

Each source gets a bundle of its own (``pagefind/part-*/``; the articles at the top of
the content folder make one too), which the search page merges in the browser. Pagefind
has no incremental mode: a bundle whose articles are all unchanged is taken from the
current output, and only the others are indexed again, so a build that changes one
article indexes one source, not the archive (1.3 s instead of 14.4 s for 10,000 dumps
in twelve sources).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Coroutine, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from generator.errors import Problem
from generator.model import OutputFile

BUNDLE = "pagefind"
"""Folder of the search bundles inside the site."""
INDEXED_MARK = b"data-pagefind-body"
FINGERPRINT = "gleanery-input.sha256"
"""In each bundle: the hash of what it indexed, so an unchanged bundle is reused rather
than rebuilt."""
MANIFEST = f"{BUNDLE}/gleanery-bundles.json"
"""The bundles' folders (relative to ``pagefind/``), for the search page to merge."""
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")
"""Pagefind's search interface, which the search page loads from ``pagefind/``."""
INTERFACE_PREFIXES = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.")
INTERFACE_FILES = ("pagefind-highlight.js",)
"""What Pagefind writes into every bundle for pages to show results with (about 0.5 MB):
only ``UI_FILES`` are kept, once, at the top."""
LIBRARY_FILES = ("pagefind.js", "pagefind-worker.js")
LIBRARY_PREFIX = "wasm."
"""Pagefind's search library and WebAssembly (about 0.2 MB), the same in every bundle of
one Pagefind version: only the first bundle keeps them. The search page loads them from
there, and the bundles it merges are searched with them."""
MISSING = (
    "search = true but the Python package pagefind is not installed "
    "(pip install 'pagefind[bin]'), so the site was built without a search index; "
    "install it or set search = false"
)


def pagefind_available() -> bool:
    """Whether the pagefind package (and so its binary) can be imported."""
    return importlib.util.find_spec("pagefind") is not None


def source_of(path: str) -> str:
    """The source an article's page belongs to: its first folder ("" for the articles at
    the top of the content folder, whose pages are ``<slug>/index.html``)."""
    folder, _, rest = path.partition("/")
    return folder if "/" in rest else ""


def part_folder(source: str) -> str:
    """The folder of a source's bundle: named by a hash, so any source name is a safe,
    short address that never meets Pagefind's own folders."""
    return f"part-{hashlib.sha256(source.encode('utf-8')).hexdigest()[:12]}"


def part_glob(source: str) -> str:
    """The pages Pagefind looks at for a source's bundle (other pages than articles match
    too, but carry no ``data-pagefind-body`` and are left out)."""
    if not source:
        return "*/index.html"
    escaped = "".join(f"[{char}]" if char in "*?[]{}\\!" else char for char in source)
    return f"{escaped}/*/index.html"


async def write_bundle(pages_folder: Path, glob: str, language: str, bundle: Path) -> None:
    """Index the pages under ``pages_folder`` that ``glob`` matches; write Pagefind's
    bundle into ``bundle``.

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
        await index.add_directory(str(pages_folder), glob=glob)


async def write_bundles(
    pages_folder: Path, language: str, jobs: Sequence[tuple[str, Path]]
) -> None:
    """Write each (glob, bundle) of ``jobs``, as many at once as there are cores (each
    index runs in a Pagefind service process of its own)."""
    import asyncio

    slots = asyncio.Semaphore(os.cpu_count() or 1)

    async def one(glob: str, bundle: Path) -> None:
        async with slots:
            await write_bundle(pages_folder, glob, language, bundle)

    await asyncio.gather(*(one(glob, bundle) for glob, bundle in jobs))


def read_bundle(folder: Path, prefix: str) -> list[OutputFile]:
    """Every file under ``folder``, as site paths under ``prefix``."""
    return sorted(
        (f"{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes())
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
    """A hash of everything that decides a bundle: each indexed page's path and content
    key, the language and Pagefind's version.

    The keys stand for what Pagefind reads (the article), not the navigation around it,
    which changes whenever other pages come and go.
    """
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('pagefind')}\0{language}\0".encode())
    for path, key in sorted(pages):
        digest.update(f"{path}\0{key}\0".encode())
    return digest.hexdigest()


def previous_bundle(previous: Path | None, folder: str, stamp: str) -> list[OutputFile] | None:
    """A bundle of the previous build when it indexed exactly the same pages.

    Pagefind writes its filter files in an arbitrary order, so a rebuilt index differs
    byte for byte; reusing it keeps unchanged builds identical and skips the indexing.
    """
    if previous is None:
        return None
    where = previous / BUNDLE / folder
    try:
        if (where / FINGERPRINT).read_text(encoding="utf-8").strip() != stamp:
            return None
        return read_bundle(where, f"{BUNDLE}/{folder}")
    except OSError:
        return None


def is_interface(name: str) -> bool:
    """Whether a bundle's file is Pagefind's interface, not needed to search the bundle."""
    return name.startswith(INTERFACE_PREFIXES) or name in INTERFACE_FILES


def is_library(name: str) -> bool:
    """Whether a bundle's file is Pagefind's library, kept by the first bundle only."""
    return name in LIBRARY_FILES or name.startswith(LIBRARY_PREFIX)


def search_files(
    folder: Path, pages: Sequence[tuple[str, str]], language: str, previous: Path | None = None
) -> list[OutputFile]:
    """The Pagefind bundles of the site staged in ``folder``, the search interface and the
    list of bundles.

    ``pages`` are the (path, key) of the pages to index, one bundle per source; Pagefind
    finds them itself by their ``data-pagefind-body`` mark and leaves every other page out.
    """
    ordered = sorted(pages, key=lambda page: (source_of(page[0]), page[0]))
    parts = {
        part_folder(source): (source, fingerprint(list(group), language))
        for source, group in groupby(ordered, key=lambda page: source_of(page[0]))
    }
    if not parts:
        return [(MANIFEST, manifest_json([]))]
    first = min(parts)
    reused = {part: previous_bundle(previous, part, stamp) for part, (_, stamp) in parts.items()}
    kept = reused[first]
    if kept is not None and f"{BUNDLE}/{first}/{LIBRARY_FILES[0]}" not in dict(kept):
        reused[first] = None  # it was not the first bundle: indexed again, for the library
    interface = previous_interface(previous)
    if len(interface) < len(UI_FILES) and None not in reused.values():
        reused[first] = None  # indexed again, for the interface its bundle comes with
    stale = sorted(part for part, files in reused.items() if files is None)
    if stale:
        interface = {}  # the fresh bundles' own: what the current output has may be older
    files = [file for bundle in reused.values() if bundle is not None for file in bundle]
    with tempfile.TemporaryDirectory(prefix="gleanery-search-") as temp:
        jobs = [(part_glob(parts[part][0]), Path(temp).resolve() / part) for part in stale]
        if jobs:
            run_in_own_loop(write_bundles(folder.resolve(), language, jobs))
        for part in stale:
            bundle = Path(temp) / part
            (bundle / FINGERPRINT).write_text(parts[part][1] + "\n", encoding="utf-8")
            for path, data in read_bundle(bundle, f"{BUNDLE}/{part}"):
                name = path.removeprefix(f"{BUNDLE}/{part}/")
                if is_interface(name):
                    if name in UI_FILES:
                        interface.setdefault(f"{BUNDLE}/{name}", data)
                elif not is_library(name) or part == first:
                    files.append((path, data))
    if len(interface) < len(UI_FILES):
        raise RuntimeError("Pagefind wrote no search interface")
    files.append((MANIFEST, manifest_json(sorted(parts))))
    return sorted([*files, *interface.items()])


def manifest_json(parts: Sequence[str]) -> bytes:
    """The list of bundles the search page merges, the first one first."""
    return (json.dumps({"bundles": [f"{part}/" for part in parts]}, indent=1) + "\n").encode()


def previous_interface(previous: Path | None) -> dict[str, bytes]:
    """The search interface the current output serves, or nothing (used when every bundle
    is reused, and so comes from the same Pagefind)."""
    if previous is None:
        return {}
    try:
        return {f"{BUNDLE}/{name}": (previous / BUNDLE / name).read_bytes() for name in UI_FILES}
    except OSError:
        return {}


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
