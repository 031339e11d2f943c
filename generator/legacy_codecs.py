"""Guessing the legacy encoding of a dump that is not Unicode.

First a cheap byte count decides whether the text reads as Western European (cp1252, or
cp1254 when Turkish letters show); only other scripts go to charset-normalizer, among the
codecs a pasted web page is plausibly in, preferring cp1252 on a near tie.
"""

from __future__ import annotations

import codecs
import re

LAST_RESORT = "cp1252"
LIKELY_CODEC = re.compile(
    r"cp125|iso8859-|koi8-|big5|gb|hz|shift_jis|cp932|euc_|cp949|johab|iso2022_|tis-620|cp874"
    r"|utf-16|utf-32"
)
"""Prefixes of codecs a text dump may plausibly be in (no Mac or DOS code pages)."""
ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
CP1252_HIGH_LETTERS = bytes(
    byte for byte in range(0x80, 0x100) if bytes([byte]).decode(LAST_RESORT, "replace").isalpha()
)
CP1252_IN_WORD = "’‘·\xad\xa0–—…".encode(LAST_RESORT)
"""Non-letters that may sit between two letters of Western text (quotes, dashes, ...)."""
CP1252_HIGH_SYMBOLS = bytes(
    byte
    for byte in range(0x80, 0x100)
    if byte not in CP1252_HIGH_LETTERS and byte not in CP1252_IN_WORD
)


def byte_class(members: bytes) -> bytes:
    """A regular-expression character class matching exactly the given bytes."""
    return b"[" + b"".join(b"\\x%02x" % byte for byte in members) + b"]"


LETTER_BYTE = byte_class(ASCII_LETTERS + CP1252_HIGH_LETTERS)
GLUED_SYMBOL = re.compile(LETTER_BYTE + byte_class(CP1252_HIGH_SYMBOLS) + LETTER_BYTE)
"""A symbol between two letters, e.g. ``Za¿ó³æ``: Central European text misread as cp1252."""
TURKISH_TELLS = "ðýþÐÝÞ".encode(LAST_RESORT)
"""The cp1252 bytes of ğ ı ş Ğ İ Ş in cp1254 (read as ð ý þ Ð Ý Þ)."""
ICELANDIC_TELLS = "áíóúæÁÍÓÚÆ".encode(LAST_RESORT)
"""Letters Icelandic uses next to ð þ ý and Turkish never does."""


def detect_encoding(data: bytes) -> str | None:
    """Guess a legacy codec: Western text first, then the detector among likely codecs."""
    western = western_codec(data)
    if western is not None:
        return western
    matches = detector_matches(data)
    usable = sorted(m for m in matches if m[0] < 0.1 and LIKELY_CODEC.match(m[1]))
    if not usable:
        return None
    best_chaos, best = usable[0]
    for chaos, encoding in usable:
        if encoding == LAST_RESORT and chaos <= best_chaos + 0.01:
            return LAST_RESORT
    return best


def detector_matches(data: bytes) -> list[tuple[float, str]]:
    """(chaos, canonical codec) for each charset-normalizer match; empty if it fails."""
    try:
        from charset_normalizer import from_bytes

        found = [(match.chaos, canonical_name(match.encoding)) for match in from_bytes(data)]
    except Exception:  # the detector only guesses; any failure of it means "no guess"
        return []
    return [(chaos, encoding) for chaos, encoding in found if encoding is not None]


def western_codec(data: bytes) -> str | None:
    """cp1252 (or cp1254 for Turkish) when the data reads as Western European text."""
    try:
        data.decode(LAST_RESORT)
    except UnicodeDecodeError:
        return None
    foreign = count_bytes(data, CP1252_HIGH_LETTERS)
    letters = foreign + count_bytes(data, ASCII_LETTERS)
    if not letters or foreign * 4 > letters or GLUED_SYMBOL.search(data):
        return None
    turkish = count_bytes(data, TURKISH_TELLS)
    icelandic = count_bytes(data, ICELANDIC_TELLS)
    return "cp1254" if turkish >= 3 and icelandic * 5 <= turkish else LAST_RESORT


def count_bytes(data: bytes, which: bytes) -> int:
    """How many bytes of data are among the given byte values."""
    return len(data) - len(data.translate(None, which))


def canonical_name(encoding: str | None) -> str | None:
    """Python's canonical name of a codec, or None when it is unknown."""
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None
