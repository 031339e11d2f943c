"""A fingerprint of everything a build reads, so that a build with nothing new does nothing.

It covers the generator's own code and library versions, the config file, every file of
the theme chain and site templates, and each input's path, size and modification time.
Contents are not hashed here (the parse cache does that); a touched file simply builds.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
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
    for library, version in library_versions(libraries):
        digest.update(f"{library}={version}".encode())
    return digest.hexdigest()


def project_key(name: str) -> str:
    """A distribution's name as its metadata folder spells it: ``markdown_it_py``."""
    return re.sub(r"[-_.]+", "_", name).lower()


def library_versions(libraries: Sequence[str]) -> list[tuple[str, str]]:
    """Each library's installed version ("-" when it is not installed).

    Read from the names of the metadata folders on the import path
    (``markdown_it_py-4.0.0.dist-info``, ``Jinja2-3.1.2.egg-info``): one listing a path
    entry. importlib.metadata, which imports the email package and parses each METADATA
    file (about 40 ms of every build, a no-change one included), is asked only about a
    library not found that way.
    """
    wanted = {project_key(name): name for name in libraries}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")  # noqa: PTH208 (names only; no Path for each)
        except OSError:
            continue
        for name in names:
            stem, _, kind = name.rpartition(".")
            project, _, version = stem.partition("-")
            library = wanted.get(project_key(project))
            if kind in ("dist-info", "egg-info") and library and library not in found:
                found[library] = version
    missing = [name for name in libraries if name not in found]
    if missing:
        import importlib.metadata

        for name in missing:
            try:
                found[name] = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                found[name] = "-"
    return [(name, found[name]) for name in libraries]


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
