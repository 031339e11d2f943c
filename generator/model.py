"""Frozen domain objects: what a dump says, what a page is, what the site holds.

Every object is built whole and never changed afterwards; later stages build new
objects instead of filling in placeholders.
"""

from __future__ import annotations

import functools
import operator
import pickle
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, NamedTuple, Protocol

BlockKind = Literal["paragraph", "heading", "list", "quote"]
SourceKind = Literal["dump", "markdown"]


OutputFile = tuple[str, bytes]
"""One file of the built site: its path relative to the output folder, and its bytes."""


class Compact:
    """Pickled as its class and its field values, unpickled by calling the class.

    Frozen dataclasses with slots otherwise unpickle through a Python loop over their
    fields, object by object; a cached document holds a couple of hundred such objects,
    and this way it loads in a third of the time (93 µs against 250 µs).
    """

    __slots__ = ()
    __match_args__: ClassVar[tuple[str, ...]]
    """Set by ``dataclass``: every field, in ``__init__`` order."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), field_values(self.__match_args__)(self))


@functools.cache
def field_values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """What gives an object's values of the fields ``names``, as a tuple: one
    ``attrgetter`` call, in C (a generator over the names took three times as long, and
    pickling a body's blocks half as long again)."""
    values = operator.attrgetter(*names)
    return values if len(names) > 1 else lambda item: (values(item),)


@dataclass(frozen=True, slots=True)
class Block(Compact):
    """One block of an article body, in reading order."""

    kind: BlockKind
    """paragraph, heading, list or quote."""
    text: str
    """The block's text; for a list, its items joined by newlines."""
    line: int = 0
    """1-based line of the dump the block starts on (0 when unknown)."""
    items: tuple[str, ...] = ()
    """The items of a list block, without their bullets or numbers."""
    ordered: bool = False
    """Whether a list block was numbered."""
    level: int = 2
    """Heading level (2 to 4); the article title is the only level 1."""


@dataclass(frozen=True, slots=True)
class Comment(Compact):
    """One reader comment, set apart from the article body."""

    text: str
    """The comment's text; paragraphs separated by blank lines."""
    author: str | None = None
    """Who wrote it, when the dump shows it."""
    date: str | None = None
    """When it was written, ISO 8601, when the dump shows it."""
    line: int = 0
    """1-based line of the dump the comment starts on."""


@dataclass(frozen=True, slots=True)
class DroppedLine(Compact):
    """A dump line that is neither article nor comment, with the reason it was dropped."""

    line: int
    """1-based line number in the dump (after front matter is counted)."""
    text: str
    """The line as it stood in the dump, stripped of surrounding whitespace."""
    reason: str
    """The name of the rule that dropped it, e.g. ``skip-link`` or ``comment-count``."""


@dataclass(frozen=True, slots=True)
class Article(Compact):
    """What the dump parser found in one dump. Pure data, no file system facts."""

    title: str | None
    """The article title, or None when no line looks like one."""
    blocks: tuple[Block, ...]
    """The body, in reading order, without the title line."""
    comments: tuple[Comment, ...] = ()
    """The comments, one each, exact duplicates merged."""
    dropped: tuple[DroppedLine, ...] = ()
    """Every non-blank line that was left out, in dump order."""
    lang: str | None = None
    """ISO 639-1 language code of the dump, when detected."""
    author: str | None = None
    """The byline, without its "By"/"Par" prefix."""
    date: str | None = None
    """Publication date, ISO 8601, when the dump shows one."""
    source_url: str | None = None
    """The page's original address, when the dump contains one."""
    site_name: str | None = None
    """The site's name, e.g. from a "Title | Site" title line."""
    warnings: tuple[str, ...] = ()
    """Things a user may want to check, in words."""

    def body_text(self) -> str:
        """The body as plain text, blocks separated by blank lines."""
        return "\n\n".join(block.text for block in self.blocks)


@dataclass(frozen=True, slots=True)
class FrontMatter(Compact):
    """Fields a user set by hand in a ``+++`` TOML block; each overrides what is inferred."""

    title: str | None = None
    date: str | None = None
    source_url: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    lang: str | None = None
    draft: bool = False
    slug: str | None = None
    archived: str | None = None
    """When the dump was saved, ISO 8601; defaults to the file's modification time."""


class SourceFile(NamedTuple):
    """One input file found under the content folder.

    A NamedTuple rather than a frozen dataclass: every scan of the content folder makes one
    per file, and a dataclass took 2.3 µs to make, a fifth of the scan at 10,000 files.
    """

    path: str
    """Where it is on disk (as text: making a ``Path`` for each of 10,000 files took a third
    of the content folder's scan, and only the files read need one)."""
    rel: str
    """Its path relative to the content folder, with forward slashes."""
    source: str
    """The sub-folder it is in (the source it was saved from); empty at the top level."""
    kind: SourceKind
    """``dump`` for ``.txt`` files, ``markdown`` for ``.md`` pages."""
    mtime_ns: int
    """Modification time; used only as the "archived" date when front matter lacks one."""
    size: int = 0
    """Size in bytes when discovered (with the time, it tells whether a file changed)."""


def packed_bytes(value: object) -> bytes:
    """``value`` pickled and compressed (fast compression: bodies are unpacked often)."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


class Stored(Protocol):
    """Packed bytes kept outside the heap (``body_store.StoredBytes``)."""

    def load(self) -> bytes:
        """The bytes."""
        ...


def from_packed(data: bytes | Stored) -> Any:
    """What ``packed_bytes`` packed (its own output only: this unpickles)."""
    if not isinstance(data, bytes):
        data = data.load()
    return pickle.loads(zlib.decompress(data)) if data else ()


@dataclass(frozen=True, slots=True)
class PackedBody(Compact):
    """A document's body, comments and dropped lines, kept compressed.

    An archive holds thousands of bodies and a build looks at each one only while it
    renders that article, so they stay packed (a sixth of their unpacked size) and each
    look unpacks them again; nothing keeps them unpacked. Dropped lines are packed on
    their own: a build never shows them.
    """

    reading: bytes | Stored = b""
    """The blocks and comments, packed (see ``packed_bytes``); a one-shot build keeps them
    in a file (``body_store``)."""
    leftovers: bytes | Stored = b""
    """The dropped lines, packed."""
    removed: tuple[tuple[int, str], ...] = ()
    """Blocks a later step took out of the body: (index among the packed blocks, reason),
    in body order. They count as dropped lines."""

    @classmethod
    def pack(
        cls,
        blocks: tuple[Block, ...] = (),
        comments: tuple[Comment, ...] = (),
        dropped: tuple[DroppedLine, ...] = (),
    ) -> PackedBody:
        reading = packed_bytes((blocks, comments)) if blocks or comments else b""
        return cls(reading, packed_bytes(dropped) if dropped else b"")

    def unpack(self) -> OpenBody:
        """The blocks (less the removed ones) and comments, ready to be read many times."""
        blocks, comments = from_packed(self.reading) or ((), ())
        if self.removed:
            gone = {index for index, _ in self.removed}
            blocks = tuple(block for index, block in enumerate(blocks) if index not in gone)
        return OpenBody(blocks, comments)

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self.unpack().blocks

    @property
    def comments(self) -> tuple[Comment, ...]:
        return self.unpack().comments

    @property
    def dropped(self) -> tuple[DroppedLine, ...]:
        """The dropped lines, with the removed blocks among them in line order."""
        lines: tuple[DroppedLine, ...] = from_packed(self.leftovers)
        if not self.removed:
            return lines
        blocks = from_packed(self.reading)[0]
        taken = [
            DroppedLine(blocks[index].line, blocks[index].text, why) for index, why in self.removed
        ]
        return tuple(sorted((*lines, *taken), key=lambda line: line.line))

    def without(self, taken: Sequence[tuple[int, str]]) -> PackedBody:
        """The body less some of its current ``blocks``: (position among them, reason)."""
        gone = {index for index, _ in self.removed}
        kept = [index for index in range(self.block_total()) if index not in gone]
        removed = {*self.removed, *((kept[position], why) for position, why in taken)}
        return PackedBody(self.reading, self.leftovers, tuple(sorted(removed)))

    def block_total(self) -> int:
        """Blocks packed, removed ones included."""
        return len(from_packed(self.reading)[0]) if self.reading else 0


@dataclass(frozen=True, slots=True)
class OpenBody:
    """A body's blocks and comments unpacked, for one page's worth of reading."""

    blocks: tuple[Block, ...] = ()
    comments: tuple[Comment, ...] = ()

    def unpack(self) -> OpenBody:
        return self


EMPTY_BODY = PackedBody()


class Body(Protocol):
    """A body a view shows: packed, unpacked, or recalled when a page unpacks it (a
    touch-up's unchanged articles: ``touchup.RecalledBody``)."""

    def unpack(self) -> OpenBody:
        """The blocks and comments, ready to be read many times."""
        ...


@dataclass(frozen=True, slots=True)
class Document(Compact):
    """One input file read, parsed and merged with its front matter."""

    source_file: SourceFile
    title: str
    date: str | None
    archived: str
    author: str | None
    source_url: str | None
    site_name: str | None
    lang: str | None
    tags: tuple[str, ...]
    draft: bool
    slug_hint: str | None
    encoding: str
    body: PackedBody = EMPTY_BODY
    """Body, comments and dropped lines of a dump."""
    html: str = ""
    """Rendered body of a Markdown page (already safe HTML)."""
    warnings: tuple[str, ...] = ()
    folds: bytes = b""
    """Per block, a hash of its text with case and spacing folded (what is compared across
    dumps), 8 bytes each (``crossdump.folds_of``); empty when not worked out yet."""
    shape: bytes = b""
    """Per block, what the cross-dump step asks of it (``crossdump.shape_of``), so that it
    need not unpack the body; empty when not worked out yet."""
    counts: tuple[int, int] | None = None
    """(words, characters) of the body when worked out as it was read."""
    excerpt: str | None = None
    """The body's opening words, as listings show them; None when not worked out yet."""
    digest: str = ""
    """A hash of everything above (the file's bytes, settings, path and time, and what the
    build changed): it stands for the document when deciding what to render again. Empty
    when unknown; the document is then hashed whole."""

    @property
    def is_article(self) -> bool:
        """Dumps are articles; Markdown files are stand-alone pages such as "About"."""
        return self.source_file.kind == "dump"

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The body's blocks, unpacked anew at each call."""
        return self.body.blocks

    @property
    def comments(self) -> tuple[Comment, ...]:
        """The comments, unpacked anew at each call."""
        return self.body.comments

    @property
    def dropped(self) -> tuple[DroppedLine, ...]:
        """The dropped lines, unpacked anew at each call."""
        return self.body.dropped


@dataclass(frozen=True, slots=True)
class Page:
    """A document placed in the site: it has an address and derived reading facts."""

    document: Document
    url: str
    """Site-relative directory address, e.g. ``journal-du-geek/huawei/`` (always ends in /)."""
    word_count: int
    reading_minutes: tuple[int, int]
    """Reading time as a (low, high) range in whole minutes, never below 1."""

    @property
    def output_path(self) -> str:
        """Where the page's HTML goes, relative to the output folder."""
        return f"{self.url}index.html"


@dataclass(frozen=True, slots=True)
class Listing:
    """One paginated list of articles, e.g. the home page or one source."""

    key: str
    """What the list is of: ``home`` or ``source:NAME``."""
    title: str
    base_url: str
    """Directory address of the first page (the newest articles); the others live at
    ``page/N/`` below it, N counted from the oldest (``render.page_url``)."""
    pages: tuple[tuple[str, ...], ...]
    """The addresses of its articles in pages, newest first (``site.paginate``); at least
    one (maybe empty) page."""


@dataclass(frozen=True, slots=True)
class Site:
    """Everything that will be written, assembled before anything touches the output."""

    articles: tuple[Page, ...]
    """Dump articles, newest first (then by path, for a stable order)."""
    pages: tuple[Page, ...]
    """Stand-alone Markdown pages, by path."""
    listings: tuple[Listing, ...]
    sources: tuple[tuple[str, int], ...] = field(default=())
    """(source name, article count), by name."""
    layout: object = None
    """What decided the addresses, order and listings, when a session assembled the site:
    the very same object exactly while those stay the same (None otherwise)."""
