"""Safe, readable path segments made from titles, unique under case and normalisation.

A slug is lower-case NFC text made of ASCII letters and digits, letters, digits and
marks of other scripts, and single hyphens between words. It never starts or ends with
a hyphen, holds no dot, slash or backslash, is never a Windows device name, and fits in
a byte budget, so ``output / slug`` always stays inside ``output``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

DEFAULT_MAX_BYTES = 80
MIN_MAX_BYTES = 16
"""Room for a few characters of title plus a hash suffix."""
MAX_TITLE_CHARS = 4096
"""Only this much of a title is looked at, which bounds the work for absurd titles."""
FALLBACK_SLUG = "untitled"
RESERVED_SUFFIX = "-page"
FIRST_HASH_LENGTH = 6
"""Hex digits of a collision suffix; grown two at a time while suffixes still collide."""
MAX_HASH_LENGTH = 64
"""A blake2s digest in hex."""

TRANSLITERATIONS = {
    "ß": "ss",
    "ẞ": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ħ": "h",
    "ı": "i",
    "ŀ": "l",
    "ŧ": "t",
    "ŋ": "ng",
    "ĸ": "k",
    "ſ": "s",
    "ƒ": "f",
}
"""Lower-case Latin letters with no decomposition to an ASCII base letter."""

WINDOWS_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{digit}" for digit in range(10)]
    + [f"lpt{digit}" for digit in range(10)]
)
"""Device names Windows refuses as file names, even with an extension (COM0 and LPT0 too)."""
NOT_ASCII_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
"""What ``slug_chars`` turns into hyphens in lower-case ASCII text: all but letters and
digits (ASCII has no marks, and no letter outside ``a-z``)."""


@lru_cache(maxsize=1 << 12)
def slugify(text: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """A safe, readable, lower-case path segment of at most max_bytes UTF-8 bytes.

    Memoised, up to 4,096 texts, for those that come back on every page (tags, sources,
    languages). It kept 65,536, which held every title and file name of a one-shot build
    to its end, in every rendering process, although each is slugged once a build (a
    session keeps its slugs in its assembly memo).
    """
    if max_bytes < MIN_MAX_BYTES:
        raise ValueError(f"max_bytes must be at least {MIN_MAX_BYTES}, not {max_bytes}")
    words = slug_text(text[:MAX_TITLE_CHARS])
    slug = cut_to_bytes("-".join(word for word in words.split("-") if word), max_bytes)
    slug = slug or FALLBACK_SLUG
    return slug + RESERVED_SUFFIX if is_windows_device(slug) else slug


def slug_text(text: str) -> str:
    """``text`` as slug characters (``slug_chars``), hyphens and all, in NFC."""
    if text.isascii():  # file names and many titles: one substitution, not a call a character
        return NOT_ASCII_SLUG_CHARS.sub("-", text.lower())
    return unicodedata.normalize("NFC", "".join(slug_chars(text)))


def slug_chars(text: str) -> list[str]:
    """Each character as slug text: ASCII for Latin letters, ``-`` for separators."""
    out: list[str] = []
    previous = "-"
    for char in unicodedata.normalize("NFC", text):
        piece = slug_piece(char, previous)
        out.append(piece)
        previous = piece[-1:] or previous
    return out


def slug_piece(char: str, previous: str) -> str:
    """What one character becomes; a mark survives only after a non-ASCII letter."""
    ascii_form = ascii_letters(char)
    if ascii_form:
        return ascii_form
    category = unicodedata.category(char)
    if category[0] in "LN":
        lowered = char.lower()
        return lowered if all(unicodedata.category(c)[0] in "LNM" for c in lowered) else "-"
    if category in ("Mn", "Mc", "Me") and not previous.isascii():
        return char
    return "" if category[0] == "M" else "-"


def ascii_letters(char: str) -> str:
    """Lower-case ASCII letters and digits for a Latin letter or digit, else ``""``."""
    lowered = char.lower()
    if lowered in TRANSLITERATIONS:
        return TRANSLITERATIONS[lowered]
    if char.isascii():
        return lowered if char.isalnum() else ""
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base.lower() if base.isascii() and base.isalnum() else ""


def cut_to_bytes(slug: str, max_bytes: int) -> str:
    """Shorten to at most max_bytes UTF-8 bytes on a character (preferably word) boundary."""
    if len(slug.encode("utf-8")) <= max_bytes:
        return slug
    cut = slug.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")
    if not slug.startswith(cut + "-"):
        word_end = cut.rfind("-")
        cut = cut[:word_end] if word_end >= len(cut) // 2 else cut
    cut = unicodedata.normalize("NFC", cut).strip("-")
    return cut if len(cut.encode("utf-8")) <= max_bytes else cut_to_bytes(cut, max_bytes - 1)


def is_safe_slug(text: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bool:
    """Whether text has the shape slugify() promises (e.g. to vet a hand-written slug)."""
    return bool(text) and text == slugify(text, max_bytes=max_bytes)


def is_windows_device(slug: str) -> bool:
    """Whether Windows would take the name (or its part before a dot) for a device."""
    return slug.split(".", 1)[0].lower() in WINDOWS_DEVICE_NAMES


def slug_key(slug: str) -> str:
    """The form under which two slugs name the same file on a forgiving file system."""
    return unicodedata.normalize("NFC", slug).casefold()


def unique_slugs(
    wanted: Sequence[str], ids: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[str]:
    """Make slugs unique under casefold(NFC), independently of the order of the items.

    Every member of a collision group gets ``-`` plus the first hex digits of the blake2s
    hash of its id, trimming the slug to stay within max_bytes. A wanted slug may be a path
    such as ``source/slug``: only its last segment is suffixed (and bounded by max_bytes),
    and the whole path is compared for collisions. While suffixed slugs still
    collide (with each other or with another item's slug), every item involved grows its
    suffix by two hex digits (an unsuffixed one gets a suffix). Distinct ids always end up
    distinct; a ValueError is raised for duplicate ids or when the byte budget is too small
    to tell the ids apart.
    """
    if len(wanted) != len(ids):
        raise ValueError("wanted and ids must have the same length")
    if len(set(ids)) != len(ids):
        raise ValueError("ids must be unique")
    lengths = [0] * len(wanted)
    cap = min(MAX_HASH_LENGTH, max_bytes - MIN_MAX_BYTES // 2)
    while True:
        slugs = [
            with_suffix(slug, item_id, length, max_bytes)
            for slug, item_id, length in zip(wanted, ids, lengths, strict=True)
        ]
        clashing = clashing_indices(slugs)
        if not clashing:
            return slugs
        grown = [grow(lengths[i], cap) if i in clashing else lengths[i] for i in range(len(slugs))]
        if grown == lengths:
            raise ValueError(f"cannot make slugs unique within {max_bytes} bytes")
        lengths = grown


def clashing_indices(slugs: Sequence[str]) -> set[int]:
    """Indices of the slugs whose key is shared with another slug."""
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for index, slug in enumerate(slugs):
        groups[slug_key(slug)].append(index)
    return {index for members in groups.values() if len(members) > 1 for index in members}


def grow(length: int, cap: int) -> int:
    """The next suffix length: a first suffix, or two more hex digits, up to the cap."""
    return min(cap, FIRST_HASH_LENGTH if length == 0 else length + 2)


def with_suffix(slug: str, item_id: str, length: int, max_bytes: int) -> str:
    """The slug's last segment with ``-`` and length hex digits of the id's hash added.

    The segment after the last ``/`` is trimmed so that it stays within max_bytes; any
    folders before it are kept as they are.
    """
    if length == 0:
        return slug
    digest = hashlib.blake2s(item_id.encode("utf-8", "surrogatepass")).hexdigest()[:length]
    folder, _, name = slug.rpartition("/")
    base = cut_to_bytes(name, max_bytes - length - 1)
    last = f"{base}-{digest}" if base else digest
    return f"{folder}/{last}" if folder else last
