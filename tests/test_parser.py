"""Properties and single behaviours of the dump parser (generator.dump)."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dump import parse_dump
from generator.dump.fast_search import with_first_chars
from generator.dump.lines import Line, ascii_words, split_lines, tokenize
from generator.dump.parse import is_bare_label
from generator.dump.regions import is_headline_line, teaser_runs
from generator.dump.rules import LineContext, is_footer
from generator.model import Article

PARAGRAPH = (
    "The committee met for three hours on Tuesday and agreed that the old bridge over the "
    "river should be repaired before the winter, although the cost is still not clear."
)

INVISIBLE = re.compile("[\u200b\u00ad\ufeff\u200e\u200f]")

LINE_PIECES = st.sampled_from(
    [
        "Home",
        "Skip to content",
        "Share",
        "3 comments",
        "Comments are closed.",
        "Reply",
        "By Jane Doe",
        "March 5, 2024",
        "1. A numbered line with a few words in it.",
        "- a bulleted item",
        "© 2024 Example",
        "https://example.org/a/page",
        PARAGRAPH,
        "A short headline over the text",
        "Anna schreibt:",
        "   ",
        "",
    ]
)


def _placed_line_count(article: Article) -> int:
    """How many dump lines the article accounts for: title, blocks, comments, dropped."""
    title = 1 if article.title is not None else 0
    blocks = sum(block.text.count("\n") + 1 for block in article.blocks)
    comments = sum(
        sum(1 for part in comment.text.split("\n") if part.strip()) for comment in article.comments
    )
    return title + blocks + comments + len(article.dropped)


def _non_blank(text: str) -> list[str]:
    """The dump's non-blank lines as the parser sees them (NFC, stripped)."""
    normal = unicodedata.normalize("NFC", INVISIBLE.sub("", text))
    return [line.strip() for line in normal.split("\n") if line.strip()]


def _assert_every_line_placed_once(text: str, article: Article, first_line: int) -> None:
    """Every non-blank line is in exactly one of title, body, comments, dropped."""
    assert _placed_line_count(article) == len(_non_blank(text))
    numbers = [line.line for line in article.dropped]
    assert len(numbers) == len(set(numbers))
    last = first_line + text.count("\n")
    assert all(first_line <= number <= last for number in numbers)


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    """Any string at all parses into an Article whose lines are all accounted for."""
    article = parse_dump(text)
    assert isinstance(article, Article)
    _assert_every_line_placed_once(text, article, 1)


@settings(max_examples=150, deadline=None)
@given(st.lists(LINE_PIECES, max_size=40), st.integers(min_value=1, max_value=50))
def test_every_line_ends_up_in_exactly_one_place(pieces: list[str], first_line: int) -> None:
    """Dumps made of typical pieces: each non-blank line is placed once, numbered right."""
    text = "\n".join(pieces)
    article = parse_dump(text, first_line=first_line)
    _assert_every_line_placed_once(text, article, first_line)
    lines = text.split("\n")
    for dropped in article.dropped:
        assert lines[dropped.line - first_line].strip() == dropped.text


def test_empty_text_gives_empty_article_with_warning() -> None:
    """An empty dump has no title, no blocks, and says so."""
    article = parse_dump("")
    assert article.title is None
    assert article.blocks == ()
    assert article.warnings


def test_is_deterministic() -> None:
    """The same text always gives the same article."""
    text = f"Home\n\nA headline over the text\n\n{PARAGRAPH}\n\nShare\n"
    assert parse_dump(text) == parse_dump(text)


def test_drops_skip_link() -> None:
    """A skip link is dropped with the skip-link reason."""
    article = parse_dump(f"Skip to content\n\nA headline over the text\n\n{PARAGRAPH}\n")
    assert ("Skip to content", "skip-link") in {(d.text, d.reason) for d in article.dropped}


def test_line_numbers_count_from_first_line() -> None:
    """first_line shifts every reported line number."""
    text = f"Home\n\nA headline over the text\n\n{PARAGRAPH}\n"
    article = parse_dump(text, first_line=5)
    assert article.blocks[0].line == 9
    assert article.dropped[0].line == 5


def test_keeps_quoted_reply_inside_its_comment() -> None:
    """A comment that quotes the article keeps the quote and stays out of the body."""
    text = (
        f"A headline over the text\n\n{PARAGRAPH}\n\n2 comments\n\n"
        'Ann on 3 May 2024 at 10:00\n"the old bridge over the river"\nIt is not old at all.\n\n'
        "Bob on 3 May 2024 at 11:00\nRepair it now, please.\n"
    )
    article = parse_dump(text)
    assert [c.author for c in article.comments] == ["Ann", "Bob"]
    assert "the old bridge over the river" in article.comments[0].text
    assert "not old at all" not in article.body_text()


def test_merges_exact_duplicate_comments() -> None:
    """Two identical comments become one; the copy is dropped as a duplicate."""
    text = (
        f"A headline over the text\n\n{PARAGRAPH}\n\n3 comments\n"
        "  1. Same words twice here.\n\n  2. Same words twice here.\n\n  3. Other words.\n"
    )
    article = parse_dump(text)
    assert [c.text for c in article.comments] == ["Same words twice here.", "Other words."]
    assert "duplicate-comment" in {d.reason for d in article.dropped}


def test_comments_closed_line_is_dropped_not_a_comment() -> None:
    """The "Comments are closed." line ends the comments and is dropped by its rule."""
    text = f"A headline over the text\n\n{PARAGRAPH}\n\n1 comment\n  1. Nice.\n\nComments are closed.\n"
    article = parse_dump(text)
    assert len(article.comments) == 1
    assert ("Comments are closed.", "comments-closed") in {
        (d.text, d.reason) for d in article.dropped
    }


def test_reads_dates_in_several_languages() -> None:
    """Dates with month names (en, fr, de, es) and numeric forms become ISO 8601."""
    from generator.dump.dates import parse_date

    assert parse_date("March 5, 2024") == "2024-03-05"
    assert parse_date("le 3 mars 2021") == "2021-03-03"
    assert parse_date("12. Februar 2023, 14:30 Uhr") == "2023-02-12"
    assert parse_date("3 de mayo de 2022") == "2022-05-03"
    assert parse_date("2020-01-31T10:00") == "2020-01-31"
    assert parse_date("no date here") is None


def test_detects_language_by_script_and_stopwords() -> None:
    """CJK scripts are told apart by their characters, others by their stopwords."""
    from generator.dump.language import detect_language
    from generator.dump.lines import split_lines

    german = "Die Bahn will ab dem kommenden Winter einen neuen Nachtzug fahren lassen, sagt sie."
    assert detect_language(split_lines(german)) == "de"
    assert (
        detect_language(
            split_lines("京都の旅館が料理教室を始めました。参加者は市場で食材を選びます。")
        )
        == "ja"
    )
    assert detect_language(split_lines("x")) is None


def test_furniture_rules_have_unique_names() -> None:
    """Every rule has its own name, so a dropped line's reason says which rule dropped it."""
    from generator.dump.rules import RULES

    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))


def test_splits_site_name_from_title_line() -> None:
    """A "Title | Site" line gives the title and the site's name."""
    from generator.dump.title import split_site_name

    assert split_site_name("Seals return to the bay | Daily Lantern") == (
        "Seals return to the bay",
        "Daily Lantern",
    )
    assert split_site_name("Cats | Dogs") == ("Cats | Dogs", None)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_words_match_the_word_pattern(text: str) -> None:
    """The byte-table tokenizer agrees with ``\\w+`` on lower-cased ASCII text."""
    assert ascii_words(text) == re.findall(r"\w+", text.lower())


def _lines(*texts: str) -> tuple[Line, ...]:
    """Measured lines of a dump made of the given lines."""
    return split_lines("\n".join(texts))


def test_three_longer_headlines_in_a_row_make_a_teaser_run() -> None:
    headlines = [
        "Seven ways to keep your tomatoes healthy through a wet summer",
        "The town council votes again on the plan for the new bus station",
        "Why the old cinema on the corner may open its doors once more",
    ]
    assert teaser_runs(_lines(PARAGRAPH, *headlines)) == ((1, 4),)
    assert teaser_runs(_lines(PARAGRAPH, *headlines[:2], PARAGRAPH)) == ()


def test_headline_ending_in_a_quote_still_reads_as_a_headline() -> None:
    (quoted, sentence) = _lines("The mayor promises “a greener square”", "It rained all day.”")
    assert is_headline_line(quoted)
    assert not is_headline_line(sentence)


def test_related_label_with_a_headline_after_its_colon_is_not_bare() -> None:
    (bare, linked) = _lines("Related articles:", "Read more: The bridge reopens in May")
    assert is_bare_label(bare)
    assert not is_bare_label(linked)


def test_long_line_is_a_footer_only_when_it_reserves_rights() -> None:
    ctx = LineContext("en", frozenset())
    notice = "This page is for your personal, non-commercial use only " + "and more words " * 12
    essay = "The essay asks who owns the copyright in a photo " + "and more words " * 12
    assert is_footer(_lines(notice)[0], ctx)
    assert not is_footer(_lines(essay)[0], ctx)


FIRST_CHAR_PATTERNS = [
    r"\bfoo|bar\d+",
    r"(?:ab|b)c\b",
    r"\d{2}-x|©",
    r"[x-z]+y|^Foo",
    r"(?:be|vor)\s+\d+|\(c\)",
]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcfoxyzBARFOV0123©٣()- ", max_size=30))
def test_first_char_lookahead_finds_the_same_matches(text: str) -> None:
    for source in FIRST_CHAR_PATTERNS:
        plain = re.compile(source, re.IGNORECASE)
        fast = with_first_chars(plain)
        found, expected = fast.search(text), plain.search(text)
        assert (found and found.span()) == (expected and expected.span()), source


def test_first_char_lookahead_leaves_patterns_it_cannot_bound() -> None:
    for source in (r"a?b", r".x", r"[^a]b", r"\wz", r"(?:a|)b"):
        plain = re.compile(source)
        assert with_first_chars(plain) is plain


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab Zé_ß9٣,.\n\t-İ漢字かな"), max_size=60))
def test_line_words_are_the_word_runs_of_each_line(text: str) -> None:
    """Tokenizing the whole dump at once gives each line its own lower-cased word runs."""
    for line in split_lines(text):
        expected = tuple(tokenize(line.text))
        assert line.words == expected
