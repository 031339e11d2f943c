"""UI strings of a theme in several languages: ``t(key, **kwargs)`` with English fallback."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from generator.dates import primary_language
from generator.errors import ConfigError, Problem

FALLBACK_LANGUAGE = "en"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_TOML_LINE = re.compile(r"at line (\d+)")

GROUP_SEPARATORS: Mapping[str, str] = MappingProxyType(
    {"en": ",", "fr": "\u202f", "de": ".", "es": ".", "it": ".", "pt": ".", "nl": "."}
)
"""Thousands separator per language (French uses a narrow no-break space)."""

SINGULAR_ZERO = frozenset({"fr", "pt"})
"""Languages where 0 takes the singular form, as 1 does."""

RIGHT_TO_LEFT = frozenset({"ar", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"})
"""Languages written right to left (primary subtags)."""


@dataclass(frozen=True)
class Catalog:
    """Every message of a theme chain, by language then key, and the language to speak."""

    language: str
    """The UI language, e.g. ``fr``."""
    messages: Mapping[str, Mapping[str, str]]
    """language code -> message key -> text with ``{name}`` placeholders."""

    def t(self, key: str, **kwargs: object) -> str:
        """The message ``key`` in the UI language, then English, then the key itself."""
        for lang in (self.language, FALLBACK_LANGUAGE):
            text = self._lookup(lang, key, kwargs.get("count"))
            if text is not None:
                return fill_placeholders(text, kwargs, self.language)
        return key

    def language_name(self, code: str) -> str:
        """The name of language ``code`` in the UI language (``language_<code>``), else the code."""
        key = f"language_{primary_language(code)}"
        name = self.t(key)
        return code if name == key else name

    def has(self, lang: str, key: str) -> bool:
        """Whether ``lang`` defines ``key`` itself or as a ``_one``/``_other`` plural pair."""
        table = self.messages.get(lang, {})
        return key in table or (f"{key}_one" in table and f"{key}_other" in table)

    def _lookup(self, lang: str, key: str, count: object) -> str | None:
        table = self.messages.get(lang, {})
        if isinstance(count, int) and not isinstance(count, bool):
            plural = table.get(f"{key}_{plural_category(lang, count)}")
            if plural is not None:
                return plural
        return table.get(key)


def plural_category(lang: str, count: int) -> str:
    """``one`` or ``other``: the plural form ``count`` takes in ``lang``."""
    if count == 1 or (count == 0 and primary_language(lang) in SINGULAR_ZERO):
        return "one"
    return "other"


def text_direction(lang: str) -> str:
    """``rtl`` for languages written right to left, else ``ltr``: the value of ``dir``."""
    return "rtl" if primary_language(lang) in RIGHT_TO_LEFT else "ltr"


def format_number(value: int, lang: str) -> str:
    """An integer with the thousands separator of ``lang`` (Spanish leaves 4 digits whole)."""
    digits = str(abs(value))
    code = primary_language(lang)
    if code == "es" and len(digits) <= 4:
        return str(value)
    separator = GROUP_SEPARATORS.get(code, ",")
    groups = [digits[max(0, end - 3) : end] for end in range(len(digits), 0, -3)]
    sign = "-" if value < 0 else ""
    return sign + separator.join(reversed(groups))


def fill_placeholders(text: str, values: Mapping[str, object], lang: str) -> str:
    """Replace ``{name}`` with ``values[name]`` (integers localised); unknown names stay."""

    def replace(match: re.Match[str]) -> str:
        name = match[1]
        if name not in values:
            return match[0]
        value = values[name]
        if isinstance(value, int) and not isinstance(value, bool):
            return format_number(value, lang)
        return str(value)

    return _PLACEHOLDER.sub(replace, text)


def read_message_file(path: Path, label: str) -> dict[str, str]:
    """One ``<lang>.toml`` file: a flat table of string messages, or a ConfigError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(Problem(label, f"cannot read message file: {error}")) from error
    except tomllib.TOMLDecodeError as error:
        line = _TOML_LINE.search(str(error))
        problem = Problem(label, f"invalid TOML: {error}", int(line[1]) if line else None)
        raise ConfigError(problem) from error
    bad = sorted(key for key, value in data.items() if not isinstance(value, str))
    if bad:
        problems = [Problem(label, f"message {key!r} must be a string") for key in bad]
        raise ConfigError(problems)
    return {key: str(value) for key, value in data.items()}


def load_catalog(i18n_dirs: Sequence[tuple[Path, str]], language: str) -> Catalog:
    """Merge ``*.toml`` files of (folder, label) pairs, base theme first, later ones winning."""
    merged: dict[str, dict[str, str]] = {}
    for folder, label in i18n_dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            messages = read_message_file(path, f"{label}/{path.name}")
            merged.setdefault(path.stem, {}).update(messages)
    frozen = {lang: MappingProxyType(table) for lang, table in sorted(merged.items())}
    return Catalog(primary_language(language), MappingProxyType(frozen))
