"""Faults around a build: signals, full and read-only disks, unsafe outputs, broken templates.

Cases F1-F5, F8 and F9 of RELIABILITY.md. "Intact" always means the tree hash of output/
equals the one taken before the failed run.
"""

from __future__ import annotations

import errno
import functools
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import generator.build
from generator.build import build
from generator.cli import main
from generator.config import load_config
from generator.write import MARKER, WriteFile, file_table, recorded_files
from tests.conftest import ARTICLE_EN, ARTICLE_FR, SiteMaker, tree_digest, write_site
from tests.samples import note_dump, note_dumps

SLOW_BUILD = """
import functools, sys, time
import generator.build
from generator.cli import main

def slow_write(path, data):
    path.write_bytes(data)
    time.sleep(float(sys.argv[1]))

generator.build.build = functools.partial(generator.build.build, write=slow_write)
sys.exit(main(["build", "-q"]))
"""
"""The real command line, with every file write slowed down so a signal lands mid-build."""

Mount = Callable[[str], Path]


def leftovers(root: Path) -> list[Path]:
    """Staging and old-build folders beside ``root/output``."""
    return sorted([*root.glob("output.staging-*"), *root.glob("output.old-*")])


def run_cli(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """Run ``gleanery ARGS`` in-process from the site folder and return its exit code."""
    monkeypatch.chdir(root)
    return main(["build", *args])


def use_writer(monkeypatch: pytest.MonkeyPatch, write: WriteFile) -> None:
    """Make the command line's build use ``write`` for every file."""
    monkeypatch.setattr(generator.build, "build", functools.partial(build, write=write))


# --- F1, F2: signals in the middle of a 300-page build ----------------------------------------


@pytest.fixture(scope="module")
def built_big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-dump site built once; each test works on its own copy."""
    root = write_site(tmp_path_factory.mktemp("big") / "site", note_dumps(300))
    build(load_config(root / "config.toml"))
    return root


@pytest.fixture
def big_site(built_big_site: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built 300-dump site, retitled so every page must be rewritten."""
    root = Path(shutil.copytree(built_big_site, tmp_path / "site", symlinks=True))
    (root / "config.toml").write_text('title = "Renamed archive"\nper_page = 3\n', "utf-8")
    return root


def start_slow_build(root: Path, delay: float = 0.005) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(delay)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_files(folder: Path, process: subprocess.Popen[str], files: int) -> None:
    """Block until the running build has written ``files`` files under ``folder``."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if sum(1 for p in folder.parent.glob(folder.name) for f in p.rglob("*")) >= files:
            return
        time.sleep(0.02)
    process.kill()
    pytest.fail(f"the build never wrote {files} files into {folder.name}")


def test_sigint_mid_build_exits_130_and_keeps_previous_output(big_site: Path) -> None:
    before = tree_digest(big_site / "output")
    process = start_slow_build(big_site)
    wait_until_files(big_site / "output.staging-*", process, files=20)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted; the previous output is unchanged" in err
    assert "Traceback" not in err
    assert tree_digest(big_site / "output") == before
    assert leftovers(big_site) == []


def test_ctrl_c_to_the_process_group_while_reading_exits_130(big_site: Path) -> None:
    before = tree_digest(big_site / "output")
    shutil.rmtree(big_site / ".gleanery-cache", ignore_errors=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build"],
        cwd=big_site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    wait_until_files(big_site / ".gleanery-cache", process, files=10)
    os.killpg(process.pid, signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert tree_digest(big_site / "output") == before
    assert leftovers(big_site) == []
    assert build(load_config(big_site / "config.toml")).articles == 300


def test_sigkill_mid_build_keeps_output_and_next_build_cleans_up(big_site: Path) -> None:
    before = tree_digest(big_site / "output")
    process = start_slow_build(big_site)
    wait_until_files(big_site / "output.staging-*", process, files=20)
    process.kill()
    process.communicate(timeout=60)
    assert tree_digest(big_site / "output") == before
    assert leftovers(big_site) != []
    report = build(load_config(big_site / "config.toml"))
    assert leftovers(big_site) == []
    assert report.articles == 300
    assert "Renamed archive" in (big_site / "output" / "index.html").read_text("utf-8")


# --- F3: disk full ------------------------------------------------------------------------


@pytest.fixture
def built_site(make_site: SiteMaker) -> Path:
    """A small site built once, then given one more dump so the next build differs."""
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    build(load_config(root / "config.toml"))
    (root / "content" / "herald" / "marche.txt").write_text(ARTICLE_FR, encoding="utf-8")
    return root


def failing_writer(code: int, when: Callable[[Path], bool]) -> WriteFile:
    """A writer that raises OSError(code) for the paths ``when`` picks, else writes."""

    def write(path: Path, data: bytes) -> None:
        if when(path):
            raise OSError(code, os.strerror(code), str(path))
        path.write_bytes(data)

    return write


@pytest.mark.parametrize(
    "when", [lambda path: True, lambda path: path.name == MARKER], ids=["every-file", "marker"]
)
def test_disk_full_exits_2_names_the_file_and_keeps_output(
    built_site: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    when: Callable[[Path], bool],
) -> None:
    before = tree_digest(built_site / "output")
    use_writer(monkeypatch, failing_writer(errno.ENOSPC, when))
    assert run_cli(built_site, monkeypatch) == 2
    err = capsys.readouterr().err
    assert "No space left on device while writing the site" in err
    assert f"{built_site / 'output'}.staging-" in err
    assert tree_digest(built_site / "output") == before
    assert leftovers(built_site) == []


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Mount]:
    """Mount small tmpfs file systems (root only); unmounted after the test."""
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        if os.geteuid() != 0:
            pytest.skip("mounting a tmpfs needs root; the monkeypatched variant runs everywhere")
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", str(where)], capture_output=True, check=False)


def gleanery(
    root: Path, *args: str, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in ``root``."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "generator", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_real_full_disk_exits_2_and_keeps_output(
    make_site: SiteMaker,
    tmpfs: Mount,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    disk = tmpfs("size=1m")
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    assert run_cli(root, monkeypatch, "--output", str(disk / "output")) == 0
    before = tree_digest(disk / "output")
    assert (disk / "output.spare").is_dir()
    for number in range(40):
        path = root / "content" / "herald" / f"long-{number}.txt"
        path.write_text(note_dump(number, paragraphs=100), encoding="utf-8")
    assert run_cli(root, monkeypatch, "--output", str(disk / "output")) == 2
    assert "No space left on device while writing the site" in capsys.readouterr().err
    assert tree_digest(disk / "output") == before
    # The spare tree became the failed build's staging folder, and went with it.
    assert sorted(p.name for p in disk.iterdir()) == ["output"]


# --- F4: output not writable ----------------------------------------------------------------


def without_file_capabilities() -> tuple[str, ...]:
    """A command prefix under which permission bits apply, even to root."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("root ignores permission bits and setpriv is missing to drop that power")
    return ("setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner")


def test_unwritable_output_parent_exits_2_naming_it(make_site: SiteMaker, tmp_path: Path) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    public = tmp_path / "public"
    public.mkdir()
    build(load_config(root / "config.toml"), output=public / "output")
    (root / "content" / "herald" / "marche.txt").write_text(ARTICLE_FR, encoding="utf-8")
    before = tree_digest(public / "output")
    beside = sorted(p.name for p in public.iterdir())  # the output and its spare tree
    public.chmod(0o555)
    try:
        prefix = without_file_capabilities()
        result = gleanery(root, "--output", str(public / "output"), prefix=prefix)
    finally:
        public.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert "cannot write the site here: Permission denied" in result.stderr
    assert str(public) in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(public / "output") == before
    assert sorted(p.name for p in public.iterdir()) == beside == ["output", "output.spare"]


def test_undeletable_previous_build_does_not_fail_the_new_one(built_site: Path) -> None:
    output = built_site / "output"
    output.chmod(0o555)
    try:
        result = gleanery(built_site, prefix=without_file_capabilities())
    finally:
        for folder in [output, *leftovers(built_site)]:
            folder.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert "Permission denied" not in result.stderr
    assert (output / "herald" / "marche" / "index.html").is_file()
    build(load_config(built_site / "config.toml"), force=True)
    assert leftovers(built_site) == []


def test_read_only_output_disk_exits_2_and_keeps_output(
    make_site: SiteMaker,
    tmpfs: Mount,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    disk = tmpfs("size=4m")
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    assert run_cli(root, monkeypatch, "--output", str(disk / "output")) == 0
    before = tree_digest(disk / "output")
    remount = subprocess.run(
        ["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True, check=False
    )
    if remount.returncode != 0:
        pytest.skip(f"cannot remount the tmpfs read-only: {remount.stderr.strip()}")
    (root / "content" / "herald" / "marche.txt").write_text(ARTICLE_FR, encoding="utf-8")
    assert run_cli(root, monkeypatch, "--output", str(disk / "output")) == 2
    err = capsys.readouterr().err
    assert "cannot write the site here: Read-only file system" in err
    assert str(disk) in err
    assert tree_digest(disk / "output") == before


def test_permission_error_while_writing_exits_2_naming_the_file(
    built_site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_digest(built_site / "output")
    use_writer(monkeypatch, failing_writer(errno.EACCES, lambda path: path.suffix == ".html"))
    assert run_cli(built_site, monkeypatch) == 2
    err = capsys.readouterr().err
    assert "Permission denied while writing the site" in err
    assert ".html: Permission denied" in err
    assert tree_digest(built_site / "output") == before
    assert leftovers(built_site) == []


# --- F5: output folders we must refuse --------------------------------------------------------


def home_with_marker(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$HOME as an output folder that even carries our marker: still refused."""
    home = root.parent / "home"
    home.mkdir()
    (home / MARKER).write_text("{}", encoding="utf-8")
    (home / "letters.txt").write_text("keep me", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    return home


def link_to_content(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A symlink whose target is the content folder."""
    (root.parent / "link").symlink_to(root / "content", target_is_directory=True)
    return root.parent / "link"


def foreign_folder(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A non-empty folder without our marker, somewhere else."""
    folder = root.parent / "photos"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "beach.jpg").write_bytes(b"\xff\xd8\xff not really")
    return folder


def site_parent(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder that holds the whole site."""
    return root.parent


@pytest.mark.parametrize(
    "place",
    [home_with_marker, link_to_content, foreign_folder, site_parent],
    ids=lambda f: f.__name__,
)
def test_dangerous_output_is_refused_with_exit_2_and_nothing_touched(
    make_site: SiteMaker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    place: Callable[[Path, pytest.MonkeyPatch], Path],
) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    output = place(root, monkeypatch)
    before = tree_digest(tmp_path)
    assert run_cli(root, monkeypatch, "--output", str(output)) == 2
    assert "refusing to use as output folder" in capsys.readouterr().err
    assert tree_digest(tmp_path) == before
    assert not list(tmp_path.rglob("*.staging-*"))


# --- F8: broken site-level template overrides --------------------------------------------------

SYNTAX_ERROR = '{% extends "base.html" %}\n{% block content %}\n<h1>{{ article.title }</h1>\n'
UNDEFINED = '{% extends "base.html" %}\n{% block content %}\n<h1>{{ no_such_value }}</h1>\n'


@pytest.mark.parametrize(
    ("template", "message"),
    [(SYNTAX_ERROR, "template syntax error"), (UNDEFINED, "no_such_value")],
    ids=["syntax-error", "undefined"],
)
def test_broken_template_override_exits_2_with_file_and_line(
    built_site: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    template: str,
    message: str,
) -> None:
    before = tree_digest(built_site / "output")
    (built_site / "templates").mkdir()
    (built_site / "templates" / "article.html").write_text(
        template + "{% endblock %}\n", encoding="utf-8"
    )
    assert run_cli(built_site, monkeypatch) == 2
    lines = [line.strip() for line in capsys.readouterr().err.splitlines()]
    located = [line for line in lines if line.startswith("templates/article.html:3: ")]
    assert located and message in located[0], lines
    assert tree_digest(built_site / "output") == before


# --- F9: many dumps, a few broken ---------------------------------------------------------------

BROKEN = {
    "notes/broken-binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    "notes/broken-fence.txt": "+++\ntitle = 'Never closed'\n\n" + ARTICLE_EN,
    "notes/broken-field.txt": "+++\ndate = 'last tuesday'\n+++\n" + ARTICLE_EN,
}


def test_three_broken_dumps_among_100_are_all_reported(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({**note_dumps(97), **BROKEN})
    assert run_cli(root, monkeypatch) == 1
    out, err = capsys.readouterr()
    for path in BROKEN:
        assert f"{path.removeprefix('notes/')}" in err
        starts = (f"{path}:", f"content/{path}:")
        assert any(line.strip().startswith(starts) for line in err.splitlines()), path
    assert "built 97 articles" in out
    assert "3 failed" in out
    pages = list((root / "output" / "notes").glob("*/index.html"))
    assert len(pages) == 97


def test_the_file_table_round_trips_and_refuses_what_it_cannot_carry() -> None:
    files = {"a/index.html": "1" * 64, "static/x y.css": "2" * 64}
    keys = {"a/index.html": "k1", "static/x y.css": "k2"}
    table = file_table(files, keys)
    assert table is not None
    assert recorded_files({"table": table}) == (files, keys)
    assert file_table({"bad\tname.css": "3" * 64}, {"bad\tname.css": "k"}) is None
    assert recorded_files({"table": None}) == ({}, {})
    assert recorded_files({"table": "only\ttwo"}) == ({}, {}), "a torn table is no record"
