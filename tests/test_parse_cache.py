"""The parse cache: unchanged files are found without being read; old versions are let go."""

from __future__ import annotations

import ast
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

import generator.read
from generator import batch, decode
from generator.build import build
from generator.cache import BESIDE_READING, CACHE_DIR, CODE_PARTS, ORPHAN_DAYS, ParseCache
from generator.config import load_config
from generator.model import (
    Article,
    Block,
    Comment,
    Document,
    DroppedLine,
    FrontMatter,
    PackedBody,
    SourceFile,
)
from generator.read import ReadSettings, Understood, understand
from tests.conftest import FIXED_MTIME, SiteMaker, distinct_article, tree_digest


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the dump files read from now on."""
    read: list[str] = []
    original = decode.read_dump_bytes

    def counting(path: Path, *, name: str, max_bytes: int) -> bytes:
        read.append(name)
        return original(path, name=name, max_bytes=max_bytes)

    monkeypatch.setattr(batch, "read_dump_bytes", counting)
    return read


def test_a_forced_build_finds_unchanged_files_without_reading_them(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site({f"herald/story-{n}.txt": distinct_article(f"Story {n}", n) for n in range(4)})
    config = load_config(root / "config.toml")
    build(config)
    edited = root / "content" / "herald" / "story-2.txt"
    edited.write_text(distinct_article("Story 2", 22), encoding="utf-8")
    read = count_reads(monkeypatch)
    build(config, force=True)
    assert read == ["herald/story-2.txt"]
    assert "day 220 of the survey" in (
        root / "output" / "herald" / "story-2" / "index.html"
    ).read_text(encoding="utf-8")


def test_a_fresh_checkout_given_the_cache_parses_nothing_again(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a CI run that restores ``.gleanery-cache/`` relies on: a copy of the site in
    another folder, its files with other modification times (as a checkout gives them),
    finds every entry the first site's build left, and publishes what it would without."""
    files: dict[str, str | bytes] = {
        f"herald/story-{n}.txt": distinct_article(f"Story {n}", n) for n in range(3)
    }
    files["notes/about.md"] = "# About\n\nWhat this archive keeps.\n"
    first = make_site(files)
    build(load_config(first / "config.toml"))
    clone = make_site(files, name="checkout")
    for path in (clone / "content").rglob("*.*"):
        os.utime(path, (FIXED_MTIME + 86_400, FIXED_MTIME + 86_400))
    shutil.copytree(first / CACHE_DIR, clone / CACHE_DIR)
    parsed: list[str] = []

    def parsing(data: bytes, rel: str, settings: ReadSettings) -> Understood:
        parsed.append(rel)
        return understand(data, rel, settings)

    monkeypatch.setattr(batch, "understand", parsing)
    config = load_config(clone / "config.toml")
    assert build(config).articles == 3
    assert parsed == []
    cached = tree_digest(clone / "output")
    build(config, cache=False, force=True)
    assert sorted(parsed) == sorted(files)
    assert tree_digest(clone / "output") == cached


def test_entries_no_file_uses_go_once_they_are_a_month_old(make_site: SiteMaker) -> None:
    root = make_site({f"herald/story-{n}.txt": distinct_article(f"Story {n}", n) for n in range(3)})
    config = load_config(root / "config.toml")
    cache = ParseCache(root / CACHE_DIR / "parse")
    herald = root / "content" / "herald"

    def entries() -> set[str]:
        return {entry.stem for entry in cache.code_folder().rglob("*.pickle")}

    def live() -> set[str]:
        return {cache.key_of(content) for content in cache.recorded().values()}

    build(config)
    (herald / "story-1.txt").write_text(distinct_article("Story 1", 11), encoding="utf-8")
    (herald / "story-2.txt").unlink()
    build(config, force=True)
    assert len(entries()) == 4, "the entries of story 1 as it was and of story 2 stay a while"
    month_ago = time.time() - (ORPHAN_DAYS + 1) * 86_400
    for entry in cache.code_folder().rglob("*.pickle"):
        os.utime(entry, (month_ago, month_ago))
    (herald / "story-0.txt").write_text(distinct_article("Story 0", 10), encoding="utf-8")
    build(config, force=True)
    assert len(live()) == 2
    assert entries() == live(), "the old entries of stories 0 to 2 went; the live ones stay"


def test_entries_of_other_code_versions_are_deleted(make_site: SiteMaker) -> None:
    root = make_site({"herald/a.txt": distinct_article("Story", 1)})
    stale = root / CACHE_DIR / "parse" / "0123456789abcdef" / "00"
    stale.mkdir(parents=True)
    (stale / "old.pickle").write_bytes(b"old")
    build(load_config(root / "config.toml"))
    assert not stale.parent.exists()
    assert list((root / CACHE_DIR / "parse").glob("*/*/*.pickle")), "this version's entries stay"


def test_every_field_of_a_cached_document_survives_pickling() -> None:
    # Each field holds a value other than its default, so a field the compact pickling
    # form left out (or put in the wrong place) comes back different.
    block = Block("list", "one\ntwo", line=7, items=("one", "two"), ordered=True, level=3)
    comment = Comment("Nice.", author="Ana", date="2024-05-01", line=12)
    dropped = DroppedLine(3, "Share this", "share-button")
    article = Article(
        "Title", (block,), (comment,), (dropped,), lang="fr", author="Bo", date="2024-01-02",
        source_url="https://example.org/a", site_name="Example", warnings=("odd",),
    )  # fmt: skip
    front = FrontMatter(
        "T", "2024-02-03", "https://x.org", "Cy", ("a", "b"), "de", True, "s", "2024"
    )
    source = SourceFile("/c/a.txt", "a.txt", "src", "dump", 123, size=9)
    body = PackedBody.pack((block,), (comment,), (dropped,))
    document = Document(
        source, "T", "2024-01-01", "2024-01-05", "Bo", "https://x.org", "X", "fr", ("a",),
        True, "hint", "cp1252", body, "<p>h</p>", ("w",), bytes(8), b"\x03", (10, 60), "an excerpt",
        "d1",
    )  # fmt: skip
    taken = PackedBody.pack((block, block), (comment,), (dropped,)).without([(1, "why")])
    for value in (block, comment, dropped, article, front, source, body, taken, document):
        assert pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) == value


def package_imports(module: Path, package: Path) -> set[Path]:
    """The package's module files that ``module`` imports: ``import generator.x``,
    ``from generator.x import y`` and relative imports, where ``y`` may be a module."""
    found: set[Path] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        wanted: list[tuple[Path, list[str], list[str]]]
        if isinstance(node, ast.Import):
            wanted = [
                (package, alias.name.split(".")[1:], [])
                for alias in node.names
                if alias.name.startswith("generator.")
            ]
        elif isinstance(node, ast.ImportFrom) and node.level:
            names = node.module.split(".") if node.module else []
            wanted = [(module.parents[node.level - 1], names, [a.name for a in node.names])]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator"):
            names = (node.module or "").split(".")[1:]
            wanted = [(package, names, [a.name for a in node.names])]
        else:
            continue
        for base, parts, members in wanted:
            target = base.joinpath(*parts)
            candidates = [target.with_suffix(".py"), target / "__init__.py"]
            candidates += [target / f"{member}.py" for member in members]
            found.update(candidate for candidate in candidates if candidate.is_file())
    return found


def test_the_code_hash_covers_every_module_reading_imports() -> None:
    """An entry is only as fresh as the code that made it: a change to the excerpt, the
    folds or a legacy codec's table must make the cache let its entries go."""
    package = Path(generator.read.__file__).parent
    pending, seen = [package / "read.py"], set()
    while pending:
        module = pending.pop()
        if module not in seen:
            seen.add(module)
            pending.extend(package_imports(module, package))
    hashed = {package / part for part in CODE_PARTS}
    uncovered = {
        module.relative_to(package).as_posix()
        for module in seen
        if not any(module == part or part in module.parents for part in hashed)
    }
    assert package / "dump" / "patterns.py" in seen  # found through the parser's own imports
    assert uncovered == set(BESIDE_READING)


SETTINGS = ReadSettings("dump", None, None)


def test_a_stored_entry_comes_back_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "parse")
    data = distinct_article("Stored", 1).encode("utf-8")
    understood = understand(data, "stored.txt", SETTINGS)
    key = cache.key(data, SETTINGS)
    assert cache.get(key) is None
    cache.put(key, understood)
    cache.put(key, understood)  # again: the entry is replaced, not added to
    assert cache.get(key) == understood
    assert ParseCache(tmp_path / "parse").get(key) == understood  # a later build finds it
    files = [p.relative_to(cache.code_folder()).as_posix() for p in tmp_path.rglob("*.*")]
    assert files == [f"{key[:2]}/{key}.pickle"]


def test_a_cache_that_cannot_be_written_is_not_used(tmp_path: Path) -> None:
    understood = understand(distinct_article("Kept", 2).encode("utf-8"), "kept.txt", SETTINGS)
    (tmp_path / "parse").write_text("a file where the cache folder would be", encoding="utf-8")
    blocked = ParseCache(tmp_path / "parse")
    blocked.put("ab" * 32, understood)
    assert blocked.get("ab" * 32) is None
    gone = ParseCache(tmp_path / "gone")
    gone.put("cd" * 32, understood)
    shutil.rmtree(tmp_path / "gone")  # deleted while in use: safe to delete at any time
    gone.put("cd" + "e" * 62, understood)  # into a folder it made, and lost
    assert gone.get("cd" + "e" * 62) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parse"]
    replaced = ParseCache(tmp_path / "replaced")
    replaced.put("ef" * 32, understood)
    shutil.rmtree(tmp_path / "replaced")
    (tmp_path / "replaced").write_text("a file now", encoding="utf-8")
    replaced.put("ef" + "0" * 62, understood)  # its folder is not one: nothing to clean up
    assert replaced.get("ef" + "0" * 62) is None


def test_a_build_deletes_the_entries_of_other_parser_versions(make_site: SiteMaker) -> None:
    root = make_site({f"herald/story-{n}.txt": distinct_article(f"Story {n}", n) for n in range(3)})
    config = load_config(root / "config.toml")
    parse = root / CACHE_DIR / "parse"
    old = parse / "0123456789abcdef" / "ab"
    old.mkdir(parents=True)
    (old / "ab12.pickle").write_bytes(b"an entry an older parser wrote")
    assert build(config).articles == 3
    current = ParseCache(parse).code_folder()
    assert [p.name for p in parse.iterdir() if p.is_dir()] == [current.name]
    assert len(list(current.rglob("*.pickle"))) == 3
