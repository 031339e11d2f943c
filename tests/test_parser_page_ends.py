"""Where an article stops: labels that open card feeds, and menu words repeated in it."""

from __future__ import annotations

from generator.dump import parse_dump
from generator.dump.lines import split_lines
from generator.dump.rules import LineContext, furniture_labels

_PARAGRAPHS = (
    "The council agreed on Tuesday to open the old swimming pool again next spring, after "
    "two years in which the building stood empty and the roof was repaired.",
    "The cost of the repairs was higher than planned, and the council had to borrow part of "
    "the money from the regional bank, which it will pay back over ten years.",
    "Swimming clubs in the town welcomed the decision and said that they would move their "
    "training sessions back from the neighbouring town as soon as the pool opens.",
    "The pool will be open every day of the week, with early hours for swimmers who want "
    "to train before work and quiet hours for families on Sunday mornings.",
)


def _article(*tail: str, menu: tuple[str, ...] = ()) -> str:
    """A small dump: menu, title, four paragraphs, then the given tail lines."""
    head = [*menu, "", "The old pool will open again in spring", ""]
    return "\n".join([*head, *"\n\n".join(_PARAGRAPHS).split("\n"), "", *tail, *menu]) + "\n"


def _reasons(text: str) -> dict[str, list[str]]:
    """Dropped line text -> the reasons it was dropped for, in order."""
    found: dict[str, list[str]] = {}
    for dropped in parse_dump(text).dropped:
        found.setdefault(dropped.text, []).append(dropped.reason)
    return found


def test_drops_a_promo_under_a_related_label_that_ends_the_article() -> None:
    paragraphs = "\n\n".join(_PARAGRAPHS + tuple(reversed(_PARAGRAPHS)))
    promo = (
        "We send a short letter about the town and its clubs every Friday morning, with the "
        "opening hours of the pool, and you can leave at any time you like."
    )
    tail = f"Related\nTen places to swim outdoors near the town this summer\n{promo}\n"
    article = parse_dump(f"The old pool will open again in spring\n\n{paragraphs}\n\n{tail}")
    assert article.body_text().endswith("the roof was repaired.")
    assert "every Friday" not in article.body_text()


def test_keeps_article_text_after_a_link_that_reads_more() -> None:
    link = "Read more: How the council pays for its new buildings"
    paragraphs = list(_PARAGRAPHS)
    paragraphs.insert(2, link)
    text = "The old pool will open again in spring\n\n" + "\n\n".join(paragraphs) + "\n"
    assert "Swimming clubs in the town" in parse_dump(text).body_text()


def test_drops_a_menu_word_repeated_inside_the_article() -> None:
    menu = ("Home", "Sport", "Town", "Weather")
    text = _article(menu=menu).replace(_PARAGRAPHS[2], "Sport\n" + _PARAGRAPHS[2])
    assert "repeated-in-dump" in _reasons(text)["Sport"]
    assert "Swimming clubs" in parse_dump(text).body_text()


def test_keeps_a_heading_repeated_only_inside_the_article() -> None:
    paragraphs = [f"Pros\n{paragraph}" for paragraph in _PARAGRAPHS]
    text = "The old pool will open again in spring\n\n" + "\n\n".join(paragraphs) + "\n"
    article = parse_dump(text)
    assert all(dropped.reason != "repeated-in-dump" for dropped in article.dropped)
    assert [block.text for block in article.blocks if block.kind == "heading"].count("Pros") >= 3


def test_a_heading_that_starts_with_recommended_is_not_a_related_label() -> None:
    lines = split_lines("Recommended Sequence of Courses\nRecommended for you\nRecommended:\n")
    labels = furniture_labels(lines, LineContext("en", frozenset()))
    assert labels == (None, "read-more", "read-more")
