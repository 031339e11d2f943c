"""Full-text search: Pagefind indexes of the staged articles, added to the staged site.

Runs once the site is staged and before it is swapped in: Pagefind reads the staged
articles (through links to them: ``write_bundle``) and writes its bundles to a temporary
folder (in memory when there is room: ``scratch_folder``), whose files are then staged
too, so ``output/`` is still replaced in one swap and is never half-written.

Pagefind searches the index named by the search page's ``<html lang>``; a mixed archive
would otherwise need one search per language. Its indexes are built instead with
``force_language`` set to the site's interface language (the search page's language), so
one search box finds French, German and English articles alike; words are stemmed by
that one language's rules.

The index is split into bundles (``pagefind/part-*/``), each holding the articles whose
path hashes to it, which the search page merges in the browser. Pagefind has no
incremental mode: a bundle whose articles are all unchanged is kept from the current
output, and only the others are indexed again, so a build that changes one article
indexes a few hundred, not the archive (643 articles in 1.2-2.0 s instead of 10,000 in
16 s).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from generator.errors import Problem
from generator.model import OutputFile

BUNDLE = "pagefind"
"""Folder of the search bundles inside the site."""
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
MIN_PART_PAGES = 500
"""Archives up to this many articles have one bundle (indexing them takes about 1 s)."""
MEMORY_FOLDER = Path("/dev/shm")
"""A folder held in memory (Linux's), where Pagefind writes its bundles when it has room:
a bundle of about 830 pages is some 900 files, and on this project's disk creating them
took 1.0-1.1 s of Pagefind's run, against 0.6 s here."""
SCRATCH_PREFIX = "gleanery-search-"
"""The name of Pagefind's scratch folders begins so."""
SCRATCH_HOURS = 6
"""A scratch folder in memory untouched this long was left by a build that was killed."""
BYTES_A_PAGE = 16 * 1024
"""Room asked for each page indexed: Pagefind wrote 5.9 KB a page, counted in whole 4 KB
blocks (4.9 MB for 834 articles)."""
MISSING = (
    "search = true but the Python package pagefind is not installed "
    "(pip install 'pagefind[bin]'), so the site was built without a search index; "
    "install it or set search = false"
)


def pagefind_available() -> bool:
    """Whether the pagefind package (and so its binary) can be imported."""
    return importlib.util.find_spec("pagefind") is not None


def bundle_count(pages: int) -> int:
    """How many bundles an archive of this many articles is split into: a power of two,
    for bundles of at most ``8 * sqrt(pages)`` articles (and ``MIN_PART_PAGES``).

    Editing one article indexes its bundle again, and a first search fetches a little of
    every bundle. At 10,000 articles, 16 bundles of about 625: an edit indexes one in
    about 0.8 s written in memory, 1.2-2.0 s on disk (16 s for the whole archive), and a
    first search makes 107 requests for 800 KB (17 for 510 KB with one bundle, 203 for
    1.2 MB with 32; served locally).
    """
    target = max(MIN_PART_PAGES, 8 * math.isqrt(pages))
    count = 1
    while pages > target * count:
        count *= 2
    return count


def bucket_of(path: str, count: int) -> int:
    """Which of ``count`` bundles a page goes to: by a hash of its path, so a page stays in
    its bundle while the archive keeps its number of bundles."""
    return int(hashlib.sha256(path.encode("utf-8")).hexdigest()[:8], 16) % count


def parts_of(pages: Sequence[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """The (path, key) of the pages of each bundle, sorted, by the bundle's folder (named
    by a hash of the split, so a folder never meets Pagefind's own)."""
    count = bundle_count(len(pages))
    buckets: list[list[tuple[str, str]]] = [[] for _ in range(count)]
    for page in sorted(pages):
        buckets[bucket_of(page[0], count)].append(page)
    return {part_folder(count, number): bucket for number, bucket in enumerate(buckets) if bucket}


def part_folder(count: int, number: int) -> str:
    """The folder of bundle ``number`` of ``count``."""
    return f"part-{hashlib.sha256(f'{count}/{number}'.encode()).hexdigest()[:12]}"


def write_bundle(
    binary: str, site: Path, pages: Sequence[str], language: str, bundle: Path
) -> None:
    """Index ``pages`` (paths in ``site``) into the bundle folder ``bundle``, with
    Pagefind's command line (its Python service answers one request per 0.1 s, which
    made every bundle cost at least 0.3 s).

    Pagefind walks the whole folder it is given before it matches its glob: at 10,000
    dumps, 32,600 files took about 0.1 s of every bundle. It is given instead a folder
    beside ``bundle`` holding a link to each page at the page's path (``link_pages``),
    and indexes all of it; the folder goes once Pagefind is done (at 50,000 dumps the
    links and their folders would hold some 100,000 inodes of a small machine's memory
    folder until the search step ends). The options go in a ``pagefind.json`` in a
    folder of their own, its working folder, so that no settings file of the user's is
    read.
    """
    folder = bundle.with_name(f"{bundle.name}.pages")
    settings = {
        "site": str(folder),
        "output_path": str(bundle),
        "force_language": language,
        "keep_index_url": True,
        "silent": True,
    }
    settings_folder = bundle.with_name(f"{bundle.name}.settings")
    settings_folder.mkdir()
    (settings_folder / "pagefind.json").write_text(json.dumps(settings), encoding="utf-8")
    try:
        link_pages(site, pages, folder)
        done = subprocess.run([binary], cwd=settings_folder, capture_output=True, check=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-500:]
        raise RuntimeError(f"pagefind exited with {done.returncode}: {said}")


def link_pages(site: Path, pages: Sequence[str], folder: Path) -> None:
    """Make ``folder`` hold each of ``pages`` that ``site`` has, at the same path: a
    symbolic link to it, or a copy where links cannot be made. A page missing from the
    site is left out (Pagefind would retry reading it for half a second)."""
    made: set[Path] = set()
    for page in pages:
        source, target = site / page, folder / page
        if not source.is_file():
            continue
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            target.symlink_to(source)
        except OSError:  # a system or folder without symbolic links
            shutil.copyfile(source, target)


def write_bundles(site: Path, language: str, jobs: Sequence[tuple[Sequence[str], Path]]) -> None:
    """Write each (pages, bundle) of ``jobs``, as many at once as there are cores."""
    from concurrent.futures import ThreadPoolExecutor

    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise RuntimeError("the pagefind binary (pagefind[bin]) is not installed")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        waiting = [
            pool.submit(write_bundle, str(binary), site, pages, language, bundle)
            for pages, bundle in jobs
        ]
        for job in waiting:
            job.result()  # a failing bundle fails the search step


def read_bundle(folder: Path, prefix: str) -> list[OutputFile]:
    """Every file under ``folder``, as site paths under ``prefix``."""
    return sorted(
        (f"{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes())
        for path in folder.rglob("*")
        if path.is_file()
    )


def fingerprint(pages: Sequence[tuple[str, str]], language: str, indexer: str) -> str:
    """A hash of everything that decides a bundle: each indexed page's path and content
    key, the language and the version of Pagefind (``indexer``).

    The keys stand for what Pagefind reads (the article), not the navigation around it,
    which changes whenever other pages come and go. Hashed as one text: every bundle's
    is worked out on every build, and a hash update a page took twice as long.
    """
    listed = "".join([f"{path}\0{key}\0" for path, key in sorted(pages)])
    return hashlib.sha256(f"{indexer}\0{language}\0{listed}".encode()).hexdigest()


class SearchBundle(NamedTuple):
    """What search adds to a build: the files it made, and the paths of those the current
    output holds as they should be (the bundles of unchanged articles), kept without being
    read."""

    files: list[OutputFile]
    kept: list[str]


def current_bundle(
    previous: Path | None, folder: str, stamp: str, recorded: Collection[str]
) -> list[str] | None:
    """The paths of a bundle of the current output when it indexed exactly the same pages
    and holds every file the output's record lists for it (and no other).

    Pagefind writes its filter files in an arbitrary order, so a rebuilt index differs
    byte for byte; reusing it keeps unchanged builds identical and skips the indexing.
    """
    if previous is None:
        return None
    where = previous / BUNDLE / folder
    try:
        if (where / FINGERPRINT).read_text(encoding="utf-8").strip() != stamp:
            return None
    except OSError:
        return None
    held = []
    for top, _, names in os.walk(where):  # names as the folder lists them, no stat each
        inner = top[len(str(where)) :].strip("/")
        held += [f"{BUNDLE}/{folder}/{inner}/{name}" if inner else f"{BUNDLE}/{folder}/{name}"
                 for name in names]  # fmt: skip
    held.sort()
    return held if held == sorted(recorded) else None


def recorded_bundles(recorded: Collection[str]) -> dict[str, list[str]]:
    """The output's recorded files of each bundle folder, by folder."""
    by_folder: dict[str, list[str]] = {}
    for path in recorded:
        if path.startswith(f"{BUNDLE}/part-"):
            by_folder.setdefault(path.split("/", 2)[1], []).append(path)
    return by_folder


def is_interface(name: str) -> bool:
    """Whether a bundle's file is Pagefind's interface, not needed to search the bundle."""
    return name.startswith(INTERFACE_PREFIXES) or name in INTERFACE_FILES


def is_library(name: str) -> bool:
    """Whether a bundle's file is Pagefind's library, kept by the first bundle only."""
    return name in LIBRARY_FILES or name.startswith(LIBRARY_PREFIX)


def search_files(
    folder: Path,
    pages: Sequence[tuple[str, str]],
    language: str,
    previous: Path | None = None,
    recorded: Collection[str] = (),
) -> SearchBundle:
    """The Pagefind bundles of the site staged in ``folder``, the search interface and the
    list of bundles.

    ``pages`` are the (path, key) of the pages to index, split into bundles; Pagefind
    finds them itself by their ``data-pagefind-body`` mark and leaves every other page out.
    ``recorded`` lists the files of ``previous`` (the current output) as its record does.
    """
    parts = parts_of(pages)
    if not parts:
        return SearchBundle([(MANIFEST, manifest_json([]))], [])
    first = min(parts)
    held = recorded_bundles(recorded)
    from importlib.metadata import version

    indexer = version("pagefind")  # read from its installed metadata: once
    stamps = {folder: fingerprint(part, language, indexer) for folder, part in parts.items()}
    reused = {
        folder: current_bundle(previous, folder, stamps[folder], held.get(folder, ()))
        for folder in parts
    }
    kept = reused[first]
    if kept is not None and f"{BUNDLE}/{first}/{LIBRARY_FILES[0]}" not in kept:
        reused[first] = None  # it was not the first bundle: indexed again, for the library
    interface: dict[str, bytes] = {}  # from the bundles indexed now, if any
    if None not in reused.values():
        interface = previous_interface(previous)
        if len(interface) < len(UI_FILES):
            reused[first] = None  # indexed again, for the interface its bundle comes with
    stale = sorted(part for part, paths in reused.items() if paths is None)
    files: list[OutputFile] = []
    scratch = scratch_folder(sum(len(parts[part]) for part in stale))
    if scratch is not None:
        sweep_scratch(Path(scratch), time.time())
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX, dir=scratch) as temp:
        jobs = [([path for path, _ in parts[part]], Path(temp).resolve() / part) for part in stale]
        if jobs:
            write_bundles(folder.resolve(), language, jobs)
        for part in stale:
            bundle = Path(temp) / part
            (bundle / FINGERPRINT).write_text(stamps[part] + "\n", encoding="utf-8")
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
    kept_paths = sorted(path for paths in reused.values() if paths is not None for path in paths)
    return SearchBundle(sorted([*files, *interface.items()]), kept_paths)


def scratch_folder(pages: int, environ: Mapping[str, str] = os.environ) -> str | None:
    """Where Pagefind writes the bundles of ``pages`` pages: ``MEMORY_FOLDER`` when it is
    there, writable and has room for them; None (the system's temporary folder)
    otherwise, or when ``TMPDIR`` names the temporary folder to use."""
    memory = MEMORY_FOLDER
    if "TMPDIR" in environ:
        return None
    try:
        room = os.statvfs(memory)
    except OSError:
        return None
    if not os.access(memory, os.W_OK | os.X_OK):
        return None
    return str(memory) if room.f_bavail * room.f_frsize >= pages * BYTES_A_PAGE else None


def sweep_scratch(memory: Path, now: float) -> None:
    """Remove the scratch folders that builds killed before they could clean up left in
    ``memory``, where they would hold memory until the machine restarts: those untouched
    for ``SCRATCH_HOURS`` (a build's own is minutes old at most)."""
    for folder in memory.glob(f"{SCRATCH_PREFIX}*"):
        try:
            stale = now - folder.lstat().st_mtime > SCRATCH_HOURS * 3600
        except OSError:
            continue  # gone meanwhile
        if stale and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)  # another user's stays


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
    recorded: Collection[str] = (),
) -> tuple[SearchBundle, list[Problem]]:
    """The search bundles when search is on; a problem when they cannot be built.

    ``previous`` is the current output folder and ``recorded`` the files its record lists:
    a bundle is kept from it when none of its articles has changed.
    """
    if not enabled:
        return SearchBundle([], []), []
    if not pagefind_available():
        return SearchBundle([], []), [Problem("config.toml", MISSING)]
    try:
        found = search_files(folder, pages, language, previous, recorded)
    except Exception as error:  # the Pagefind service reports failures as bare Exceptions
        message = f"the search index could not be built ({error}); the site has no search"
        return SearchBundle([], []), [Problem("pagefind", message)]
    return found, []
