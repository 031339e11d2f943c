"""Split and validate the optional ``+++`` TOML front matter block at the top of a file."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass

from generator.errors import DumpError, Problem, did_you_mean
from generator.model import FrontMatter

FENCE = "+++"
FIELDS = ("title", "date", "source_url", "author", "tags", "lang", "draft", "slug", "archived")
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


@dataclass(frozen=True)
class SplitText:
    """A file's text with its front matter taken off."""

    front_matter: FrontMatter
    body: str
    first_line: int
    """File line number of the body's first line."""


def split_front_matter(text: str, *, path: str) -> SplitText:
    """Take a leading ``+++`` block off ``text`` and parse it; raise DumpError if it is bad."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        return SplitText(FrontMatter(), text, 1)
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            block = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return SplitText(parse_front_matter(block, path=path), body, index + 2)
    raise DumpError(Problem(path, "front matter opened with +++ is never closed", 1))


def parse_front_matter(block: str, *, path: str) -> FrontMatter:
    """Parse and check the TOML between the fences; every problem is reported at once."""
    try:
        data = tomllib.loads(block)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"line (\d+)", str(err))
        line = int(found.group(1)) + 1 if found else 1
        raise DumpError(Problem(path, f"invalid front matter: {err}", line)) from err
    problems = [Problem(path, message, 1) for message in check_fields(data)]
    if problems:
        raise DumpError(problems)
    return FrontMatter(
        title=data.get("title"),
        date=as_iso(data.get("date")),
        source_url=data.get("source_url"),
        author=data.get("author"),
        tags=tuple(data.get("tags", ())),
        lang=data.get("lang"),
        draft=bool(data.get("draft", False)),
        slug=data.get("slug"),
        archived=as_iso(data.get("archived")),
    )


def check_fields(data: dict[str, object]) -> list[str]:
    """What is wrong with each front matter field."""
    problems = []
    for name, value in data.items():
        if name not in FIELDS:
            hint = did_you_mean(name, list(FIELDS))
            problems.append(f"front matter: unknown field {name!r}{hint}")
            continue
        expected = expected_for(name, value)
        if expected:
            problems.append(f"front matter: {name}: expected {expected}, found {value!r}")
    return problems


def expected_for(name: str, value: object) -> str | None:
    """What a field should have been, or None when ``value`` is fine."""
    if name in ("date", "archived"):
        ok = isinstance(value, dt.date | dt.time) or (
            isinstance(value, str) and ISO_DATE.match(value) is not None
        )
        return None if ok else "a date such as 2024-05-02"
    if name == "tags":
        ok = isinstance(value, list) and all(isinstance(t, str) and t.strip() for t in value)
        return None if ok else "an array of strings"
    if name == "draft":
        return None if isinstance(value, bool) else "true or false"
    if name == "lang":
        ok = isinstance(value, str) and LANG_CODE.match(value) is not None
        return None if ok else 'a language code such as "fr"'
    if not isinstance(value, str) or not value.strip():
        return "a non-empty string"
    return None


def as_iso(value: object) -> str | None:
    """A TOML date, datetime or ISO string as an ISO 8601 string."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).replace(" ", "T", 1)
