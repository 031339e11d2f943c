"""The reader contract: one input file in, one Document out (or a DumpError).

Reading is split in two so that the costly part can be cached and run in other
processes: ``understand`` is a pure function of a file's bytes and the settings that
matter for it; ``make_document`` adds the file system facts (path, modification time).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import TypedDict

from generator.config import Config
from generator.crossdump import folds_of, shape_of
from generator.decode import decode_dump
from generator.dump import parse_dump
from generator.errors import DumpError, Problem
from generator.frontmatter import split_front_matter
from generator.markup import render_markdown
from generator.model import (
    EMPTY_BODY,
    Article,
    Block,
    Document,
    FrontMatter,
    PackedBody,
    SourceFile,
    SourceKind,
)
from generator.reading import blocks_text, excerpt, html_text, text_counts
from generator.source_rules import Body, apply_source_rules, has_rules

HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
MAX_MARKDOWN_BRACKETS = 20_000
"""Link syntax denser than this makes the Markdown parser take minutes (quadratic time)."""


class EmptyDumpError(DumpError):
    """A file with nothing in it: skipped with a warning, not counted as a failure."""

    exit_code = 0


@dataclass(frozen=True)
class ReadSettings:
    """The settings that change what a file's bytes mean; part of the cache key."""

    kind: SourceKind
    encoding_override: str | None
    fallback_encoding: str | None


class BodyFacts(TypedDict):
    """What is worked out from a body's blocks once, so that it need not be unpacked."""

    folds: bytes
    shape: bytes
    counts: tuple[int, int] | None
    excerpt: str | None


@dataclass(frozen=True)
class Understood:
    """Everything derived from one file's bytes: cacheable, independent of its path."""

    encoding: str
    warnings: tuple[str, ...]
    front_matter: FrontMatter
    article: Article | None
    """The parsed dump, less its body (in ``body``); None for Markdown pages."""
    facts: BodyFacts
    """What the build needs of the body without unpacking it (see ``body_facts``)."""
    body: PackedBody = EMPTY_BODY
    """The dump's body, comments and dropped lines."""
    html: str = ""
    """The rendered Markdown page; empty for dumps."""
    heading: str | None = None
    """A Markdown page's first heading, its title when front matter has none."""
    digest: str = ""
    """A hash of the bytes and settings this was made from."""


def encoding_override(rel: str, config: Config) -> str | None:
    """The encoding set for this file by an ``encoding_overrides`` pattern, if any."""
    name = rel.rpartition("/")[2]
    for pattern, codec in config.encoding_overrides:
        if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(name, pattern):
            return codec
    return None


def read_settings(source: SourceFile, config: Config) -> ReadSettings:
    """The settings that apply to one file."""
    return ReadSettings(
        source.kind, encoding_override(source.rel, config), config.fallback_encoding
    )


WARM_UP = """Skip to content
Menu

A small river town repaints its old iron bridge

By Ada Example, 3 March 2024

The council voted on Tuesday to repaint the bridge in its original green, after a survey
found the paint had worn through in several places along the railings.

Work starts in May and should take about six weeks; the footpath stays open throughout.

Share this article
3 comments
"""
"""A small dump read once when a session starts, so its first edit does not pay for
loading the parser's models, word lists and patterns."""


def warm_up() -> None:
    """Read ``WARM_UP`` once, loading everything reading a dump needs."""
    understand(WARM_UP.encode("utf-8"), "warm-up.txt", ReadSettings("dump", None, None))


def understand(data: bytes, name: str, settings: ReadSettings) -> Understood:
    """Decode, split front matter and parse one file's bytes. Pure; raises DumpError."""
    decoded = decode_dump(
        data, name=name, override=settings.encoding_override, fallback=settings.fallback_encoding
    )
    if not decoded.text.strip():
        raise EmptyDumpError(Problem(name, "empty file, nothing to publish; skipped"))
    split = split_front_matter(decoded.text, path=name)
    digest = content_digest(data, settings)
    if settings.kind == "markdown":
        check_markdown_size(split.body, name)
        heading = HEADING.search(split.body)
        html = render_markdown(split.body)
        return Understood(
            encoding=decoded.encoding,
            warnings=decoded.warnings,
            front_matter=split.front_matter,
            article=None,
            html=html,
            heading=heading.group(1) if heading else None,
            digest=digest,
            facts=BodyFacts(
                folds=b"", shape=b"", counts=text_counts(html_text(html)), excerpt=None
            ),
        )
    article = parse_dump(split.body, first_line=split.first_line)
    blocks = article.blocks
    return Understood(
        encoding=decoded.encoding,
        warnings=decoded.warnings + article.warnings,
        front_matter=split.front_matter,
        article=replace(article, blocks=(), comments=(), dropped=()),
        body=PackedBody.pack(blocks, article.comments, article.dropped),
        digest=digest,
        facts=body_facts(blocks),
    )


def body_facts(blocks: tuple[Block, ...]) -> BodyFacts:
    """The facts of these blocks."""
    return BodyFacts(
        folds=folds_of(blocks),
        shape=shape_of(blocks),
        counts=text_counts(blocks_text(blocks)),
        excerpt=excerpt(blocks),
    )


def content_digest(data: bytes, settings: ReadSettings) -> str:
    """A hash of a file's bytes and the settings they are read with."""
    digest = hashlib.blake2b(repr(settings).encode(), digest_size=16)
    digest.update(data)
    return digest.hexdigest()


def document_digest(source: SourceFile, understood: Understood, rules: object) -> str:
    """A hash of what a document is made from: content, path, time and source rules."""
    facts = f"{understood.digest}\0{source.rel}\0{source.mtime_ns}\0{rules!r}"
    return hashlib.blake2b(facts.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def check_markdown_size(body: str, name: str) -> None:
    """Refuse Markdown whose link syntax would take the parser minutes; a fixed limit, not
    a timer, so the outcome never depends on the machine."""
    brackets = body.count("[")
    if brackets > MAX_MARKDOWN_BRACKETS:
        raise DumpError(
            Problem(
                name,
                f"has {brackets:,} '[' characters, more than the {MAX_MARKDOWN_BRACKETS:,} a "
                "Markdown page may have (the parser slows down quadratically); split the page",
            )
        )


def mtime_date(mtime_ns: int) -> str:
    """A modification time as an ISO date, in UTC so the time zone never changes it."""
    return dt.datetime.fromtimestamp(mtime_ns / 1e9, tz=dt.UTC).date().isoformat()


def title_from_name(rel: str) -> str:
    """A readable title made from a file name, the last resort."""
    stem = PurePosixPath(rel).stem
    return re.sub(r"[_\s]+", " ", stem).strip() or stem


def interned(text: str | None) -> str | None:
    """The one copy of a short text that many documents repeat (see ``make_document``)."""
    return None if text is None else sys.intern(text)


def make_document(
    source: SourceFile,
    understood: Understood,
    config: Config,
    keep_body: Callable[[PackedBody], PackedBody] | None = None,
) -> Document:
    """Merge what the file says, its front matter and its file system facts; ``keep_body``
    says where the body is kept (``body_store``).

    Its short texts that repeat across documents (dates, author and site names, language
    codes, encodings) are interned: each document came out of its own unpickling, and the
    copies took 6 MB at 10,000 dumps in every rendering process.
    """
    front = understood.front_matter
    article = understood.article or Article(title=understood.heading, blocks=())
    settings = config.sources.get(source.source)
    body, facts = understood.body, understood.facts
    if understood.article is not None and has_rules(settings):
        opened = body.unpack()
        ruled = apply_source_rules(Body(opened.blocks, body.dropped), settings, source.source)
        body = PackedBody.pack(ruled.blocks, opened.comments, ruled.dropped)
        facts = body_facts(ruled.blocks)
    return Document(
        source_file=source,
        title=front.title or article.title or title_from_name(source.rel),
        date=interned(front.date or article.date),
        archived=sys.intern(front.archived or mtime_date(source.mtime_ns)),
        author=interned(front.author or article.author),
        source_url=front.source_url or article.source_url,
        site_name=interned(article.site_name),
        lang=sys.intern(front.lang or article.lang or config.language),
        tags=front.tags,
        draft=front.draft,
        slug_hint=front.slug,
        encoding=sys.intern(understood.encoding),
        body=keep_body(body) if keep_body is not None else body,
        html=understood.html,
        warnings=understood.warnings,
        digest=document_digest(source, understood, settings) if understood.digest else "",
        **facts,
    )
