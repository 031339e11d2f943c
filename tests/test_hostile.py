"""Hostile dumps end to end: their text stays data, their names never choose where we write.

Cases S1-S4 and S8 of RELIABILITY.md. Every file the build writes (HTML, feeds, JSON) is
checked by tests/html_safety.py, so new output formats are covered without new tests.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import BuildReport, build
from generator.config import load_config
from tests.conftest import ARTICLE_EN, write_site
from tests.html_safety import checked_suffixes, html_findings, tree_findings
from tests.samples import note_dump, prose

ALERT = '"><script>alert(1)</script>'
IMG = "<img src=x onerror=alert(1)>"
BAD_SCHEMES = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "javascript&#58;alert(1)",
    " javascript:alert(1)",
    "java\\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
)


def hostile_body(seed: str) -> str:
    """A dump body full of markup, with words of its own so no two dumps look alike."""
    own = [prose(f"{seed}-{n}", 2) for n in range(6)]
    return f"""Skip to content
<script>alert('menu')</script>

{own[0]} A reader quotes {IMG} right inside its text. {own[1]}

{own[2]} It came with <iframe src="javascript:alert(1)"></iframe> and <svg onload=alert(1)> in it.

Source: javascript:alert(document.cookie)

2 comments

<b onmouseover=alert(1)>Mallory</b>
March 5, 2025
Nice article <script>alert('comment')</script> really, and {IMG} too, {own[3]}.

Trent
March 6, 2025
Click <a href="javascript:alert(1)">here</a> for more {own[4]} and {own[5]}.
"""


MARKDOWN = f"""# About {ALERT}

[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](javascript&#58;alert(1))
[d](vbscript:msgbox(1)) [e](data:text/html,<script>alert(1)</script>) [f](file:///etc/passwd)
[g](java%0ascript:alert(1)) [h][ref] [j](&#106;avascript:alert(1)) <javascript:alert(1)>
![i](javascript:alert(1)) [k](<javascript:alert(1)>) [ok](https://example.org/fine)

[ref]: javascript:alert(1)

{IMG} <svg onload=alert(1)> <iframe src="https://evil.example/"></iframe>
"""


def front_matter(**fields: str) -> str:
    """A +++ block with TOML literal strings (so quotes and backslashes stay as typed)."""
    lines = [f"{key} = '{value}'" for key, value in fields.items()]
    return "+++\n" + "\n".join(lines) + "\n+++\n"


def hostile_files() -> dict[str, str | bytes]:
    """Dumps and a page whose every field tries to run script or smuggle a link."""
    files: dict[str, str | bytes] = {
        "herald/hostile.txt": "+++\n"
        f"title = '{ALERT}'\nauthor = '{IMG}'\n"
        "tags = ['<svg onload=alert(1)>', '\"><iframe src=javascript:alert(1)>']\n"
        "+++\n" + hostile_body("hostile"),
        "herald/untitled.txt": hostile_body("untitled"),
        f'x"><svg onload=alert(1)>/{IMG}.txt': hostile_body("folder"),
        "about.md": MARKDOWN,
        "herald/ok-link.txt": front_matter(source_url=f"https://example.org/ok{ALERT}")
        + hostile_body("ok"),
    }
    for number, url in enumerate(BAD_SCHEMES):
        files[f"herald/scheme-{number}.txt"] = front_matter(source_url=url) + hostile_body(
            f"scheme-{number}"
        )
        files[f"gazette/line-{number}.txt"] = f"Source: {url}\n\n" + hostile_body(f"line-{number}")
    return files


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """One build of every hostile input; the tests below read its output."""
    root = write_site(
        tmp_path_factory.mktemp("hostile"),
        hostile_files(),
        config='title = "Hostile"\nbase_url = "https://archive.example/"\n',
    )
    return root / "output", build(load_config(root / "config.toml"))


def test_hostile_inputs_are_all_published(hostile_site: tuple[Path, BuildReport]) -> None:
    _output, report = hostile_site
    assert report.failed == ()
    assert report.articles == 4 + 2 * len(BAD_SCHEMES)


def test_no_built_file_contains_script_handlers_or_bad_links(
    hostile_site: tuple[Path, BuildReport],
) -> None:
    output, _report = hostile_site
    assert ".html" in checked_suffixes(output)
    assert tree_findings(output) == {}


class TextCollector(HTMLParser):
    """The visible text of a page, and the text of each element of interest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.h1: list[str] = []
        self.title: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if "h1" in self.stack:
            self.h1.append(data)
        if "title" in self.stack:
            self.title.append(data)


def page_text(output: Path, rel: str) -> TextCollector:
    collector = TextCollector()
    collector.feed((output / rel).read_text(encoding="utf-8"))
    return collector


def article_file(output: Path, needle: str) -> str:
    """The relative path of the one article page whose source file name contains needle."""
    pages = [
        p.relative_to(output).as_posix()
        for p in output.rglob("index.html")
        if needle in p.parent.name
    ]
    assert len(pages) == 1, pages
    return pages[0]


def test_script_title_is_shown_as_text_in_h1_and_title(
    hostile_site: tuple[Path, BuildReport],
) -> None:
    output, _report = hostile_site
    page = page_text(output, article_file(output, "hostile"))
    assert "".join(page.h1).strip() == ALERT
    assert ALERT in "".join(page.title)


def test_markup_in_body_and_comments_is_visible_text(
    hostile_site: tuple[Path, BuildReport],
) -> None:
    output, _report = hostile_site
    text = "".join(page_text(output, article_file(output, "hostile")).text)
    assert f"A reader quotes {IMG} right inside its text." in text
    assert "<svg onload=alert(1)>" in text
    assert "<script>alert('comment')</script>" in text


def original_links(output: Path, rel: str) -> list[str]:
    html = (output / rel).read_text(encoding="utf-8")
    return re.findall(r'class="original-link" href="([^"]*)"', html)


@pytest.mark.parametrize("number", range(len(BAD_SCHEMES)))
def test_source_url_with_a_bad_scheme_gives_no_link(
    hostile_site: tuple[Path, BuildReport], number: int
) -> None:
    output, _report = hostile_site
    assert original_links(output, article_file(output, f"scheme-{number}")) == []
    assert original_links(output, article_file(output, f"line-{number}")) == []


def test_https_source_url_is_linked_with_its_quotes_escaped(
    hostile_site: tuple[Path, BuildReport],
) -> None:
    output, _report = hostile_site
    links = original_links(output, article_file(output, "ok-link"))
    assert len(links) == 1
    assert links[0].startswith("https://example.org/ok&#34;&gt;&lt;script&gt;")


def test_markdown_page_keeps_only_the_safe_link(hostile_site: tuple[Path, BuildReport]) -> None:
    output, _report = hostile_site
    html = (output / "about" / "index.html").read_text(encoding="utf-8")
    assert html_findings(html) == []
    assert 'href="https://example.org/fine"' in html
    assert "&lt;iframe" in html


# --- S4: names and titles shaped like paths ------------------------------------------------

PATH_TITLES = ("../../etc/passwd", "/etc/passwd", "..", "a/../../b", "C:\\x", "\\\\server\\share")
SAFE_SEGMENT = re.compile(r"^[^\\/:*?\"<>|\x00-\x1f]+$")
WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def path_like_files() -> dict[str, str | bytes]:
    """Dumps whose title, slug or file name looks like a path somewhere else."""
    files: dict[str, str | bytes] = {}
    for number, value in enumerate(PATH_TITLES):
        files[f"herald/{number:02d}a1b2c3d4e5f6.txt"] = front_matter(title=value) + note_dump(
            number
        )
        files[f"herald/slug-{number}.txt"] = front_matter(slug=value) + note_dump(number + 20)
    names = ("C:\\x", "\\\\server\\share", "a..b", "CON", "nul", "aux.txt", "trail. ", "-")
    for number, name in enumerate(names):
        files[f"{name}.txt"] = note_dump(number + 40)
    site_names = ("index", "feed.xml", "404", "2025", "static", "search", "sitemap.xml")
    for number, name in enumerate(site_names):
        for place, folder in enumerate(("", "years/", "search/", "static/", "pagefind/", "tags/")):
            text = front_matter(slug=name) + note_dump(100 + number * 10 + place)
            files[f"{folder}clash-{number}.txt"] = text
    return files


def snapshot(root: Path, *skip: Path) -> set[str]:
    """Every path under root except those under the skipped folders."""
    return {p.as_posix() for p in root.rglob("*") if not any(p.is_relative_to(s) for s in skip)}


def test_path_like_titles_and_names_stay_inside_output(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", path_like_files())
    outside = [Path("/etc/passwd.html"), Path("/etc/passwd/index.html"), Path("/b/index.html")]
    assert not any(p.exists() for p in outside)
    ours = (root / "output", root / "output.spare", root / ".gleanery-cache")
    before = snapshot(tmp_path, *ours)
    report = build(load_config(root / "config.toml"))
    output = root / "output"
    assert report.failed == ()
    assert report.articles == len(path_like_files())
    assert snapshot(tmp_path, *ours) == before
    assert not any(p.exists() for p in outside)
    articles = [
        p for p in output.rglob("index.html") if '<article class="article"' in p.read_text()
    ]
    assert len(articles) == report.articles
    for path in output.rglob("*"):
        rel = path.relative_to(output)
        assert path.resolve().is_relative_to(output.resolve()), rel
        assert not path.is_symlink(), rel
        for part in rel.parts:
            assert SAFE_SEGMENT.match(part) and part not in (".", ".."), rel
            assert not part.endswith((".", " ")), rel
            assert not WINDOWS_DEVICES.match(part), rel
            assert not part.startswith(".") or rel.as_posix() == ".gleanery-output", rel


# --- S8: symlinks in the content folder ----------------------------------------------------


def make_symlinked_site(tmp_path: Path) -> Path:
    """A site whose content folder links to /etc/passwd, a secret beside it, and loops."""
    root = write_site(tmp_path / "site", {"herald/crane.txt": ARTICLE_EN})
    (tmp_path / "site" / "secret.txt").write_text("TOPSECRET-4242 " + ARTICLE_EN, "utf-8")
    away = tmp_path / "away"
    away.mkdir()
    (away / "far.txt").write_text("FARAWAY-9191 " + ARTICLE_EN, encoding="utf-8")
    herald = root / "content" / "herald"
    (herald / "passwd.txt").symlink_to("/etc/passwd")
    (herald / "secret.txt").symlink_to("../../secret.txt")
    (herald / "loop.txt").symlink_to("loop.txt")
    (herald / "a").symlink_to(".", target_is_directory=True)
    (root / "content" / "away").symlink_to(away, target_is_directory=True)
    return root


def test_symlinks_out_of_content_are_reported_and_not_followed(tmp_path: Path) -> None:
    root = make_symlinked_site(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "herald/passwd.txt: symlink escapes the content folder" in result.stderr
    assert "herald/secret.txt: symlink escapes the content folder" in result.stderr
    assert "herald/loop.txt:" in result.stderr
    assert "Traceback" not in result.stderr
    passwd_start = Path("/etc/passwd").read_bytes()[:20]
    for path in (root / "output").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert passwd_start not in data, path
            assert b"TOPSECRET-4242" not in data, path
            assert b"FARAWAY-9191" not in data, path
    assert (root / "output" / "herald" / "crane" / "index.html").is_file()
