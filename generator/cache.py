"""An on-disk cache of what each input file's bytes mean, keyed by content and code.

The key covers the file's bytes, the settings that change their meaning and a
fingerprint of the code that reads them, so a parser change invalidates every entry by
itself. Entries are written atomically; a missing, stale or corrupt entry is a miss. The
folder is safe to delete at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from generator.config import CACHE_DIR as CACHE_DIR
from generator.fingerprint import code_digest
from generator.read import ReadSettings, Understood, content_digest

CODE_PARTS = (
    "crossdump.py",
    "decode.py",
    "frontmatter.py",
    "legacy_codecs.py",
    "markup.py",
    "model.py",
    "read.py",
    "reading.py",
    "dump",
)
"""The package's modules (and sub-package) whose code makes an entry: every module that
``read`` imports, directly or not, but ``BESIDE_READING``."""
BESIDE_READING = ("config.py", "errors.py", "source_rules.py")
"""Modules ``read`` imports that never shape an entry: the configuration's types, the
problem types (failures are not stored) and the source rules, which ``make_document``
applies to what the cache gives."""
LIBRARIES = ("markdown-it-py", "py3langid", "justext", "charset-normalizer")


def code_fingerprint() -> str:
    """A hash of the source of every module that turns bytes into an Understood."""
    return code_digest(CODE_PARTS, LIBRARIES)


ORPHAN_DAYS = 30
"""An entry no current file uses is deleted once it is this old (``forget_orphans``)."""
PATHS = "paths.pickle"
"""Which content each file had when last read, by path, size, time and settings: files
whose facts are unchanged are found in the cache without being read again."""


class ParseCache:
    """Understood results stored as one pickle per key under ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries = str(self.code_folder())
        """Where this code's entries live, as text: a build looks up thousands of them, and
        joining Path objects cost more than reading a small entry."""
        self.folders_made: set[str] = set()
        """The entry folders this cache has made (or found) since it was opened."""

    def key(self, data: bytes, settings: ReadSettings) -> str:
        """The entry name for these bytes read with these settings by this code."""
        return self.key_of(content_digest(data, settings))

    def key_of(self, content: str) -> str:
        """The entry name for a content digest (``read.content_digest``) read by this code."""
        return hashlib.sha256(f"{code_fingerprint()}\0{content}".encode()).hexdigest()

    def recall(
        self, wanted: Sequence[str], keep: Callable[[Understood], Understood] | None = None
    ) -> dict[str, Understood]:
        """Entries for files known by their path, size, time and settings (``wanted``, as
        recorded by ``remember``), found without reading the files; each passed through
        ``keep`` as it is loaded (see ``batch.read_many``)."""
        if not wanted:
            return {}
        paths = self.recorded()
        found = {}
        for stat_id in wanted:
            content = paths.get(stat_id)
            entry = self.get(self.key_of(content)) if isinstance(content, str) else None
            if entry is not None and entry.digest == content:
                found[stat_id] = keep(entry) if keep is not None else entry
        return found

    def recorded(self) -> dict[str, str]:
        """The record ``remember`` keeps (empty when it is missing or unreadable)."""
        try:
            paths = pickle.loads((self.folder / PATHS).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return {}
        return paths if isinstance(paths, dict) else {}

    def remember(self, paths: dict[str, str]) -> None:
        """Record the content digest of each file by path, size, time and settings."""
        store(self.folder / PATHS, paths)
        self.forget_other_versions()

    def forget_orphans(self, contents: Collection[str], now: float) -> None:
        """Delete this code's entries for none of ``contents`` (content digests: every file
        a full build read) written more than ``ORPHAN_DAYS`` before ``now``.

        A dump edited or removed leaves its old entry behind, and a cache kept between CI
        runs would otherwise only grow. Recent ones stay, for a branch checked out again
        or a dump put back. Listing the entries and working out the live keys took about
        14 ms at 10,000 dumps, which only full builds that read a file pay.
        """
        live = {f"{self.key_of(content)}.pickle" for content in contents}
        oldest = now - ORPHAN_DAYS * 86_400
        with contextlib.suppress(OSError), os.scandir(self.entries) as folders:
            for folder in folders:
                if not folder.is_dir(follow_symlinks=False):
                    continue
                with os.scandir(folder.path) as entries:
                    stale = [
                        entry.path
                        for entry in entries
                        if entry.name not in live and entry.stat().st_mtime < oldest
                    ]
                for path in stale:
                    with contextlib.suppress(OSError):
                        os.unlink(path)  # noqa: PTH108 (text paths, as in put)

    def entry_name(self, key: str) -> str:
        return f"{self.entries}/{key[:2]}/{key}.pickle"

    def code_folder(self) -> Path:
        """Entries of this code's version live together, so older ones can be let go."""
        return self.folder / code_fingerprint()[:16]

    def forget_other_versions(self) -> None:
        """Delete entries written by other versions of the code: they can never be used."""
        current = self.code_folder()
        with contextlib.suppress(OSError):
            for folder in self.folder.iterdir():
                if folder.is_dir() and folder != current:
                    shutil.rmtree(folder, ignore_errors=True)

    def get(self, key: str) -> Understood | None:
        """The stored result, or None when absent or unreadable."""
        try:
            with open(self.entry_name(key), "rb") as entry:  # noqa: PTH123 (see entries)
                value = pickle.loads(entry.read())
        except (
            OSError,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
            ValueError,
        ):
            return None
        return value if isinstance(value, Understood) else None

    def put(self, key: str, value: Understood) -> None:
        """Store a result; a cache that cannot be written is simply not used.

        A cold build stores thousands, so each entry folder is made once (making it again
        for every entry, with Path objects, took an entry from 85 to 130 us).
        """
        folder = f"{self.entries}/{key[:2]}"
        try:
            if folder not in self.folders_made:
                Path(folder).mkdir(parents=True, exist_ok=True)
                self.folders_made.add(folder)
        except OSError:
            return
        write_whole(f"{folder}/{key}.pickle", value)


def store(target: Path, value: object) -> None:
    """Pickle ``value`` into ``target``, making its folder, atomically (see ``write_whole``)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    write_whole(str(target), value)


def write_whole(target: str, value: object) -> None:
    """Pickle ``value`` into the file ``target`` (its folder exists) whole or not at all:
    written beside it, then renamed; a failure leaves nothing behind."""
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            if os.write(descriptor, data) != len(data):  # a full disk
                raise OSError("written in part")
        finally:
            os.close(descriptor)
        os.replace(temporary, target)  # noqa: PTH105 (paths as text: thousands of entries)
    except OSError:
        with contextlib.suppress(OSError):  # not there, or its folder is not one
            Path(temporary).unlink()
