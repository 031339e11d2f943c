"""Word counts and tokens across scripts: CJK characters count one each, other scripts by
their words (the CJK patterns are compiled only for text that has such characters)."""

from __future__ import annotations

import random
import re

import pytest

from generator.dump.lines import has_cjk, split_lines, tokenize
from generator.reading import WORD, count_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The ferry left at dawn.", 5),
        ("Le bac est parti à l’aube, déjà plein.", 8),
        ("Паром ушёл на рассвете.", 4),
        ("Το πλοίο έφυγε νωρίς.", 4),
        ("渡し船は夜明けに出た", 10),
        ("페리는 새벽에 떠났다", 9),
        ("Tokyo 渡し船 ferry", 5),
    ],
)
def test_words_are_counted_in_every_script(text: str, words: int) -> None:
    assert count_words(text) == words


PIECES = [
    *"ab_1 \n\t.,'-\u2019\u00e9\u00fc\u00ab\u00bb\u2014\u2013\u2026\u00a0",
    "l\u2019\u00e9t\u00e9", "rock-'n'-roll", "a--b", "don't", "well-known",
    "\u00b2", "\u2163", "\u200b", "\u0640", "e\u0301", "\u2028", "\ud800", "\u0416", "\u05d0",
]  # fmt: skip
"""Words, joiners, marks, and characters where being a word character is less obvious
(superscript two, a Roman numeral, a zero-width space, a tatweel, a combining accent, a
lone surrogate)."""


def test_word_counts_are_the_matches_of_the_word_pattern() -> None:
    # The counting takes shortcuts over the text's bytes; the pattern says what a word is.
    shuffled = random.Random(7)
    for _ in range(20_000):
        text = "".join(shuffled.choice(PIECES) for _ in range(shuffled.randint(0, 12)))
        assert count_words(text) == len(WORD.findall(text)), repr(text)


def test_tokens_and_line_words_are_the_lower_cased_word_runs() -> None:
    # Both split blanked text at spaces when they can; the regex says what a word is.
    shuffled = random.Random(11)
    pieces = [*PIECES, "\u0130", "\u00df", "\x1c", "\x0b", "\u00c9COLE"]
    for _ in range(5_000):
        text = "".join(shuffled.choice(pieces) for _ in range(shuffled.randint(0, 12)))
        assert tokenize(text) == tuple(re.findall(r"\w+", text.lower())), repr(text)
        multiline = f"{text}\n{text.upper()} x\n\u00e9t\u00e9 {text}"
        for line in split_lines(multiline):
            assert line.words == tuple(re.findall(r"\w+", line.text.lower())), repr(text)


def test_cjk_characters_are_one_token_each_and_other_words_whole() -> None:
    assert tokenize("Der Fährmann öffnet früh") == ("der", "fährmann", "öffnet", "früh")
    assert tokenize("Паром Ушёл") == ("паром", "ушёл")
    assert tokenize("Ferry 渡し船 Ōsaka") == ("ferry", "渡", "し", "船", "ōsaka")


def test_only_cjk_characters_make_text_cjk() -> None:
    assert not has_cjk("ASCII only")
    assert not has_cjk("Ελληνικά, русский, עברית, العربية and ‘quotes’ …")
    assert not has_cjk("\u303f is the last mark before kana")
    assert has_cjk("a kana: \u3041")
    assert has_cjk("a Hangul syllable: 한")
    assert has_cjk("a compatibility ideograph: \uf900")
