"""The dump's language: common languages decided from their own lists, others from all lists."""

from __future__ import annotations

from collections import Counter

import pytest

from generator.dump.language import (
    INDEX_AFTER,
    _CommonStopwords,
    _sample_parts,
    _sample_tokens,
    detect_language,
)
from generator.dump.lines import split_lines

_SAMPLES = {
    "ca": (
        "La ciutat ha obert aquest matí el nou mercat del barri, que tindrà més de quaranta "
        "parades i estarà obert cada dia de la setmana. Els veïns diuen que és una bona notícia "
        "per a tothom, perquè fins ara havien d'anar molt lluny per comprar."
    ),
    "da": (
        "Byen har i dag åbnet det nye marked i kvarteret, og det vil have mere end fyrre boder "
        "og være åbent hver dag i ugen. Naboerne siger, at det er en god nyhed for alle, fordi "
        "de indtil nu har måttet gå langt for at handle."
    ),
    "id": (
        "Saya pergi ke pasar untuk membeli sayur dan buah karena hari ini adalah hari libur dan "
        "saya tidak bekerja. Di pasar itu ada banyak orang yang juga ingin membeli makanan untuk "
        "keluarga mereka."
    ),
    "uk": (
        "Місто сьогодні відкрило новий ринок у районі, де буде понад сорок прилавків, і він "
        "працюватиме щодня. Мешканці кажуть, що це добра новина для всіх, бо досі їм "
        "доводилося далеко ходити по покупки."
    ),
}


@pytest.mark.parametrize("lang", sorted(_SAMPLES))
def test_detects_a_close_relative_of_a_common_language(lang: str) -> None:
    assert detect_language(split_lines(_SAMPLES[lang])) == lang


def test_common_stopwords_count_the_same_before_and_after_they_are_indexed() -> None:
    """A process looks its first dumps' words up list by list, then builds an index:
    both ways must give every common language the same count."""
    samples = [*_SAMPLES.values(), "The cat sat on the mat, and it was a good day for it."]
    tops = [
        Counter(_sample_tokens(_sample_parts(split_lines(text)))).most_common() for text in samples
    ]
    tops.append([("und", 2), ("the", 5), ("de", 3), ("nowordatall", 7), ("i", 1)])
    listed = _CommonStopwords()
    by_list = [listed.coverage(top) for top in tops]
    assert listed.indexed is None and listed.looked_up == len(tops)
    indexed = _CommonStopwords()
    indexed.looked_up = INDEX_AFTER
    assert [indexed.coverage(top) for top in tops] == by_list
    assert indexed.indexed is not None
    assert any(by_list[-1]), "the sample words are in the lists"
