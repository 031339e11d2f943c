"""UI messages of the shipped themes, plural forms, number and long date formatting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.dates import format_date, machine_date
from generator.errors import ConfigError
from generator.i18n import Catalog, format_number, load_catalog

THEMES = Path(__file__).resolve().parent.parent / "themes"
SHIPPED = tuple(sorted(p.stem for p in (THEMES / "default" / "i18n").glob("*.toml")))
REQUIRED = ("en", "fr", "de", "es")
"""Languages that must be complete; the others may lag and fall back to English per key."""
_T_CALL = re.compile(r"""\bt\(\s*(['"])([A-Za-z0-9_.]+)\1""")


def shipped_catalog(language: str = "en") -> Catalog:
    """Messages of the default theme."""
    return load_catalog([(THEMES / "default" / "i18n", "i18n")], language)


def template_keys() -> set[str]:
    """Every literal key passed to t() in any shipped template."""
    keys: set[str] = set()
    for template in sorted(THEMES.glob("*/templates/**/*")):
        if template.is_file():
            keys.update(m[2] for m in _T_CALL.finditer(template.read_text(encoding="utf-8")))
    return keys


def test_ships_at_least_english_french_german_spanish() -> None:
    assert set(REQUIRED) <= set(SHIPPED)


def test_templates_use_message_keys() -> None:
    assert {"skip_to_content", "comment_count", "older_page"} <= template_keys()


@pytest.mark.parametrize("language", REQUIRED)
def test_every_template_key_exists_in_every_required_language(language: str) -> None:
    catalog = shipped_catalog()
    missing = sorted(key for key in template_keys() if not catalog.has(language, key))
    assert missing == []


@pytest.mark.parametrize("language", REQUIRED)
def test_every_required_language_has_exactly_the_english_keys(language: str) -> None:
    messages = shipped_catalog().messages
    assert sorted(messages[language]) == sorted(messages["en"])


@pytest.mark.parametrize("language", SHIPPED)
def test_no_language_has_keys_english_lacks(language: str) -> None:
    messages = shipped_catalog().messages
    assert sorted(set(messages[language]) - set(messages["en"])) == []


@pytest.mark.parametrize("language", SHIPPED)
def test_placeholders_match_english(language: str) -> None:
    messages = shipped_catalog().messages
    for key, text in messages[language].items():
        expected = sorted(re.findall(r"\{\w+\}", messages["en"][key]))
        assert sorted(re.findall(r"\{\w+\}", text)) == expected, key


def test_translates_into_ui_language() -> None:
    assert shipped_catalog("de").t("nav_home") == "Startseite"


def test_region_subtag_uses_the_language() -> None:
    assert shipped_catalog("fr-CA").t("nav_home") == "Accueil"


def test_falls_back_to_english_then_to_the_key() -> None:
    catalog = Catalog("fr", {"en": {"only_en": "English only"}, "fr": {}})
    assert catalog.t("only_en") == "English only"
    assert catalog.t("nowhere") == "nowhere"
    assert shipped_catalog("xx").t("nav_home") == "Home"


def test_french_zero_is_singular_english_zero_is_plural() -> None:
    assert shipped_catalog("fr").t("comment_count", count=0) == "0 commentaire"
    assert shipped_catalog("en").t("comment_count", count=0) == "0 comments"
    assert shipped_catalog("en").t("comment_count", count=1) == "1 comment"


def test_fills_placeholders_and_localises_integers() -> None:
    assert shipped_catalog("fr").t("word_count", count=12345) == "12\u202f345 mots"
    assert shipped_catalog("en").t("reading_time_range", low=2, high=5) == "2–5 min"


def test_unknown_placeholder_is_left_visible() -> None:
    catalog = Catalog("en", {"en": {"greet": "Hi {who}, {missing}"}})
    assert catalog.t("greet", who="Ann") == "Hi Ann, {missing}"


def test_language_names_fall_back_to_the_code() -> None:
    assert shipped_catalog("fr").language_name("de") == "allemand"
    assert shipped_catalog("fr").language_name("sw") == "sw"


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (1234567, "en", "1,234,567"),
        (1234, "de", "1.234"),
        (1234, "es", "1234"),
        (12345, "es", "12.345"),
        (-1000, "en", "-1,000"),
        (999, "fr", "999"),
    ],
)
def test_formats_numbers_per_language(value: int, language: str, expected: str) -> None:
    assert format_number(value, language) == expected


def test_child_theme_messages_override_parent(tmp_path: Path) -> None:
    (tmp_path / "en.toml").write_text('nav_home = "Front page"\n', encoding="utf-8")
    catalog = load_catalog(
        [(THEMES / "default" / "i18n", "a"), (tmp_path, "b")],
        "en",
    )
    assert catalog.t("nav_home") == "Front page"
    assert catalog.t("nav_sources") == "Sources"


def test_bad_message_file_reports_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "en.toml").write_text('ok = "fine"\nbroken = \n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_catalog([(tmp_path, "themes/x/i18n")], "en")
    problem = caught.value.problems[0]
    assert (problem.path, problem.line) == ("themes/x/i18n/en.toml", 2)


def test_non_string_message_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "en.toml").write_text("count = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'count' must be a string"):
        load_catalog([(tmp_path, "i18n")], "en")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "4 March 2025"),
        ("fr", "4 mars 2025"),
        ("de", "4. März 2025"),
        ("es", "4 de marzo de 2025"),
        ("it", "4 marzo 2025"),
        ("pt", "4 de março de 2025"),
        ("nl", "4 maart 2025"),
        ("pt-BR", "4 de março de 2025"),
        ("sw", "4 March 2025"),
    ],
)
def test_formats_long_dates(language: str, expected: str) -> None:
    assert format_date("2025-03-04", language) == expected


def test_french_first_of_month_is_an_ordinal() -> None:
    assert format_date("2024-08-01", "fr") == "1er août 2024"


def test_accepts_full_iso_datetimes_without_time_zone_shift() -> None:
    assert format_date("2025-12-31T23:30:00-05:00", "en") == "31 December 2025"
    assert machine_date("2025-12-31T23:30:00Z") == "2025-12-31"


def test_none_gives_empty_string_and_odd_input_is_kept() -> None:
    assert format_date(None, "en") == ""
    assert format_date("2025-02-30", "en") == "2025-02-30"
    assert format_date("last spring", "fr") == "last spring"
    assert machine_date("last spring") == ""
