"""Word counts and tokens across scripts: CJK characters count one each, other scripts by
their words (the CJK patterns are compiled only for text that has such characters)."""

from __future__ import annotations

import pytest

from generator.dump.lines import has_cjk, tokenize
from generator.reading import count_words


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
