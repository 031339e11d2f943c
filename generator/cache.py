"""An on-disk cache of what each input file's bytes mean, keyed by content and code.

The key covers the file's bytes, the settings that change their meaning and a
fingerprint of the code that reads them, so a parser change invalidates every entry by
itself. Entries are written atomically; a missing, stale or corrupt entry is a miss. The
folder is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import pickle
from os import getpid
from pathlib import Path

from generator.fingerprint import code_digest
from generator.read import ReadSettings, Understood

CACHE_DIR = ".gleanery-cache"
CODE_PARTS = ("decode.py", "frontmatter.py", "markup.py", "model.py", "read.py", "dump")
LIBRARIES = ("markdown-it-py", "py3langid", "justext", "charset-normalizer")


def code_fingerprint() -> str:
    """A hash of the source of every module that turns bytes into an Understood."""
    return code_digest(CODE_PARTS, LIBRARIES)


class ParseCache:
    """Understood results stored as one pickle per key under ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key(self, data: bytes, settings: ReadSettings) -> str:
        """The entry name for these bytes read with these settings by this code."""
        digest = hashlib.sha256(code_fingerprint().encode())
        digest.update(repr(settings).encode() + b"\0" + data)
        return digest.hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Understood | None:
        """The stored result, or None when absent or unreadable."""
        try:
            value = pickle.loads(self.path(key).read_bytes())
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
        """Store a result; a cache that cannot be written is simply not used."""
        target = self.path(key)
        temporary = target.with_name(f"{target.name}.{getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(target)
        except OSError:
            temporary.unlink(missing_ok=True)
