"""Typed errors that carry the file, the line and a message a user can act on."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as we know."""

    path: str
    """The file the problem is in, as the user named it (relative where possible)."""
    message: str
    """What is wrong, in words a user can act on."""
    line: int | None = None
    """1-based line number, when the problem has one."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class GleaneryError(Exception):
    """Base class of every error Gleanery raises on purpose."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[GleaneryError], tuple[list[Problem]]]:
        """Made again from its problems: a forked renderer sends its error to the parent
        pickled, and the default (the message as the only argument) split the message
        into one problem per character."""
        return type(self), (self.problems,)


class ConfigError(GleaneryError):
    """The configuration file is missing, unreadable or invalid (every problem at once)."""


class DumpError(GleaneryError):
    """One input file could not be read or understood; the rest of the site still builds."""

    exit_code = 1


class TemplateError(GleaneryError):
    """A theme template failed to load or render."""


class OutputError(GleaneryError):
    """The output folder is unsafe or could not be written."""


def did_you_mean(word: str, choices: list[str]) -> str:
    """A ' (did you mean "x"?)' hint, or '' when nothing is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def problems_as_data(problems: Sequence[Problem]) -> list[list[object]]:
    """Problems in a form the output marker (and a build snapshot) can store."""
    return [[p.path, p.message, p.line] for p in problems]


def problems_from_data(data: object) -> tuple[Problem, ...]:
    """Problems stored by ``problems_as_data``."""
    rows = data if isinstance(data, list) else []
    return tuple(Problem(str(path), str(message), line) for path, message, line in rows)
