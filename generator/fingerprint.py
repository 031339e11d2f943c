"""A fingerprint of everything a build reads, so that a build with nothing new does nothing.

It covers the generator's own code and library versions, the config file, every file of
the theme chain and site templates, and each input's path, size and modification time.
Contents are not hashed here (the parse cache does that); a touched file simply builds.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from generator import __version__
from generator.model import SourceFile

LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "py3langid", "justext",
             "charset-normalizer", "pagefind")  # fmt: skip
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


def code_digest(parts: Sequence[str] = ("",), libraries: Sequence[str] = LIBRARIES) -> str:
    """A hash of the package's source files under ``parts`` and the named libraries' versions.

    ``parts`` are paths inside the package (a module file or a sub-package folder);
    the default, the empty path, is the whole package.
    """
    return _code_digest(tuple(parts), tuple(libraries))


@lru_cache(maxsize=8)
def _code_digest(parts: tuple[str, ...], libraries: tuple[str, ...]) -> str:
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        path = package / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(package).as_posix().encode() + file.read_bytes())
    for library in libraries:
        try:
            digest.update(f"{library}={importlib.metadata.version(library)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{library}=-".encode())
    return digest.hexdigest()


def tree_stats(folders: Iterable[Path]) -> Iterable[str]:
    """One line per file under the folders: path, size, modification time."""
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                stat = Path(dirpath, name).stat()
                yield f"{dirpath}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}"


def inputs_fingerprint(
    config_file: Path,
    theme_folders: Sequence[Path],
    sources: Sequence[SourceFile],
    output: Path,
) -> str:
    """The fingerprint of one build's inputs."""
    digest = hashlib.sha256(code_digest().encode())
    digest.update(str(output).encode() + b"\0" + config_file.read_bytes())
    for name in ENVIRONMENT:
        digest.update(f"{name}={os.environ.get(name, '')}".encode())
    for line in tree_stats(theme_folders):
        digest.update(line.encode("utf-8", "surrogateescape"))
    for source in sources:
        line = f"{source.rel}\0{source.size}\0{source.mtime_ns}"
        digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
