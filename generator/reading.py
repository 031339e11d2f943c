"""Word counts and reading-time ranges, from characters per minute for each language."""

from __future__ import annotations

import math
import re

from generator.model import Block

# Reading speed in characters per minute, mean and standard deviation, by language
# (Trauzettel-Klosinski and Dietz, 2012, the figures Firefox's reader view uses).
CHARS_PER_MINUTE: dict[str, tuple[int, int]] = {
    "ar": (612, 88), "de": (920, 86), "en": (987, 118), "es": (1025, 127),
    "fi": (1078, 121), "fr": (998, 126), "he": (833, 130), "it": (950, 140),
    "ja": (357, 56), "nl": (978, 143), "pl": (916, 126), "pt": (913, 145),
    "ru": (986, 175), "sk": (885, 145), "sv": (917, 156), "tr": (1054, 156),
    "zh": (255, 29),
}  # fmt: skip
DEFAULT_SPEED = CHARS_PER_MINUTE["en"]
WORD = re.compile(r"\w+(?:['’-]\w+)*")
CJK_CHAR = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
"""One CJK character, compiled on first use (see ``dump.lines.CJK_CHAR``, which the parser
keeps to itself: it imports nothing from the site's layers)."""


BELOW_U3000 = bytes(range(0xE3))
"""The UTF-8 bytes of characters before U+3000, which every CJK character comes after."""


def has_cjk(text: str) -> bool:
    """Whether the text holds a CJK character."""
    if text.isascii() or not text.encode("utf-8", "surrogatepass").translate(None, BELOW_U3000):
        return False  # (three times as fast as searching, and nothing to compile)
    return re.search(CJK_CHAR, text) is not None


def count_words(text: str) -> int:
    """Words in ``text``; each CJK character counts as one, since those scripts use no spaces.

    A word is a match of ``WORD``: runs of word characters, joined by one apostrophe or
    hyphen. Finding every match took about 150 us for a 6 KB body; counting runs and
    joins over the text's bytes gives the same number in a third of that (see
    ``words_by_bytes``).
    """
    if text.isascii():
        return words_by_bytes(text.encode("ascii"))
    if has_cjk(text):
        cjk = len(re.findall(CJK_CHAR, text))
        return cjk + len(WORD.findall(re.sub(CJK_CHAR, " ", text)))
    for mark in COMMON_MARKS:
        if mark in text:
            text = text.replace(mark, " ")
    data = text.replace("\u2019", "'").encode("utf-8", "surrogatepass")
    others = data.translate(None, ASCII_BYTES)
    if others and not others.decode("utf-8", "surrogatepass").isalnum():
        return len(WORD.findall(text))  # rarer marks: the regex knows what is a word
    return words_by_bytes(data)


COMMON_MARKS = "\u201c\u201d\u2018\u201e\u2013\u2014\u2026\u00a0\u00ab\u00bb\u2022\u00b7\u00a9"
"""Frequent non-ASCII marks and spaces that are no part of a word (quotes, dashes,
ellipsis, no-break space, bullets), blanked before counting; the apostrophe U+2019 joins
words like ``'`` and becomes one. (The parser blanks the same marks to split lines into
words, in ``dump.lines``; it keeps its own copy, as it imports nothing from here.)"""
ASCII_BYTES = bytes(range(0x80))
WORD_BYTES = bytes(
    1 if byte >= 0x80 or chr(byte).isalnum() or byte == 0x5F else 0 for byte in range(256)
)
"""1 for a byte of a word character: ASCII letters, digits and ``_``, and every byte of a
non-ASCII character (``count_words`` checks that those are all letters or digits)."""
BLANK_NON_WORD = bytes(byte if WORD_BYTES[byte] else 0x20 for byte in range(256))


def words_by_bytes(data: bytes) -> int:
    """The matches of ``WORD`` in UTF-8 text whose non-ASCII characters are all word
    characters: its runs of word bytes, less the apostrophes and hyphens that join two."""
    runs = len(data.translate(BLANK_NON_WORD).split())
    last = len(data) - 1
    for joiner in b"'-":
        at = data.find(joiner, 1)
        while 0 < at < last:
            if WORD_BYTES[data[at - 1]] and WORD_BYTES[data[at + 1]]:
                runs -= 1
            at = data.find(joiner, at + 1)
    return runs


def blocks_text(blocks: tuple[Block, ...]) -> str:
    """The readable text of a body, for counting."""
    return "\n".join(block.text for block in blocks)


def reading_minutes(text: str, lang: str | None) -> tuple[int, int]:
    """A (fast, slow) reading time in whole minutes, never below one."""
    return minutes_for(visible_chars(text), lang)


def visible_chars(text: str) -> int:
    """Characters a reader goes through: runs of spacing count as one."""
    return len(" ".join(text.split()))


def text_counts(text: str) -> tuple[int, int]:
    """(words, characters) of a text, what word counts and reading times are made of."""
    return count_words(text), visible_chars(text)


def html_text(html: str) -> str:
    """Text of rendered Markdown, for counting words."""
    return re.sub(r"<[^>]+>", " ", html)


def minutes_for(characters: int, lang: str | None) -> tuple[int, int]:
    """A (fast, slow) reading time for this many characters in this language."""
    mean, deviation = CHARS_PER_MINUTE.get((lang or "en")[:2], DEFAULT_SPEED)
    fast = max(1, math.ceil(characters / (mean + deviation)))
    slow = max(fast, math.ceil(characters / (mean - deviation)))
    return fast, slow


EXCERPT_CHARS = 200
"""About two lines of text: what listings show of an article."""


def excerpt(blocks: tuple[Block, ...]) -> str:
    """About two lines of the body's first paragraphs, cut on a word boundary."""
    parts: list[str] = []
    length = 0
    for block in blocks:
        if block.kind == "paragraph" and length <= EXCERPT_CHARS + 40:
            parts.append(block.text)
            length += len(block.text) + 1
    text = " ".join(parts)[: EXCERPT_CHARS + 40]
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[:EXCERPT_CHARS].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
