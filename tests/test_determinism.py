"""Same inputs, same bytes: whatever the hash seed, time zone, mtimes or directory order (F6).

The "archived" date comes from a dump's modification time on purpose when front matter
does not give one, so only dumps that carry ``archived`` get different mtimes here.

Two known exceptions are left out of the comparison (see docs/reliability.md): Pagefind
(1.5.2) writes a different bundle on every fresh run, and the marker file records a
fingerprint of the inputs' paths, sizes and mtimes so that a build with nothing new is
skipped. Every page, feed, index and static file must match byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.write import MARKER, read_marker, recorded_files
from tests.conftest import ARTICLE_EN, ARTICLE_FR, FIXED_MTIME, write_site
from tests.samples import note_dump

DATED = {
    f"gazette/dated-{n}.txt": f"+++\narchived = 2024-0{n}-0{n}\ndate = 2023-12-0{n}\n+++\n"
    + note_dump(n)
    for n in range(1, 5)
}
FILES: dict[str, str | bytes] = {
    **DATED,
    "herald/crane.txt": ARTICLE_EN,
    "herald/a1b2c3d4e5f6.txt": ARTICLE_EN,
    "herald/0f9e8d7c6b5a.txt": ARTICLE_EN,
    "gazette/marché.txt": ARTICLE_FR,
    "gazette/Marche.txt": ARTICLE_FR.replace("mardi", "jeudi"),
    "notes/zèbre.txt": note_dump(40),
    "notes/Zebre.txt": note_dump(41),
    "about.md": "# About\n\nA small [archive](https://example.org/) of *things*.\n",
    "colophon.md": "+++\ntitle = 'Colophon'\n+++\nSet in whatever the reader likes.\n",
}
CONFIG = 'title = "Determinism"\nper_page = 2\nbase_url = "https://archive.example/"\n'


def make_copy(root: Path, *, reverse: bool) -> Path:
    """The site, its files created in sorted or reversed order."""
    order = sorted(FILES, reverse=reverse)
    return write_site(root, {rel: FILES[rel] for rel in order}, config=CONFIG)


def touch_dated(root: Path, seconds: int) -> None:
    """Give every dump that names its archived date a different modification time."""
    for number, rel in enumerate(sorted(DATED)):
        os.utime(root / "content" / rel, (seconds + number, seconds + number))


def build_with(root: Path, **env: str) -> Path:
    """Build ``root`` in a fresh interpreter with extra environment variables."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-q"],
        cwd=root,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return root / "output"


UNSTABLE = "pagefind/"
"""Pagefind's bundle: different bytes on every fresh run, whatever its input."""


def file_hashes(output: Path) -> dict[str, str]:
    """Relative path -> sha256 of every site file under ``output`` (not Pagefind's bundle).

    The marker is reduced to its list of files and their hashes.
    """
    hashes = {
        p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(output.rglob("*"))
        if p.is_file() and not p.relative_to(output).as_posix().startswith(UNSTABLE)
    }
    recorded = recorded_files(read_marker(output))[0]
    files = {k: v for k, v in recorded.items() if not k.startswith(UNSTABLE)}
    hashes[MARKER] = json.dumps(files, sort_keys=True)
    return hashes


def differing(first: dict[str, str], second: dict[str, str]) -> list[str]:
    return sorted(k for k in first.keys() | second.keys() if first.get(k) != second.get(k))


def test_builds_are_identical_across_seeds_zones_mtimes_and_order(tmp_path: Path) -> None:
    one = make_copy(tmp_path / "one" / "site", reverse=False)
    two = make_copy(tmp_path / "two" / "site", reverse=True)
    touch_dated(two, FIXED_MTIME + 86_400 * 400)
    first = file_hashes(build_with(one, PYTHONHASHSEED="0", TZ="UTC", LC_ALL="C.UTF-8"))
    second = file_hashes(
        build_with(
            two,
            PYTHONHASHSEED="4242",
            TZ="Pacific/Kiritimati",
            LANG="fr_FR.UTF-8",
            SOURCE_DATE_EPOCH="86400",
        )
    )
    assert len(first) > 20
    assert differing(first, second) == []
    warm = file_hashes(build_with(two, PYTHONHASHSEED="7", TZ="America/Adak"))
    assert differing(first, warm) == []


def today_spellings() -> set[str]:
    """Ways today's date could appear in a page, in UTC and in the zones used above."""
    spellings = set()
    now = dt.datetime.now(dt.UTC)
    for hours in (-10, 0, 14):
        day = (now + dt.timedelta(hours=hours)).date()
        spellings |= {
            day.isoformat(),
            day.strftime("%Y/%m/%d"),
            f"{day.day} {day.strftime('%B')} {day.year}",
            f"{day.strftime('%B')} {day.day}, {day.year}",
        }
    return spellings


def test_no_build_date_appears_in_the_output(tmp_path: Path) -> None:
    output = build_with(make_copy(tmp_path / "site", reverse=False), SOURCE_DATE_EPOCH="0")
    spellings = today_spellings()
    for path in sorted(output.rglob("*")):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            assert not [s for s in spellings if s in text], path


def require_disorderfs() -> None:
    """disorderfs needs root and FUSE: skip elsewhere with the reason, fail under CI."""
    reason = None
    if os.geteuid() != 0:
        reason = "mounting disorderfs needs root"
    elif shutil.which("disorderfs") is None:
        reason = "disorderfs is not installed (apt-get install disorderfs)"
    elif not Path("/dev/fuse").exists():
        reason = "/dev/fuse is missing"
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"the directory-order check must run in CI, but {reason}")
    pytest.skip(reason)


def test_shuffled_directory_entries_give_the_same_site(tmp_path: Path) -> None:
    require_disorderfs()
    plain = make_copy(tmp_path / "plain" / "site", reverse=False)
    shuffled = tmp_path / "shuffled" / "site"
    (shuffled / "content").mkdir(parents=True)
    shutil.copy2(plain / "config.toml", shuffled / "config.toml")
    mount = ["disorderfs", "--shuffle-dirents=yes", "--reverse-dirents=yes", "--multi-user=yes"]
    subprocess.run([*mount, str(plain / "content"), str(shuffled / "content")], check=True,
                   capture_output=True, timeout=30)  # fmt: skip
    try:
        mounted = sorted(entry.name for entry in (shuffled / "content" / "herald").iterdir())
        assert mounted == sorted(entry.name for entry in (plain / "content" / "herald").iterdir())
        first = file_hashes(build_with(plain))
        second = file_hashes(build_with(shuffled))
    finally:
        subprocess.run(["umount", str(shuffled / "content")], check=False, timeout=30)
    assert differing(first, second) == []
