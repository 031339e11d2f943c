"""What templates can call (``t``, ``format_date``, ``asset``...), answering repeated
calls from memory, and the template context that calls them directly."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jinja2.runtime

from generator.dates import format_date, machine_date
from generator.i18n import Catalog, format_number, text_direction


def template_globals(
    catalog: Catalog,
    options: Mapping[str, object],
    find_asset: Callable[[str], str],
) -> dict[str, object]:
    """The functions and values every template can use.

    The text helpers remember their answers (up to ``ANSWERS_KEPT`` each): a page calls
    them dozens of times with the same few arguments (its labels, its languages, the
    dates of its entries), and the answers depend on nothing else. The memory lives as
    long as the environment, which is made again whenever the theme or configuration
    changes.
    """

    def number(value: int) -> str:
        return format_number(value, catalog.language)

    return {
        "t": Remembered(catalog.t),
        "format_date": Remembered(format_date),
        "machine_date": Remembered(machine_date),
        "format_number": Remembered(number),
        "language_name": Remembered(catalog.language_name),
        "text_direction": Remembered(text_direction),
        "asset": Remembered(find_asset),
        "theme_options": options,
    }


ANSWERS_KEPT = 2048
"""How many answers a helper keeps. When it has that many it forgets them all and starts
again: kept without limit, the dates of a large archive would be kept by the thousand
(about 13 MB a process at 10,000 dumps), while what a page asks again and again (its
labels, languages and the dates it shows twice) comes back at once."""


def remember(answers: dict[tuple[object, ...], str], asked: tuple[object, ...], found: str) -> str:
    """Keep ``found`` as the answer to ``asked``, within ``ANSWERS_KEPT``; return it."""
    if len(answers) >= ANSWERS_KEPT:
        answers.clear()
    answers[asked] = found
    return found


class Remembered:
    """A function answering each repeated call (hashable arguments) from memory; other
    calls go through. Arguments count with their types: ``1`` and ``True`` hash alike,
    and so do a string and the same text marked safe, which must stay escaped."""

    __slots__ = ("answers", "function")

    def __init__(self, function: Callable[..., str]) -> None:
        self.function = function
        self.answers: dict[tuple[object, ...], str] = {}

    def __call__(self, *args: object, **values: object) -> str:
        if values:
            asked = (*args, *map(type, args), *values.items(), *map(type, values.values()))
        else:  # most calls
            asked = (*args, *map(type, args))
        try:
            return self.answers[asked]
        except KeyError:
            return remember(self.answers, asked, self.function(*args, **values))
        except TypeError:  # an unhashable argument
            return self.function(*args, **values)


HELPERS = frozenset({Remembered, jinja2.runtime.Macro})
"""What the context calls directly: none of them takes the context or the environment."""


class HelperContext(jinja2.runtime.Context):
    """Jinja's template context, calling the helpers above and macros directly.

    For every call in a template, Jinja checks whether the callable wants the context or
    the environment passed in. Neither the helpers nor macros do, and the checks were a
    third of a helper call's cost (1.1 of 3.4 us). Anything else is called as Jinja
    calls it.
    """

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if type(__obj) in HELPERS:
            kwargs.pop("_block_vars", None)  # what Jinja adds inside blocks and loops
            kwargs.pop("_loop_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)
