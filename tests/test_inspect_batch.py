"""A long ``inspect --json`` batch shared among worker processes prints what one process does."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import inspect as inspect_module


def _dumps(folder: Path, count: int) -> list[Path]:
    """Small dumps, each a title and a paragraph that differ by their number."""
    paths = []
    for number in range(count):
        path = folder / f"dump-{number:02}.txt"
        path.write_text(
            f"Skip to content\nNotes from the garden, week {number}\n\n"
            f"In week {number} the beans grew taller than the fence, and the neighbours came "
            "over to ask how we water them in such a dry summer.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_batch_in_workers_prints_the_same_lines_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _dumps(tmp_path, 12)
    one_by_one = [inspect_module.json_line(path) for path in paths]
    monkeypatch.setattr(inspect_module, "PARALLEL_FILES", 2)
    assert list(inspect_module.json_lines(paths)) == one_by_one


def test_short_batch_is_read_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a short batch must not start worker processes")

    monkeypatch.setattr(inspect_module, "worker_pool", no_pool)
    paths = _dumps(tmp_path, 3)
    assert len(list(inspect_module.json_lines(paths))) == 3
