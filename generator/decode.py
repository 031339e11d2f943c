"""Turn the bytes of a dump into clean text by a fixed, reported ladder of decoders.

The ladder (first rung that applies wins): byte-order mark, BOM-less UTF-16, strict UTF-8,
lenient UTF-8, the user's per-file override or global fallback, a detector for longer
files, and finally cp1252. Every guess is announced in the returned warnings. Then UTF-8
that had been encoded twice is repaired, line ends become LF, control characters go and the
text is composed to NFC. Binary files raise DumpError; nothing else is ever raised.
"""

from __future__ import annotations

import codecs
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.errors import DumpError, Problem
from generator.legacy_codecs import (
    LAST_RESORT,
    canonical_name,
    count_bytes,
    detect_encoding,
)

Method = Literal[
    "utf8", "bom", "utf16-heuristic", "utf8-lenient", "override", "detected", "fallback"
]

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one)."""

BINARY_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"%PDF-",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",
)
"""Opening bytes of PNG, GIF, JPEG, PDF, ZIP (and its empty form) and gzip files."""

DETECTOR_MIN_BYTES = 200
CONTROL_CHAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""One control character to drop. Without a ``+``: a clean text is searched for the first
one, and the engine finds none faster than it rules out runs of them."""
LINE_BREAKS = re.compile("\r\n?")
UNICODE_SEPARATORS = re.compile("[\u2028\u2029]")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
CONTINUATION_BYTE = {
    char: byte
    for byte in range(0x80, 0xC0)
    for char in (chr(byte), bytes([byte]).decode(LAST_RESORT, "ignore") or chr(byte))
}
"""How a UTF-8 continuation byte reads in cp1252 or Latin-1, back to the byte."""
CONTINUATION = "[" + re.escape("".join(sorted(CONTINUATION_BYTE))) + "]"
DOUBLE_ENCODED = re.compile(
    f"[\u00c2-\u00df]{CONTINUATION}|[\u00e0-\u00ef]{CONTINUATION}{{2}}"
    f"|[\u00f0-\u00f4]{CONTINUATION}{{3}}"
)
"""UTF-8 sequences of two to four bytes that were decoded one byte per character."""
DOUBLE_ENCODED_PUNCTUATION = re.compile(f"\u00e2{CONTINUATION}{{2}}")
ASCII_BYTES = bytes(range(0x80))


@dataclass(frozen=True)
class DecodedText:
    """A dump's text, with the encoding and ladder rung that produced it."""

    text: str
    """Clean text: LF line ends, no control characters except tab, NFC."""
    encoding: str
    """Python codec name, e.g. ``utf-8`` or ``cp1252``."""
    method: Method
    """Which rung of the ladder decoded it."""
    warnings: tuple[str, ...] = ()
    """Things the user may want to check, as sentences."""


def decode_dump(
    data: bytes, *, name: str, override: str | None = None, fallback: str | None = None
) -> DecodedText:
    """Decode a dump by the ladder and clean the text; an override beats all but a BOM."""
    if override is None:
        return finish(decode_by_ladder(data, name=name, fallback=fallback))
    check_not_binary(data, name=name, wide=is_wide_codec(override, name=name))
    by_bom = decode_bom(data)
    if by_bom is None:
        return finish(decode_with_user_codec(data, override, name=name, method="override"))
    return finish(bom_over_override(by_bom, override))


def bom_over_override(by_bom: DecodedText, override: str) -> DecodedText:
    """A byte-order mark beats a legacy override, which must be stale; say so."""
    if by_bom.encoding.startswith(canonical_name(override) or "?"):
        return by_bom
    warning = (
        f"starts with a {by_bom.encoding} byte-order mark, so it was decoded as "
        f"{by_bom.encoding}, not as {override} from encoding_overrides"
    )
    return DecodedText(by_bom.text, by_bom.encoding, by_bom.method, (*by_bom.warnings, warning))


def decode_by_ladder(data: bytes, *, name: str, fallback: str | None) -> DecodedText:
    """Walk the ladder from the byte-order mark down to the last-resort codec."""
    check_magic(data, name=name)
    found = decode_bom(data) or decode_utf16_heuristic(data)
    if found is not None:
        return found
    check_nul_ratio(data, name=name)
    found = decode_utf8(data) or decode_utf8_lenient(data)
    if found is not None:
        return found
    if fallback is not None:
        return decode_with_user_codec(data, fallback, name=name, method="fallback")
    found = decode_detected(data)
    return found if found is not None else decode_last_resort(data)


def finish(raw: DecodedText) -> DecodedText:
    """Repair double encoding, normalise line ends, drop control characters, compose NFC."""
    text, repaired = raw.text.removeprefix("\ufeff"), 0
    if raw.encoding.startswith("utf"):
        text, repaired = repair_double_encoding(text)
    text, removed = drop_controls(normalise_line_ends(text))
    warnings = raw.warnings
    if repaired:
        noun = "character" if repaired == 1 else "characters"
        warnings += (
            f"repaired {repaired} {noun} that had been encoded twice "
            "(such as \u00e2\u20ac\u2122 for \u2019)",
        )
    if removed:
        noun = "character" if removed == 1 else "characters"
        warnings += (f"removed {removed} control {noun} (such as NUL) from the text",)
    text = unicodedata.normalize("NFC", text)
    return DecodedText(text if text.strip() else "", raw.encoding, raw.method, warnings)


def normalise_line_ends(text: str) -> str:
    """CR LF and CR become LF; Unicode line and paragraph separators become spaces."""
    if "\r" in text:
        text = LINE_BREAKS.sub("\n", text)
    if "\u2028" in text or "\u2029" in text:
        text = UNICODE_SEPARATORS.sub(" ", text)
    return text


def drop_controls(text: str) -> tuple[str, int]:
    """Remove C0 controls except tab and LF, DEL and C1 controls; return the count."""
    if CONTROL_CHAR.search(text) is None:
        return text, 0
    cleaned = CONTROL_CHAR.sub("", text)
    return cleaned, len(text) - len(cleaned)


def repair_double_encoding(text: str) -> tuple[str, int]:
    """Undo UTF-8 read as cp1252 or Latin-1, when a telltale such as "â€™" proves it."""
    if not any(map(is_double_encoded_punctuation, DOUBLE_ENCODED_PUNCTUATION.findall(text))):
        return text, 0
    repaired = 0

    def undo(match: re.Match[str]) -> str:
        nonlocal repaired
        original = undo_double_encoding(match.group())
        repaired += original is not None
        return match.group() if original is None else original

    return DOUBLE_ENCODED.sub(undo, text), repaired


def undo_double_encoding(chars: str) -> str | None:
    """The character whose UTF-8 bytes these cp1252/Latin-1 characters are, if any."""
    try:
        return bytes(CONTINUATION_BYTE.get(char, ord(char)) for char in chars).decode("utf-8")
    except UnicodeDecodeError:
        return None


def is_double_encoded_punctuation(chars: str) -> bool:
    """Whether the characters are the UTF-8 of a general punctuation mark (’ “ ” – — …)."""
    original = undo_double_encoding(chars)
    return original is not None and "\u2000" <= original <= "\u206f"


# --- binary detection -------------------------------------------------------------------


def check_magic(data: bytes, *, name: str) -> None:
    """Raise DumpError when the data opens like an image, PDF or archive."""
    if data.startswith(BINARY_MAGIC):
        raise DumpError(Problem(name, "binary file, not a text dump"))


def check_nul_ratio(data: bytes, *, name: str) -> None:
    """Raise DumpError when more than 1 % of the bytes are NUL."""
    if data and data.count(0) * 100 > len(data):
        raise DumpError(Problem(name, "binary file, not a text dump"))


def check_not_binary(data: bytes, *, name: str, wide: bool) -> None:
    """Apply the binary checks; NUL-heavy data is fine for a UTF-16/32 override."""
    check_magic(data, name=name)
    if not wide and not data.startswith(tuple(bom for bom, _ in BOMS)):
        check_nul_ratio(data, name=name)


# --- rungs --------------------------------------------------------------------------------


def decode_bom(data: bytes) -> DecodedText | None:
    """Decode by the byte-order mark, if there is one, and drop the mark."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text, replaced = decode_counting(data[len(bom) :], encoding)
            if encoding == "utf-8" and replaced:
                return DecodedText(text, encoding, "bom", (utf8_damage_warning(data),))
            return DecodedText(text, encoding, "bom", replacement_warning(encoding, replaced))
    return None


def decode_utf16_heuristic(data: bytes) -> DecodedText | None:
    """Recognise BOM-less UTF-16 by NUL bytes in every other position."""
    pairs = len(data) // 2
    if not pairs:
        return None
    even_nuls = data[0 : 2 * pairs : 2].count(0) / pairs
    odd_nuls = data[1::2].count(0) / pairs
    if odd_nuls >= 0.4 and even_nuls < 0.05:
        encoding = "utf-16-le"
    elif even_nuls >= 0.4 and odd_nuls < 0.05:
        encoding = "utf-16-be"
    else:
        return None
    text, replaced = decode_counting(data, encoding)
    return DecodedText(text, encoding, "utf16-heuristic", replacement_warning(encoding, replaced))


def decode_utf8(data: bytes) -> DecodedText | None:
    """Strict UTF-8, the common case."""
    try:
        return DecodedText(data.decode("utf-8"), "utf-8", "utf8")
    except UnicodeDecodeError:
        return None


def decode_utf8_lenient(data: bytes) -> DecodedText | None:
    """Keep UTF-8 with U+FFFD when the file is clearly UTF-8 with a few bad bytes."""
    valid_text = data.decode("utf-8", "ignore")
    invalid = len(data) - len(valid_text.encode("utf-8"))
    multibyte = len(valid_text) - count_bytes(data, ASCII_BYTES)
    if multibyte < invalid and not (invalid * 100 <= len(data) and multibyte > 0):
        return None
    warning = utf8_damage_warning(data)
    return DecodedText(data.decode("utf-8", "replace"), "utf-8", "utf8-lenient", (warning,))


def utf8_damage_warning(data: bytes) -> str:
    """How many bytes are not valid UTF-8 and where the first one is."""
    invalid = len(data) - len(data.decode("utf-8", "ignore").encode("utf-8"))
    noun = "invalid byte" if invalid == 1 else "invalid bytes"
    return (
        f"not valid UTF-8: {invalid} {noun}, first at offset {first_invalid_offset(data)}, "
        "replaced with U+FFFD; the rest was decoded as UTF-8"
    )


def first_invalid_offset(data: bytes) -> int:
    """Byte offset of the first byte that is not valid UTF-8 (0 if there is none)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return 0


def decode_with_user_codec(data: bytes, codec: str, *, name: str, method: Method) -> DecodedText:
    """Decode with a codec the user named; raise DumpError when it is not a text codec."""
    setting = "encoding_overrides" if method == "override" else "fallback_encoding"
    encoding = canonical_codec(codec, name=name, setting=setting)
    try:
        text, replaced = decode_counting(data, encoding)
    except Exception as error:  # a user-named codec may be any codec at all
        message = f"cannot decode with {codec!r} from {setting}: {error}"
        raise DumpError(Problem(name, message)) from error
    text, surrogates = LONE_SURROGATE.subn("\ufffd", text)
    warnings = replacement_warning(encoding, replaced + surrogates)
    if method == "fallback":
        warnings = (legacy_warning(encoding, "fallback_encoding", replaced + surrogates),)
    return DecodedText(text, encoding, method, warnings)


def decode_detected(data: bytes) -> DecodedText | None:
    """Ask the detector (only for longer files), preferring cp1252 on a near tie."""
    if len(data) < DETECTOR_MIN_BYTES:
        return None
    encoding = detect_encoding(data)
    if encoding is None:
        return None
    text, replaced = decode_counting(data, encoding)
    return DecodedText(text, encoding, "detected", (guessed_warning(encoding, replaced),))


def decode_last_resort(data: bytes) -> DecodedText:
    """cp1252, strict when possible, else with replacements."""
    text, replaced = decode_counting(data, LAST_RESORT)
    return DecodedText(text, LAST_RESORT, "fallback", (guessed_warning(LAST_RESORT, replaced),))


# --- small pieces ------------------------------------------------------------------------


def decode_counting(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode strictly, else with U+FFFD; return the text and the number of replacements."""
    try:
        return data.decode(encoding), 0
    except UnicodeDecodeError:
        text = data.decode(encoding, "replace")
        return text, max(1, text.count("\ufffd") - count_genuine_replacements(data, encoding))


def count_genuine_replacements(data: bytes, encoding: str) -> int:
    """U+FFFD characters that were already in the data (only UTF codecs can carry them)."""
    if not encoding.startswith("utf"):
        return 0
    return data.count("\ufffd".encode(encoding))


def canonical_codec(codec: str, *, name: str, setting: str) -> str:
    """Canonical name of a user-given codec; DumpError naming it when it is unknown."""
    encoding = canonical_name(codec)
    if encoding is None:
        raise DumpError(Problem(name, f"unknown encoding {codec!r} in {setting}"))
    return encoding


def is_wide_codec(codec: str, *, name: str) -> bool:
    """Whether the codec is UTF-16 or UTF-32, whose text is full of NUL bytes."""
    encoding = canonical_codec(codec, name=name, setting="encoding_overrides")
    return encoding.startswith(("utf-16", "utf-32"))


def replacement_warning(encoding: str, replaced: int) -> tuple[str, ...]:
    """A warning when some bytes could not be decoded, else nothing."""
    if not replaced:
        return ()
    noun = "sequence" if replaced == 1 else "sequences"
    return (f"{replaced} invalid {noun} in {encoding} replaced with U+FFFD",)


def guessed_warning(encoding: str, replaced: int) -> str:
    """The announcement of a guessed legacy encoding."""
    return legacy_warning(encoding, "guessed", replaced)


def legacy_warning(encoding: str, how: str, replaced: int) -> str:
    """The announcement of a legacy encoding chosen without certainty."""
    noun = "replacement" if replaced == 1 else "replacements"
    return (
        f"not UTF-8; decoded as {encoding} ({how}; {replaced} {noun}) "
        "— set encoding_overrides if wrong"
    )


# --- reading -----------------------------------------------------------------------------


def read_dump_bytes(path: Path, *, name: str, max_bytes: int) -> bytes:
    """Read a dump's bytes, refusing oversized or special files before reading them.

    The read asks for the size ``stat`` gave and one byte more, which tells whether the
    file grew since; only then does it read on, up to the limit. (Asking for the limit
    itself made the reader allocate a buffer of ``max_dump_mb``, 20 MB, for every file.)
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise DumpError(Problem(name, "not a regular file, so it cannot be a text dump"))
        check_size(info.st_size, name=name, max_bytes=max_bytes)
        with path.open("rb", buffering=0) as handle:
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew after we looked at it
                data += handle.read(max_bytes + 1 - len(data))
    except FileNotFoundError as error:
        raise DumpError(Problem(name, "vanished before it could be read")) from error
    except OSError as error:
        reason = error.strerror or str(error)
        raise DumpError(Problem(name, f"cannot be read: {reason}")) from error
    if len(data) > max_bytes:
        limit = size_in_words(max_bytes, max_bytes)
        raise DumpError(Problem(name, f"grew past the max_dump_mb limit of {limit} as it was read"))
    return data


def check_size(size: int, *, name: str, max_bytes: int) -> None:
    """Raise DumpError when a file is larger than the limit."""
    if size > max_bytes:
        message = (
            f"file is {size_in_words(size, max_bytes)}, over the max_dump_mb limit of "
            f"{size_in_words(max_bytes, size)}"
        )
        raise DumpError(Problem(name, message))


def size_in_words(size: int, other: int) -> str:
    """A byte count in MB (2**20 bytes, one decimal), or in bytes if MB hides the difference."""
    rounded = f"{size / 2**20:.1f}".removesuffix(".0")
    if rounded == f"{other / 2**20:.1f}".removesuffix(".0"):
        return f"{size:,} bytes"
    return f"{rounded} MB"
