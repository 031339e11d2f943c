"""Long, localised dates from our own month tables (the locale module varies by machine)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")

MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ),
    "es": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ),
    "it": (
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
        "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
    ),
    "pt": (
        "janeiro", "fevereiro", "março", "abril", "maio", "junho",
        "julho", "agosto", "setembro", "outubro", "novembro", "dezembro",
    ),
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ),
}  # fmt: skip
"""Month names, January first, as written inside a date in each language."""


def _day_month_year(day: date, month: str) -> str:
    return f"{day.day} {month} {day.year}"


def _french(day: date, month: str) -> str:
    ordinal = "1er" if day.day == 1 else str(day.day)
    return f"{ordinal} {month} {day.year}"


def _german(day: date, month: str) -> str:
    return f"{day.day}. {month} {day.year}"


def _with_de(day: date, month: str) -> str:
    return f"{day.day} de {month} de {day.year}"


PATTERNS: dict[str, Callable[[date, str], str]] = {
    "en": _day_month_year,
    "fr": _french,
    "de": _german,
    "es": _with_de,
    "it": _day_month_year,
    "pt": _with_de,
    "nl": _day_month_year,
}
"""How each language arranges day, month name and year."""


def primary_language(lang: str) -> str:
    """The primary subtag of a language tag, lower-cased: ``fr-CA`` -> ``fr``."""
    return lang.replace("_", "-").split("-", 1)[0].strip().lower()


def parse_iso_date(iso: str) -> date | None:
    """The calendar date at the start of ``YYYY-MM-DD`` or an ISO datetime, else None."""
    match = _ISO_DATE.match(iso.strip())
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def format_date(iso: str | None, lang: str) -> str:
    """A long date in ``lang`` (English for unknown languages); "" for None; odd input as is."""
    if iso is None:
        return ""
    day = parse_iso_date(iso)
    if day is None:
        return iso
    code = primary_language(lang)
    if code not in MONTHS:
        code = "en"
    return PATTERNS[code](day, MONTHS[code][day.month - 1])


def machine_date(iso: str | None) -> str:
    """The ``YYYY-MM-DD`` form for a ``<time datetime>`` attribute; "" when not a date."""
    if iso is None:
        return ""
    day = parse_iso_date(iso)
    return "" if day is None else day.isoformat()
