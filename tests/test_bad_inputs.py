"""Awkward input files through a whole build (cases E1-E13 of RELIABILITY.md, end to end).

The decoder's unit tests pin each rung of the ladder; these check what reaches the
published site: the same page whatever the encoding or line ends, every bad file named,
the rest published, and bounded time and memory.
"""

from __future__ import annotations

import codecs
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import BuildReport, build
from generator.cli import main
from generator.config import load_config
from tests.conftest import ARTICLE_EN, ARTICLE_FR, SiteMaker, write_site
from tests.samples import note_dump, words


def mixed_line_ends(text: str) -> str:
    """``text`` with CRLF, LF and CR line ends in turn (never a CR that meets the next LF)."""
    out = ""
    for number, line in enumerate(text.split("\n")):
        piece = line + ("\r\n", "\r", "\n")[number % 3]
        if out.endswith("\r") and piece.startswith("\n"):
            out += "\n"
        out += piece
    return out


def with_controls(text: str) -> str:
    """``text`` with NUL, BEL, ESC and VT characters inside two paragraphs."""
    text = text.replace("Les commerçants", "Les\x00 com\x07merçants\x1b")
    return text.replace("La mairie", "La\x00 mairie\x0b")


TWINS: dict[str, Callable[[str], bytes]] = {
    "utf8": lambda text: text.encode("utf-8"),
    "bom-utf8": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "bom-utf16le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "bom-utf16be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "bom-utf32": lambda text: text.encode("utf-32"),
    "utf16le-no-bom": lambda text: text.encode("utf-16-le"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "cr-only": lambda text: text.replace("\n", "\r").encode("utf-8"),
    "mixed-eol": lambda text: mixed_line_ends(text).encode("utf-8"),
    "controls": lambda text: with_controls(text).encode("utf-8"),
}
"""The same French article in every encoding and line-end style the ladder must handle."""
BLANKS: dict[str, bytes] = {
    "blank/spaces.txt": b"  \n\t\n",
    "blank/bom-only.txt": codecs.BOM_UTF8,
    "blank/crlf-only.txt": b"\r\n\r\n\r\n",
    "blank/nbsp-only.txt": "\u00a0 \u3000\n".encode(),
}
BINARIES: dict[str, bytes] = {
    "bin/png.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    "bin/gif.txt": b"GIF89a" + bytes(range(256)),
    "bin/jpeg.txt": b"\xff\xd8\xff\xe0" + bytes(range(256)),
    "bin/pdf.txt": b"%PDF-1.7\n" + bytes(range(256)),
    "bin/zip.txt": b"PK\x03\x04" + bytes(range(256)),
    "bin/gzip.txt": b"\x1f\x8b\x08\x00" + bytes(range(256)),
    "bin/nuls.txt": b"text\x00\x01\x02\x00" * 64,
}


def own_paragraph(name: str) -> str:
    """Words only this twin has, so the build does not merge the twins into one page."""
    return words(name, 60)


def twin_bytes(name: str) -> bytes:
    """Twin ``name``: the article with its own paragraph, encoded its way."""
    marker = "La mairie promet"
    return TWINS[name](ARTICLE_FR.replace(marker, f"{own_paragraph(name)}\n\n{marker}"))


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """One build of every twin (each its own source), blank and binary file, one dump."""
    files: dict[str, str | bytes] = {f"{name}/article.txt": twin_bytes(name) for name in TWINS}
    files.update(BLANKS)
    files.update(BINARIES)
    files["herald/crane.txt"] = ARTICLE_EN
    root = write_site(tmp_path_factory.mktemp("mixed"), files)
    return root / "output", build(load_config(root / "config.toml"))


def article_of(output: Path, name: str) -> str:
    """The title and body of the page built from NAME/article.txt, less the twin's own words."""
    html = (output / name / "article" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<h1\b.*?</h1>", html, re.DOTALL)
    body = re.search(r'<div class="article-body">.*?</article>', html, re.DOTALL)
    assert title and body, name
    return title.group(0) + body.group(0).replace(own_paragraph(name), "")


@pytest.mark.parametrize("name", sorted(set(TWINS) - {"utf8"}))
def test_every_encoding_and_line_end_gives_the_utf8_page(
    mixed_site: tuple[Path, BuildReport], name: str
) -> None:
    output, _report = mixed_site
    reference = article_of(output, "utf8")
    assert "Le marché couvert rouvre ses portes" in reference
    assert article_of(output, name) == reference
    assert own_paragraph(name) in (output / name / "article" / "index.html").read_text("utf-8")


def test_no_control_character_or_bom_reaches_any_page(
    mixed_site: tuple[Path, BuildReport],
) -> None:
    output, report = mixed_site
    for path in output.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufeff]", text), path
    warned = [p for p in report.warnings if p.path == "controls/article.txt"]
    assert any("removed 5 control characters" in p.message for p in warned), warned


def test_blank_files_are_skipped_without_a_page(mixed_site: tuple[Path, BuildReport]) -> None:
    output, report = mixed_site
    assert sorted(p.path for p in report.skipped) == sorted(BLANKS)
    assert not (output / "blank").exists()


def test_every_binary_file_is_named_and_the_rest_is_published(
    mixed_site: tuple[Path, BuildReport],
) -> None:
    output, report = mixed_site
    assert sorted(p.path for p in report.failed) == sorted(BINARIES)
    assert all(p.message.startswith("binary file, not a text dump") for p in report.failed)
    assert report.exit_code() == 1
    assert report.articles == len(TWINS) + 1
    assert (output / "herald" / "crane" / "index.html").is_file()
    assert not (output / "bin").exists()


RSS_BUILD = """
import re, resource, sys
from pathlib import Path
from generator.cli import main
code = main(["build"])
status = Path("/proc/self/status")
peak = re.search(r"VmHWM:\\s*(\\d+)", status.read_text()) if status.exists() else None
kb = int(peak.group(1)) if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("max-rss-kb", kb, file=sys.stderr)
sys.exit(code)
"""
"""A build that reports its peak memory: VmHWM where Linux has it, because ru_maxrss
survives exec and would count the memory of the test process that started it."""


def test_oversized_dump_is_skipped_unread(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    with (root / "content" / "herald" / "huge.txt").open("wb") as huge:
        huge.truncate(200 * 2**20)
    result = subprocess.run(
        [sys.executable, "-c", RSS_BUILD],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    line = next(x for x in result.stderr.splitlines() if "herald/huge.txt:" in x)
    assert "200 MB" in line and "limit of 20 MB" in line, line
    max_rss_mb = int(result.stderr.split("max-rss-kb")[1].split()[0]) / 1024
    assert max_rss_mb < 150, f"{max_rss_mb:.0f} MB resident: the file was read"
    assert (root / "output" / "herald" / "crane" / "index.html").is_file()


PATHOLOGICAL = {"images": "![" * 100_000, "brackets": "[" * 100_000}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_markup_in_a_dump_builds_quickly(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    text = f"Brackets everywhere\n\n{PATHOLOGICAL[name]}\n\n" + ARTICLE_EN
    root = make_site({f"herald/{name}.txt": text, "herald/note.txt": note_dump(1)})
    monkeypatch.chdir(root)
    started = time.perf_counter()
    assert main(["build", "-q"]) == 0
    assert time.perf_counter() - started < 10
    assert (root / "output" / "herald" / name / "index.html").is_file()


def test_pathological_markdown_page_is_refused_quickly(make_site: SiteMaker) -> None:
    page = "# About\n\n" + "![" * 500_000 + "\n"
    root = make_site({"about.md": page, "herald/note.txt": note_dump(1)})
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=15,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "about.md: has 500,000 '[' characters" in result.stderr
    assert (root / "output" / "herald" / "note" / "index.html").is_file()
