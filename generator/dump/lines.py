"""Split a dump into lines and measure each one: the features every rule reads."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

CJK_RANGES = "\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
BELOW_U3000 = bytes(range(0xE3))
"""The UTF-8 bytes of characters before U+3000 (every CJK character comes after): what is
left of a text's UTF-8 once they are deleted holds its later characters."""
CJK_CHAR = f"[{CJK_RANGES}]"
"""One CJK character. CJK patterns stay text, compiled (and cached by ``re``) on their
first use: compiling their large character ranges takes 2-4 ms each, paid by every
process that parses, while most archives hold no CJK text at all."""
_WORD = rf"[{CJK_RANGES}]|[^\W{CJK_RANGES}]+"
"""Lower-cased words and CJK characters (compiled on first use)."""
_LIST_START = frozenset("•·▪▫◦‣●○■□►▶➤✓✔☐✗-–—*+(0123456789")
_SPACES = frozenset(" \t\u00a0")
_BULLET = re.compile(r"^(?:[•·▪▫◦‣●○■□►▶➤✓✔☐✗\-–—*+]\s+)")
_BULLET_CHARS = frozenset("•·▪▫◦‣●○■□►▶➤✓✔☐✗-–—*+")
_NUMBERED = re.compile(r"^(?:\(?(\d{1,3})[.)]|\(?([a-zA-Z])\))\s+(?=\S)")
_SENTENCE_END = tuple(".!?…:;。！？」』)\"”»'’")
_INVISIBLE = re.compile("[\u200b\u00ad\ufeff\u200e\u200f]")


class Line(NamedTuple):
    """One non-blank dump line with the measurements rules look at.

    A NamedTuple rather than a frozen dataclass: a batch builds tens of thousands of
    these, and a tuple is built several times faster (equally immutable).
    """

    position: int
    """Position among the non-blank lines, from 0."""
    number: int
    """Line number in the original file (1-based)."""
    text: str
    """The line stripped of surrounding and invisible whitespace."""
    indent: int
    """Leading spaces and tabs (a tab counts 4)."""
    blank_before: bool
    """Whether a blank line (or the start of the dump) comes just before."""
    blank_after: bool
    """Whether a blank line (or the end of the dump) comes just after."""
    words: tuple[str, ...]
    """Lower-cased word tokens; each CJK character is one token."""
    cjk: int
    """How many CJK characters the line holds."""
    size: float
    """Word-equivalent size: CJK text counts about two characters per word."""
    ends_sentence: bool
    """Whether the line ends like a sentence does."""
    bullet: str | None
    """``-`` for a bulleted line, ``1`` for a numbered one, None otherwise."""

    @property
    def n_words(self) -> int:
        """Token count (CJK characters count one each)."""
        return len(self.words)

    @property
    def unbulleted(self) -> str:
        """The text without its list bullet or number."""
        if self.bullet == "-":
            return _BULLET.sub("", self.text, count=1).strip()
        if self.bullet == "1":
            return _NUMBERED.sub("", self.text, count=1).strip()
        return self.text


def bullet_of(text: str) -> str | None:
    """``-`` when the text starts with a bullet, ``1`` with a list number, else None."""
    first = text[:1]
    if first in _BULLET_CHARS and _BULLET.match(text):
        return "-"
    if (first.isdigit() or first == "(" or first.isalpha()) and _NUMBERED.match(text):
        return "1"
    return None


def _ascii_table() -> bytes:
    """A byte table that lower-cases ASCII letters and turns non-word bytes into spaces."""
    word = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
    return bytes((byte | 0x20 if chr(byte).isalpha() else byte) if byte in word else 0x20
                 for byte in range(256))  # fmt: skip


_ASCII_TABLE = _ascii_table()
_ASCII_TABLE_BY_LINE = _ASCII_TABLE[:10] + b"\n" + _ASCII_TABLE[11:]
"""The same table keeping newlines, to tokenize a whole dump at once and split it by line."""
_UTF8_TABLE = bytes(
    byte if byte >= 0x80 or byte == 0x0A or chr(byte).isalnum() or byte == 0x5F else 0x20
    for byte in range(256)
)
"""Blanks ASCII non-word bytes of UTF-8 text; multi-byte characters pass unchanged."""
_WORD_RUN = re.compile(r"\w+")
_COMMON_MARKS = (
    "\u2019\u201c\u201d\u2018\u201e\u2013\u2014\u2026\u00a0\u00ab\u00bb\u2022\u00b7\u00a9"
)
"""Frequent non-ASCII marks and spaces (quotes, dashes, ellipsis, no-break space, bullets):
never part of a ``\\w+`` word, so blanking them leaves every line's words as they were."""


def ascii_words(text: str) -> list[str]:
    """The lower-cased ``\\w+`` tokens of an ASCII text (a byte table: faster than a regex)."""
    return text.encode("ascii").translate(_ASCII_TABLE).decode("ascii").split()


def _words_by_line(text: str, has_cjk: bool) -> list[tuple[str, ...]] | None:
    """The lower-cased words of each line of the text (None for CJK text).

    One pass over the whole dump instead of one regex search per line: a byte table blanks
    ASCII punctuation, and the common marks are blanked too; then, unless other marks
    remain, every line splits at spaces into its words. Lines that still hold other
    marks need the regex.
    """
    if has_cjk:
        return None
    if text.isascii():
        by_line = text.encode("ascii").translate(_ASCII_TABLE_BY_LINE).decode("ascii")
        return [tuple(line.split()) for line in by_line.split("\n")]
    blanked = _blanked(text.lower())
    if _only_letters_beyond_ascii(blanked):
        return [tuple(line.split()) for line in blanked.split("\n")]
    return [
        tuple(line.split()) if line.isascii() else tuple(_WORD_RUN.findall(line))
        for line in blanked.split("\n")
    ]


def _blanked(text: str) -> str:
    """The text with ASCII non-word characters and the common marks made spaces: its
    ``\\w+`` words, and its lines, stay as they were."""
    encoded = text.encode("utf-8", "surrogatepass")
    blanked = encoded.translate(_UTF8_TABLE).decode("utf-8", "surrogatepass")
    for mark in _COMMON_MARKS:
        if mark in blanked:
            blanked = blanked.replace(mark, " ")
    return blanked


_ASCII_BYTES = bytes(range(0x80))


def _only_letters_beyond_ascii(text: str) -> bool:
    """Whether every non-ASCII character of the text is a letter or a digit. Then, once
    the ASCII non-word characters are blanked, splitting at spaces finds the ``\\w+``
    words: ``str.isalnum`` holds for exactly the regex's word characters less ``_``."""
    beyond = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return not beyond or beyond.decode("utf-8", "surrogatepass").isalnum()


def has_cjk(text: str) -> bool:
    """Whether the text holds a CJK character."""
    if text.isascii() or not text.encode("utf-8", "surrogatepass").translate(None, BELOW_U3000):
        return False  # (three times as fast as searching, and nothing to compile)
    return re.search(CJK_CHAR, text) is not None


def tokenize(text: str) -> tuple[str, ...]:
    """Lower-cased word tokens of a text; CJK characters are one token each."""
    if text.isascii():
        return tuple(ascii_words(text))
    if not has_cjk(text):
        blanked = _blanked(text.lower())
        if _only_letters_beyond_ascii(blanked):
            return tuple(blanked.split())
        return tuple(_WORD_RUN.findall(blanked))
    return tuple(re.findall(_WORD, text.lower()))


def _indent_of(raw: str) -> int:
    """Width of the leading whitespace of a raw line."""
    stripped = raw.lstrip(" \t\u00a0")
    head = raw[: len(raw) - len(stripped)]
    return head.count("\t") * 4 + len(head) - head.count("\t")


def _normalise(text: str) -> str:
    """The whole dump in NFC with invisible characters removed."""
    if text.isascii():
        return text
    text = _INVISIBLE.sub("", text)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


_new_line = tuple.__new__
"""Builds a Line from its fields in order without the NamedTuple's Python-level __new__."""


def split_lines(text: str, first_line: int = 1) -> tuple[Line, ...]:
    """The non-blank lines of a dump, measured, with their original line numbers."""
    normalised = _normalise(text)
    raw_lines = normalised.split("\n")
    cleaned = [raw.strip() for raw in raw_lines]
    cjk_text = has_cjk(normalised)
    by_line = _words_by_line(normalised, cjk_text)
    out: list[Line] = []
    for i, (raw, clean) in enumerate(zip(raw_lines, cleaned, strict=True)):
        if not clean:
            continue
        words = by_line[i] if by_line is not None else tuple(re.findall(_WORD, clean.lower()))
        cjk = len(re.findall(CJK_CHAR, clean)) if cjk_text else 0
        out.append(
            _new_line(
                Line,
                (
                    len(out),
                    first_line + i,
                    clean,
                    _indent_of(raw) if raw[:1] in _SPACES else 0,
                    i == 0 or not cleaned[i - 1],
                    i + 1 >= len(cleaned) or not cleaned[i + 1],
                    words,
                    cjk,
                    len(words) - cjk / 2,
                    clean.endswith(_SENTENCE_END),
                    bullet_of(clean) if clean[0] in _LIST_START or clean[1:2] == ")" else None,
                ),
            )
        )
    return tuple(out)
