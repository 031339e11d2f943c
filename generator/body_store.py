"""Where a one-shot build keeps the packed bodies of its documents: a file, not the heap.

A build reads every dump before it renders a page, and each document's body (about
2.4 KB packed) is looked at only while the pages showing it are rendered. Held in memory,
the bodies were 24 MB of the main process at 10,000 dumps, counted again in the resident
size of each forked renderer, which starts with the main process's pages. The store
writes each body to one unnamed temporary file as soon as it is read or recalled from the
parse cache (so the bodies are never all in memory at once) and reads it back with one
``pread`` (a few microseconds) when a page unpacks it.

The file has no name (it is unlinked as it is made), so nothing is left behind however
the build ends. Forked renderers read it through the descriptor they inherit.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from generator.model import PackedBody

KEPT_IN_MEMORY_BELOW = 64
"""Packed bytes shorter than this stay in memory: a handle would take about as much."""


class BodyStore:
    """Packed bodies written to an unnamed file and read back on demand.

    Writes are buffered; the buffer is written out before any read, and ``seal`` writes
    it out when no more bodies are coming (before the build forks renderers, so that no
    process inherits unwritten bytes).
    """

    def __init__(self, folder: Path) -> None:
        self.file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed by __exit__)
        self.descriptor = self.file.fileno()
        self.size = 0

    def __enter__(self) -> BodyStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.file.close()

    def keep(self, data: bytes) -> bytes | StoredBytes:
        """``data`` as kept: in the file, or as it is when short."""
        if len(data) < KEPT_IN_MEMORY_BELOW:
            return data
        offset = self.size
        self.file.write(data)
        self.size += len(data)
        return StoredBytes(self, offset, len(data))

    def kept_body(self, body: PackedBody) -> PackedBody:
        """The same body with its packed bytes kept here (the body itself when there is
        nothing left to keep)."""
        reading, leftovers = body.reading, body.leftovers
        kept_reading = self.keep(reading) if isinstance(reading, bytes) else reading
        kept_leftovers = self.keep(leftovers) if isinstance(leftovers, bytes) else leftovers
        if kept_reading is reading and kept_leftovers is leftovers:
            return body
        return PackedBody(kept_reading, kept_leftovers, body.removed)

    def seal(self) -> None:
        """Write out what is buffered (nothing to do when nothing is)."""
        self.file.flush()

    def read(self, offset: int, length: int) -> bytes:
        """The bytes kept at ``offset``."""
        self.seal()
        data = os.pread(self.descriptor, length, offset)
        if len(data) != length:
            raise OSError(f"body store: read {len(data)} of {length} bytes at {offset}")
        return data


def open_store(folder: Path) -> BodyStore | None:
    """A store in ``folder``; None when no file can be made there, or where files cannot
    be read at an offset (the bodies then stay in memory)."""
    if not hasattr(os, "pread"):
        return None
    try:
        return BodyStore(folder)
    except OSError:
        return None


@dataclass(frozen=True, slots=True)
class StoredBytes:
    """Packed bytes kept in a ``BodyStore`` (``model.Stored``)."""

    store: BodyStore
    offset: int
    length: int

    def load(self) -> bytes:
        return self.store.read(self.offset, self.length)

    def __reduce__(self) -> tuple[type[bytes], tuple[bytes]]:
        """Pickled as the bytes themselves: the store is this process's."""
        return bytes, (self.load(),)
