"""Load and validate ``config.toml`` into a frozen Config, reporting every problem at once."""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.errors import ConfigError, Problem, did_you_mean

CONFIG_NAME = "config.toml"
LANG_CODE = re.compile(r"^[a-z]{2,3}$")

CACHE_DIR = ".gleanery-cache"
"""The folder beside config.toml where cached work is kept (safe to delete)."""


@dataclass(frozen=True)
class SourceSettings:
    """Per-source settings from a ``[sources.NAME]`` table."""

    title: str | None = None
    """Display name of the source; defaults to the folder name made readable."""
    drop: tuple[str, ...] = ()
    """Regular expressions: body blocks of this source's dumps that match one are dropped."""
    keep: tuple[str, ...] = ()
    """Regular expressions: dropped lines that match one are put back into the body."""


@dataclass(frozen=True)
class Config:
    """The validated site settings. Paths are absolute."""

    root: Path
    """The folder that holds config.toml; relative paths are resolved against it."""
    file: Path = Path("config.toml")
    """The configuration file itself."""
    title: str = "Reading archive"
    description: str = ""
    base_url: str | None = None
    language: str = "en"
    theme: str = "default"
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    themes_dir: Path = Path("themes")
    per_page: int = 20
    drafts: bool = False
    search: bool = True
    max_dump_mb: int = 20
    fallback_encoding: str | None = None
    encoding_overrides: tuple[tuple[str, str], ...] = ()
    theme_options: Mapping[str, object] = field(default_factory=dict)
    sources: Mapping[str, SourceSettings] = field(default_factory=dict)

    def source_title(self, name: str) -> str:
        """The display name of a source folder."""
        settings = self.sources.get(name)
        if settings and settings.title:
            return settings.title
        # One copy per source: every article's view holds its source's title.
        return sys.intern(name.replace("-", " ").replace("_", " ").strip().title() or name)


@dataclass(frozen=True)
class Key:
    """One documented top-level key of config.toml."""

    name: str
    kind: type
    default: object
    doc: str
    check: Callable[[Any], str | None] | None = None
    """Returns what was expected when the value is wrong, else None."""


def _positive(value: int) -> str | None:
    return None if value >= 1 else "a whole number of at least 1"


def _lang(value: str) -> str | None:
    return None if LANG_CODE.match(value) else 'an ISO 639-1 language code such as "en"'


def _base_url(value: str) -> str | None:
    ok = re.match(r"^https?://[^\s/]+(/\S*)?$", value)
    return None if ok else 'an absolute http(s) URL such as "https://example.org/archive/"'


def _codec(value: str) -> str | None:
    import codecs

    try:
        codecs.lookup(value)
    except LookupError:
        return 'the name of a text encoding Python knows, such as "cp1252"'
    return None


KEYS: tuple[Key, ...] = (
    Key("title", str, "Reading archive", "The archive's name, shown in every page header."),
    Key("description", str, "", "One sentence about the archive, for the home page and feeds."),
    Key(
        "base_url",
        str,
        None,
        "The public address, for canonical links and feeds. "
        "Internal links stay relative, so the site works from any folder without it.",
        _base_url,
    ),
    Key("language", str, "en", "Language of the interface (menus, labels, dates).", _lang),
    Key("theme", str, "default", "Name of a folder under `themes/` (or a built-in theme)."),
    Key("content_dir", str, "content", "Folder of dumps (`.txt`) and pages (`.md`)."),
    Key("output_dir", str, "output", "Folder the site is written to; replaced on every build."),
    Key("themes_dir", str, "themes", "Folder that holds the site's own themes."),
    Key("per_page", int, 20, "Articles per page on the home page and listings.", _positive),
    Key("drafts", bool, False, "Publish dumps whose front matter says `draft = true`."),
    Key("search", bool, True, "Build a Pagefind full-text search index and a search page."),
    Key(
        "max_dump_mb",
        int,
        20,
        "Dumps larger than this many megabytes are skipped unread.",
        _positive,
    ),
    Key(
        "fallback_encoding",
        str,
        None,
        "Encoding tried for dumps that are not UTF-8 "
        'before any guessing, e.g. "cp1253" for an archive of Greek pages.',
        _codec,
    ),
    Key(
        "encoding_overrides",
        dict,
        {},
        "Table of file-name patterns to encodings, e.g. "
        '`"greek-*.txt" = "cp1253"`, for dumps whose encoding cannot be guessed.',
    ),
    Key("theme_options", dict, {}, "Options of the theme, as declared in its `theme.toml`."),
    Key(
        "sources",
        dict,
        {},
        'One table per source folder, e.g. `[sources.my-blog]` with `title = "My Blog"`.',
    ),
)
KEYS_BY_NAME = {key.name: key for key in KEYS}
SOURCE_KEYS: dict[str, type] = {"title": str, "drop": list, "keep": list}


def type_name(value: object) -> str:
    """The TOML name of a value's type, for messages."""
    names = {
        bool: "boolean",
        int: "integer",
        float: "float",
        str: "string",
        dict: "table",
        list: "array",
    }
    return names.get(type(value), type(value).__name__)


def check_value(key: Key, value: object, where: str) -> str | None:
    """What is wrong with one value, or None."""
    expected_type = type_name(key.kind())
    if type(value) is not key.kind:
        return f"{where}: expected {expected_type}, found {type_name(value)} {value!r}"
    if key.check is not None:
        expected = key.check(value)
        if expected:
            return f"{where}: expected {expected}, found {value!r}"
    return None


def check_tables(data: Mapping[str, object]) -> list[str]:
    """Problems inside the nested tables: encodings and sources."""
    problems = []
    overrides: dict[str, object] = dict(data.get("encoding_overrides") or {})  # type: ignore[call-overload]
    for pattern, codec in overrides.items():
        if not isinstance(codec, str) or _codec(codec):
            problems.append(
                f'encoding_overrides."{pattern}": expected the name of a text '
                f'encoding such as "cp1252", found {codec!r}'
            )
    sources: dict[str, object] = dict(data.get("sources") or {})  # type: ignore[call-overload]
    for name, table in sources.items():
        if not isinstance(table, dict):
            problems.append(f'sources."{name}": expected table, found {type_name(table)}')
            continue
        for sub, value in table.items():
            problems.extend(source_key_problems(f'sources."{name}".{sub}', sub, value))
    return problems


def source_key_problems(where: str, key: str, value: object) -> list[str]:
    """What is wrong with one key of a ``[sources.NAME]`` table."""
    if key not in SOURCE_KEYS:
        return [f"{where}: unknown key{did_you_mean(key, list(SOURCE_KEYS))}"]
    if key == "title":
        ok = isinstance(value, str)
        return [] if ok else [f"{where}: expected string, found {type_name(value)} {value!r}"]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return [f"{where}: expected an array of regular expressions, found {value!r}"]
    problems = []
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as err:
            problems.append(f"{where}: {pattern!r} is not a valid regular expression: {err}")
    return problems


def check_keys(data: Mapping[str, object]) -> list[str]:
    """Every problem with the top-level keys, in file order."""
    problems = []
    for name, value in data.items():
        key = KEYS_BY_NAME.get(name)
        if key is None:
            problems.append(f"{name}: unknown key{did_you_mean(name, list(KEYS_BY_NAME))}")
            continue
        problem = check_value(key, value, name)
        if problem:
            problems.append(problem)
    if not problems:
        problems.extend(check_tables(data))
    return problems


def builtin_themes_dir() -> Path:
    """Where the themes that ship with Gleanery live."""
    return Path(__file__).resolve().parent.parent / "themes"


def theme_folders(root: Path, themes_dir: Path) -> list[Path]:
    """Where themes are looked up: the site's own folder first, then the built-in themes."""
    return [root / themes_dir, builtin_themes_dir()]


def find_theme(folders: list[Path], name: str) -> Path | None:
    """The folder of theme ``name`` in the first of ``folders`` that has it."""
    for folder in folders:
        if (folder / name / "theme.toml").is_file():
            return (folder / name).resolve()
    return None


def available_themes(folders: list[Path]) -> list[str]:
    """Names of every theme found in ``folders``, sorted."""
    names = {
        p.parent.name for folder in folders if folder.is_dir() for p in folder.glob("*/theme.toml")
    }
    return sorted(names)


def check_theme(root: Path, data: Mapping[str, object]) -> list[str]:
    """A problem when the configured theme does not exist."""
    name = data.get("theme", "default")
    themes_dir = data.get("themes_dir", "themes")
    if not isinstance(name, str) or not isinstance(themes_dir, str):
        return []
    folders = theme_folders(root, Path(themes_dir))
    if find_theme(folders, name) is not None:
        return []
    choices = available_themes(folders)
    hint = did_you_mean(name, choices) or f" (available: {', '.join(choices) or 'none'})"
    return [f'theme: no theme named "{name}" in {themes_dir}/ or the built-in themes{hint}']


def key_line(text: str, message: str) -> int | None:
    """The line a problem's key is set on, found from the key path the message starts with."""
    key = message.split(":", 1)[0].split(".")[-1].strip('"')
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=|^\s*\[[^\]]*\b{re.escape(key)}"?\]')
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """Parse a TOML file, turning syntax errors into a ConfigError with the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise ConfigError(Problem(str(path), "config file not found")) from err
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(Problem(str(path), f"cannot read: {err}")) from err
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"line (\d+)", str(err))
        raise ConfigError(
            Problem(str(path), f"invalid TOML: {err}", int(line.group(1)) if line else None)
        ) from err


def build_config(root: Path, data: Mapping[str, Any]) -> Config:
    """A Config from already-validated data."""
    values: dict[str, Any] = {k.name: data.get(k.name, k.default) for k in KEYS}
    for name in ("content_dir", "output_dir", "themes_dir"):
        values[name] = (root / values[name]).resolve()
    if values["base_url"] and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    values["encoding_overrides"] = tuple(sorted(values["encoding_overrides"].items()))
    values["sources"] = {
        name: SourceSettings(
            title=table.get("title"),
            drop=tuple(table.get("drop", ())),
            keep=tuple(table.get("keep", ())),
        )
        for name, table in sorted(values["sources"].items())
    }
    return Config(root=root, **values)


def load_config(path: Path) -> Config:
    """Read and validate config.toml; raise ConfigError listing every problem."""
    text, data = read_toml(path)
    root = path.resolve().parent
    messages = check_keys(data) + check_theme(root, data)
    if messages:
        raise ConfigError([Problem(str(path), m, key_line(text, m)) for m in messages])
    return replace(build_config(root, data), file=path.resolve())
