"""The reader contract: one SourceFile in, one Document out (or a DumpError)."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from pathlib import PurePosixPath

from generator.config import Config
from generator.decode import decode_dump, read_dump_bytes
from generator.dump import parse_dump
from generator.errors import DumpError, Problem
from generator.frontmatter import split_front_matter
from generator.markup import render_markdown
from generator.model import Document, SourceFile

HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


class EmptyDumpError(DumpError):
    """A file with nothing in it: skipped with a warning, not counted as a failure."""

    exit_code = 0


def encoding_override(rel: str, config: Config) -> str | None:
    """The encoding set for this file by an ``encoding_overrides`` pattern, if any."""
    name = PurePosixPath(rel).name
    for pattern, codec in config.encoding_overrides:
        if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(name, pattern):
            return codec
    return None


def mtime_date(mtime_ns: int) -> str:
    """A modification time as an ISO date, in UTC so the time zone never changes it."""
    return dt.datetime.fromtimestamp(mtime_ns / 1e9, tz=dt.UTC).date().isoformat()


def title_from_name(rel: str) -> str:
    """A readable title made from a file name, the last resort."""
    stem = PurePosixPath(rel).stem
    return re.sub(r"[_\s]+", " ", stem).strip() or stem


def read_document(source: SourceFile, config: Config) -> Document:
    """Read, decode and understand one input file; raise DumpError when it cannot be used."""
    data = read_dump_bytes(
        source.path, name=source.rel, max_bytes=config.max_dump_mb * 1024 * 1024
    )
    decoded = decode_dump(
        data,
        name=source.rel,
        override=encoding_override(source.rel, config),
        fallback=config.fallback_encoding,
    )
    if not decoded.text.strip():
        raise EmptyDumpError(Problem(source.rel, "empty file, nothing to publish; skipped"))
    split = split_front_matter(decoded.text, path=source.rel)
    front = split.front_matter
    common = {
        "source_file": source,
        "archived": front.archived or mtime_date(source.mtime_ns),
        "tags": front.tags,
        "draft": front.draft,
        "slug_hint": front.slug,
        "encoding": decoded.encoding,
    }
    if source.kind == "markdown":
        heading = HEADING.search(split.body)
        return Document(
            title=front.title or (heading.group(1) if heading else title_from_name(source.rel)),
            date=front.date,
            author=front.author,
            source_url=front.source_url,
            site_name=None,
            lang=front.lang or config.language,
            html=render_markdown(split.body),
            warnings=decoded.warnings,
            **common,  # type: ignore[arg-type]
        )
    article = parse_dump(split.body, first_line=split.first_line)
    return Document(
        title=front.title or article.title or title_from_name(source.rel),
        date=front.date or article.date,
        author=front.author or article.author,
        source_url=front.source_url or article.source_url,
        site_name=article.site_name,
        lang=front.lang or article.lang or config.language,
        blocks=article.blocks,
        comments=article.comments,
        dropped=article.dropped,
        warnings=decoded.warnings + article.warnings,
        **common,  # type: ignore[arg-type]
    )
