"""The golden site: the bundled sample archive built with fixed file times.

``python -m tests.golden regenerate`` (or ``make golden``) rewrites tests/golden/site after
an intended change; review ``git diff tests/golden`` before committing it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from generator.build import build
from generator.config import load_config

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden" / "site"
FIXED_MTIME = 1_717_200_000  # 2024-06-01, the "archived" date of dumps without one


def build_sample(workdir: Path) -> Path:
    """Copy the sample site into ``workdir`` with fixed mtimes and build it there."""
    site = workdir / "site"
    site.mkdir()
    shutil.copy2(REPO / "config.toml", site / "config.toml")
    shutil.copytree(REPO / "content", site / "content")
    for path in (site / "content").rglob("*"):
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    # Search is left out: its index is Pagefind's binary output, tested on its own.
    report = build(replace(load_config(site / "config.toml"), search=False))
    if report.failed:
        raise SystemExit(f"sample site has failing inputs: {report.failed}")
    return site / "output"


def site_files(root: Path) -> dict[str, bytes]:
    """Relative path -> bytes of every file under ``root``, except the build manifest."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".gleanery-output"
    }


def regenerate() -> None:
    """Replace the checked-in golden tree with a fresh build."""
    with tempfile.TemporaryDirectory() as tmp:
        output = build_sample(Path(tmp))
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir(parents=True)
        for rel, data in site_files(output).items():
            target = GOLDEN / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    print(f"golden site regenerated in {GOLDEN.relative_to(REPO)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["regenerate"]:
        raise SystemExit("usage: python -m tests.golden regenerate")
    regenerate()
