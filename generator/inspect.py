"""``gleanery inspect``: what the parser made of each dump, for people and for scorers."""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.decode import decode_dump, read_dump_bytes
from generator.dump import parse_dump, prepare_parser
from generator.errors import GleaneryError
from generator.frontmatter import split_front_matter
from generator.model import Article, FrontMatter

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

MAX_BYTES = 200 * 1024 * 1024
PARALLEL_FILES = 32
"""A batch shares its files among worker processes when each worker gets at least this many."""
_CHUNKS_PER_WORKER = 4
_LONGEST_CHUNK = 16
"""Files a worker takes at a time: few enough that Ctrl-C stops a batch quickly."""


def inspect_file(path: Path) -> dict[str, Any]:
    """Everything known about one dump, as a JSON-ready dict; errors become ``error``."""
    name = str(path)
    try:
        decoded = decode_dump(read_dump_bytes(path, name=name, max_bytes=MAX_BYTES), name=name)
        split = split_front_matter(decoded.text, path=name)
    except GleaneryError as err:
        return {"path": name, "error": str(err)}
    article = parse_dump(split.body, first_line=split.first_line)
    record = article_record(article, split.front_matter)
    return {
        "path": name,
        **record,
        "encoding": decoded.encoding,
        "warnings": [*decoded.warnings, *article.warnings],
    }


def article_record(article: Article, front: FrontMatter) -> dict[str, Any]:
    """The parsed article with front matter applied, as plain data."""
    return {
        "title": front.title or article.title,
        "lang": front.lang or article.lang,
        "date": front.date or article.date,
        "author": front.author or article.author,
        "source_url": front.source_url or article.source_url,
        "site_name": article.site_name,
        "tags": list(front.tags),
        "draft": front.draft,
        "body": article.body_text(),
        "blocks": [
            {
                "kind": b.kind,
                "text": b.text,
                "line": b.line,
                **({"items": list(b.items), "ordered": b.ordered} if b.kind == "list" else {}),
                **({"level": b.level} if b.kind == "heading" else {}),
            }
            for b in article.blocks
        ],
        "comments": [
            {"author": c.author, "date": c.date, "text": c.text, "line": c.line}
            for c in article.comments
        ],
        "dropped": [{"line": d.line, "text": d.text, "reason": d.reason} for d in article.dropped],
    }


def json_line(path: Path) -> str:
    """The JSON object of one file, on one line."""
    line = json.dumps(inspect_file(path), ensure_ascii=False)
    # Line separators are valid in JSON strings but split "lines" for many readers.
    return line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def json_lines(paths: list[Path]) -> Iterator[str]:
    """One JSON object per file, in input order; a long batch is shared by one worker
    process per CPU (the output is the same, in the same order)."""
    workers = min(os.cpu_count() or 1, len(paths) // PARALLEL_FILES)
    if workers < 2:
        yield from map(json_line, paths)
        return
    prepare_parser()  # loaded once here, inherited by forked workers
    gc.freeze()  # the workers' collector then leaves the inherited objects (and pages) alone
    chunk = max(1, min(_LONGEST_CHUNK, len(paths) // (workers * _CHUNKS_PER_WORKER)))
    pool = worker_pool(workers)
    try:
        yield from pool.map(json_line, paths, chunksize=chunk)
    finally:
        # On Ctrl-C or a closed pipe, chunks not yet started are dropped, not waited for.
        pool.shutdown(wait=True, cancel_futures=True)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of worker processes (imported here: a short batch never needs one)."""
    from concurrent.futures import ProcessPoolExecutor

    from generator.executors import leave_interrupts_to_parent

    return ProcessPoolExecutor(workers, initializer=leave_interrupts_to_parent)


def human_report(paths: list[Path]) -> Iterator[str]:
    """A readable account of each file: metadata, body, comments, dropped lines."""
    for path in paths:
        record = inspect_file(path)
        yield f"== {record['path']}"
        if "error" in record:
            yield f"  error: {record['error']}"
            continue
        for key in ("title", "lang", "date", "author", "source_url", "site_name", "encoding"):
            yield f"  {key}: {record[key] if record[key] is not None else '-'}"
        for warning in record["warnings"]:
            yield f"  warning: {warning}"
        yield "  -- body"
        for block in record["blocks"]:
            yield f"  {block['line']:>5} {block['kind']:<9} {block['text'][:100]!s}"
        yield f"  -- comments ({len(record['comments'])})"
        for comment in record["comments"]:
            who = comment["author"] or "?"
            yield f"  {comment['line']:>5} {who}: {comment['text'][:90]}"
        yield f"  -- dropped ({len(record['dropped'])})"
        for dropped in record["dropped"]:
            yield f"  {dropped['line']:>5} [{dropped['reason']}] {dropped['text'][:80]}"
