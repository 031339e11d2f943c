"""Which hosts may ask the dev server, and how a request path maps to a file in the site."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

MAX_PATH_BYTES = 2048
"""Longest request path accepted; longer ones get 414."""

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an IP literal, brackets allowed) means this machine only."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    """A warning to print when the server would be reachable from other machines."""
    if is_loopback(host):
        return None
    return (
        f"warning: serving on {host or '0.0.0.0'} exposes this development server to your "
        "network; it is meant for local preview (omit --host to stay on 127.0.0.1)"
    )


def _is_ip_literal(name: str) -> bool:
    """Whether `name` is a bare IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def split_host_header(value: str) -> str | None:
    """The lower-cased host name of a Host header, or None when it is malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        name, sep, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else rest
        return name if sep and (not rest or (rest.startswith(":") and port.isdigit())) else None
    name, sep, port = value.partition(":")
    if not name or (sep and not port.isdigit()):
        return None
    return name


def host_allowed(value: str, bound_host: str) -> bool:
    """Whether a Host header names us (guards against DNS rebinding)."""
    name = split_host_header(value)
    if name is None:
        return False
    bound = bound_host.strip("[]").lower()
    if name in LOOPBACK_NAMES or name == bound:
        return True
    return bound in WILDCARD_HOSTS and _is_ip_literal(name)


class RequestRejectedError(Exception):
    """A request target we refuse to map to a file; carries the HTTP status."""

    def __init__(self, status: HTTPStatus) -> None:
        super().__init__(status.phrase)
        self.status = status


@dataclass(frozen=True)
class Target:
    """A decoded, checked request path: safe segments and whether it ended with `/`."""

    segments: tuple[str, ...]
    trailing_slash: bool


def _check_segment(segment: str) -> None:
    """Refuse `.`/`..` (400) and hidden names such as the output marker (404)."""
    if segment in (".", ".."):
        raise RequestRejectedError(HTTPStatus.BAD_REQUEST)
    if segment.startswith("."):
        raise RequestRejectedError(HTTPStatus.NOT_FOUND)


def parse_target(path: str) -> Target:
    """Decode a request path once and check it; raises RequestRejectedError."""
    if len(path.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
        raise RequestRejectedError(HTTPStatus.REQUEST_URI_TOO_LONG)
    if not path.startswith("/") or "\\" in path:
        raise RequestRejectedError(HTTPStatus.BAD_REQUEST)
    try:
        text = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise RequestRejectedError(HTTPStatus.BAD_REQUEST) from None
    if "\\" in text or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise RequestRejectedError(HTTPStatus.BAD_REQUEST)
    segments = tuple(part for part in text.split("/") if part)
    for segment in segments:
        _check_segment(segment)
    return Target(segments, text.endswith("/"))


def _resolve(path: Path) -> Path | None:
    """The real path (symlinks followed), or None when the name cannot be resolved."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


@dataclass(frozen=True)
class Found:
    """A regular file inside the root."""

    path: Path


@dataclass(frozen=True)
class Redirect:
    """A directory asked for without its trailing slash."""

    location: str


def _real_file(path: Path, root: Path) -> Path | None:
    """The real path of a regular file inside the root, or None."""
    real = _resolve(path)
    if real is None or not real.is_relative_to(root):
        return None
    try:
        return real if real.is_file() else None
    except OSError:
        return None


def _directory_index(real: Path, root: Path, target: Target) -> Found | Redirect | None:
    """A directory's index.html, or a redirect adding the missing trailing slash."""
    index = _real_file(real / "index.html", root)
    if index is None:
        return None
    if target.segments and not target.trailing_slash:
        return Redirect("/" + "/".join(quote(s, safe="") for s in target.segments) + "/")
    return Found(index)


def resolve(root: Path, target: Target) -> Found | Redirect | None:
    """Map a checked target to a file or a redirect inside the root; None means 404."""
    root_real = _resolve(root)
    real = None if root_real is None else _resolve(root_real.joinpath(*target.segments))
    if root_real is None or real is None or not real.is_relative_to(root_real):
        return None
    try:
        is_dir = real.is_dir()
    except OSError:
        return None
    if is_dir:
        return _directory_index(real, root_real, target)
    if target.trailing_slash:
        return None
    file = _real_file(real, root_real)
    return None if file is None else Found(file)


def read_file(path: Path) -> bytes | None:
    """The bytes of a file, refusing a symlink swapped in at the last moment."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            return handle.read()
    except OSError:
        return None
