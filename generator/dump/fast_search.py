"""Faster unanchored searches: a lookahead on the characters any match can start with.

Python's regex engine tries every alternative of a pattern at every position of a line.
When the pattern begins with a character class, it first skips to positions holding one of
those characters, which makes a search over a line that does not match several times
faster. ``with_first_chars`` computes that class from the parsed pattern and prepends it
as a lookahead; when it cannot be sure of the set it leaves the pattern as it is.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

_PARSER: Any = importlib.import_module("re._parser")
_CONSTANTS: Any = importlib.import_module("re._constants")
_ZERO_WIDTH = frozenset({_CONSTANTS.AT})
_REPEATS = frozenset({_CONSTANTS.MAX_REPEAT, _CONSTANTS.MIN_REPEAT})
_MAX_RANGE = 64


def _class_chars(items: Any) -> set[str] | None:
    """The members of a parsed ``[...]`` class, escaped, or None for negated or wide ones."""
    chars: set[str] = set()
    for op, value in items:
        if op is _CONSTANTS.LITERAL:
            chars.add(re.escape(chr(value)))
        elif op is _CONSTANTS.RANGE and value[1] - value[0] < _MAX_RANGE:
            chars.update(re.escape(chr(code)) for code in range(value[0], value[1] + 1))
        elif op is _CONSTANTS.CATEGORY and value is _CONSTANTS.CATEGORY_DIGIT:
            chars.add(r"\d")
        else:
            return None
    return chars


def _first_chars(items: Any) -> set[str] | None:
    """What a match of a parsed sequence can start with (escaped class members), or None."""
    for op, value in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _CONSTANTS.LITERAL:
            return {re.escape(chr(value))}
        if op is _CONSTANTS.IN:
            return _class_chars(value)
        if op is _CONSTANTS.SUBPATTERN:
            return _first_chars(value[-1])
        if op is _CONSTANTS.BRANCH:
            return _branch_chars(value[1])
        if op in _REPEATS and value[0] >= 1:
            return _first_chars(value[2])
        return None
    return None


def _branch_chars(branches: Any) -> set[str] | None:
    """The union of the first characters of every alternative (None if any is unsure)."""
    chars: set[str] = set()
    for branch in branches:
        found = _first_chars(branch)
        if found is None:
            return None
        chars |= found
    return chars


def with_first_chars(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern behind a lookahead on its possible first characters, when known."""
    return searched_pattern(pattern.pattern, pattern.flags, plain=pattern)


def searched_pattern(
    source: str, flags: int = 0, plain: re.Pattern[str] | None = None
) -> re.Pattern[str]:
    """``source`` compiled behind a lookahead on its possible first characters, when known;
    compiled once (a big pattern takes milliseconds to compile)."""
    try:
        chars = _first_chars(_PARSER.parse(source, flags))
    except (AttributeError, TypeError, ValueError, IndexError):
        chars = None  # the parser's private shapes changed: keep the plain pattern
    if not chars:
        return plain if plain is not None else re.compile(source, flags)
    charset = "".join(sorted(chars))
    return re.compile(f"(?=[{charset}])(?:{source})", flags)
