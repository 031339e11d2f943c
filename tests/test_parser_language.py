"""The dump's language: common languages decided from their own lists, others from all lists."""

from __future__ import annotations

import pytest

from generator.dump.language import detect_language
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
