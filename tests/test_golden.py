"""The sample archive builds exactly as checked in (regenerate with ``make golden``)."""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.golden import GOLDEN, build_sample, site_files


def test_sample_site_matches_the_golden_tree(tmp_path: Path) -> None:
    built = site_files(build_sample(tmp_path))
    expected = site_files(GOLDEN)
    assert sorted(built) == sorted(expected), "file list differs: run `make golden` if intended"
    for rel, data in expected.items():
        if built[rel] != data:
            diff = difflib.unified_diff(
                data.decode("utf-8", "replace").splitlines(),
                built[rel].decode("utf-8", "replace").splitlines(),
                "golden/" + rel,
                "built/" + rel,
                lineterm="",
                n=1,
            )
            raise AssertionError("\n".join(list(diff)[:40]))


def test_every_sample_dump_has_its_page(tmp_path: Path) -> None:
    output = build_sample(tmp_path)
    content = output.parent / "content"
    dumps = [p for p in content.rglob("*.txt") if "draft = true" not in p.read_text("utf-8")]
    article_pages = [p for p in output.glob("*/*/index.html") if (p.parent / "index.md").is_file()]
    assert len(article_pages) == len(dumps) >= 12
