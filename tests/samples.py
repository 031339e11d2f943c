"""Generated sample text for tests that need many distinct articles.

Builds merge dumps whose bodies are mostly the same and drop paragraphs a source repeats
in several dumps, so every generated article is made of its own seeded random words.
"""

from __future__ import annotations

import random

WORDS = (
    *("river", "stone", "lantern", "orchard", "meadow", "harbour", "canal", "ferry"),
    *("window", "garden", "bridge", "market", "chapel", "quarry", "mill", "beacon"),
    *("copper", "willow", "thistle", "granite", "pebble", "saddle", "kettle", "ladder"),
    *("morning", "evening", "winter", "summer", "autumn", "harvest", "festival", "parade"),
    *("painted", "quiet", "crowded", "narrow", "ancient", "hidden", "golden", "broken"),
    *("walked", "counted", "measured", "repaired", "carried", "opened", "noticed", "built"),
    *("teacher", "baker", "sailor", "miller", "weaver", "mason", "farmer", "ranger"),
    *("railway", "tower", "fountain", "library", "school", "station", "museum", "theatre"),
)


def words(seed: str, count: int) -> str:
    """``count`` words drawn at random, the same ones every time for the same seed."""
    chooser = random.Random(seed)
    return " ".join(chooser.choice(WORDS) for _ in range(count))


def prose(seed: str, sentences: int = 3) -> str:
    """Plain English-shaped sentences of seeded random words, so parsers keep them as text."""
    chooser = random.Random(seed)
    return " ".join(
        f"The {' '.join(chooser.choices(WORDS, k=2))} near the {chooser.choice(WORDS)} was "
        f"{chooser.choice(WORDS)} by a {chooser.choice(WORDS)} on a {chooser.choice(WORDS)} "
        f"day, and everyone in the {chooser.choice(WORDS)} could see it from there."
        for _ in range(sentences)
    )


def note_dump(number: int, paragraphs: int = 3) -> str:
    """A short, distinct article numbered ``number``."""
    body = "\n\n".join(prose(f"{number}-{p}") for p in range(paragraphs))
    return f"Field note {number}: {words(str(number), 5)}\n\n{body}\n"


def note_dumps(count: int, folder: str = "notes") -> dict[str, str | bytes]:
    """``count`` distinct dumps under ``folder``, named by number."""
    return {f"{folder}/note-{number:03d}.txt": note_dump(number) for number in range(count)}
