"""A one-shot build keeps its documents' bodies in an unnamed file and reads them back."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

import generator.build
from generator.body_store import KEPT_IN_MEMORY_BELOW, BodyStore, StoredBytes
from generator.build import build
from generator.config import load_config
from generator.executors import ExecutorChoice
from generator.gather import ReadResult
from generator.model import Block, Comment, DroppedLine, PackedBody
from tests.conftest import SiteMaker, distinct_article, tree_digest

BLOCKS = tuple(
    Block("paragraph", f"Paragraph number {n} of a story long enough to be stored.", line=n + 3)
    for n in range(6)
)
COMMENTS = (Comment("First!", author="Ana", line=20),)
DROPPED = (DroppedLine(1, "Skip to content", "skip-link"), DroppedLine(9, "Share", "share"))


def test_a_kept_body_reads_back_as_the_body_in_memory(tmp_path: Path) -> None:
    body = PackedBody.pack(BLOCKS, COMMENTS, DROPPED)
    with BodyStore(tmp_path) as store:
        kept = [store.kept_body(body) for _ in range(3)]  # later ones at other offsets
        assert isinstance(kept[2].reading, StoredBytes) and kept[2].reading.offset > 0
        for copy in kept:
            assert (copy.blocks, copy.comments, copy.dropped) == (BLOCKS, COMMENTS, DROPPED)
        cut = kept[1].without([(2, "repeated")])
        assert cut.blocks == body.without([(2, "repeated")]).blocks
        assert cut.dropped == body.without([(2, "repeated")]).dropped
        assert store.kept_body(kept[0]) is kept[0]
        no_leftovers = store.kept_body(PackedBody.pack(BLOCKS, COMMENTS))
        assert no_leftovers.leftovers == b"" and store.kept_body(no_leftovers) is no_leftovers
        # Pickled, a kept body is the body itself: the store is this process's only.
        assert pickle.loads(pickle.dumps(kept[0])) == body
    assert list(tmp_path.iterdir()) == []  # the file never had a name


def test_short_packed_bytes_stay_in_memory(tmp_path: Path) -> None:
    with BodyStore(tmp_path) as store:
        assert store.keep(b"") == b""
        short = b"x" * (KEPT_IN_MEMORY_BELOW - 1)
        assert store.keep(short) is short
        assert store.size == 0


def test_a_forked_process_reads_what_was_kept_before_it_started(tmp_path: Path) -> None:
    body = PackedBody.pack(BLOCKS, COMMENTS, DROPPED)
    with BodyStore(tmp_path) as store:
        kept = store.kept_body(body)
        store.seal()
        reader, writer = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover (runs in the child)
            os.close(reader)
            os.write(writer, b"same" if kept.blocks == BLOCKS else b"different")
            os._exit(0)
        os.close(writer)
        answer = os.read(reader, 16)
        os.close(reader)
        os.waitpid(child, 0)
    assert answer == b"same"


def corpus(count: int) -> dict[str, str | bytes]:
    return {
        f"src-{n % 3}/story-{n:03d}.txt": distinct_article(f"Story {n}", n) for n in range(count)
    }


@pytest.mark.parametrize("executor", ["local", "serial"])
def test_a_build_keeps_its_bodies_in_the_store_and_makes_the_same_site(
    make_site: SiteMaker, monkeypatch: pytest.MonkeyPatch, executor: str
) -> None:
    root = make_site(corpus(120))  # 360 files: rendered by two processes when "local"
    config = load_config(root / "config.toml")
    monkeypatch.setattr(generator.build, "open_store", lambda folder: None)
    build(config, executor=ExecutorChoice(executor), cache=False)
    in_memory = tree_digest(root / "output")
    monkeypatch.undo()
    seen: list[ReadResult] = []
    publish = generator.build.publish_site

    def watched(result: ReadResult, *args: object, **kwargs: object) -> object:
        seen.append(result)
        return publish(result, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(generator.build, "publish_site", watched)
    build(config, executor=ExecutorChoice(executor), force=True)  # bodies read, then cached
    assert tree_digest(root / "output") == in_memory
    build(config, executor=ExecutorChoice(executor), force=True)  # bodies from the cache
    assert tree_digest(root / "output") == in_memory
    for result in seen:
        assert all(isinstance(d.body.reading, StoredBytes) for d in result.documents)
    assert len(seen) == 2
