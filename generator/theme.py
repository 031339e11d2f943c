"""Themes: theme.toml chains, option validation, the Jinja environment, hashed static files."""

from __future__ import annotations

import contextlib
import hashlib
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from types import MappingProxyType, TracebackType

import jinja2

from generator.config import available_themes, builtin_themes_dir, find_theme
from generator.errors import ConfigError, Problem, TemplateError, did_you_mean
from generator.helpers import HelperContext, template_globals
from generator.i18n import Catalog, load_catalog

DEFAULT_THEME = "default"
"""Where the shipped ``default`` theme lives when a site's own themes folder lacks it."""

THEME_KEYS = ("name", "description", "parent", "options")
OPTION_TYPES: tuple[type, ...] = (bool, int, float, str)
_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_TOML_LINE = re.compile(r"at line (\d+)")
RENDER_BUGS = (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError)
SELF_EXTENDS = (
    "templates extend or include each other in a loop; to build on a theme's own version,"
    ' name it with its theme, e.g. {% extends "default:base.html" %}'
)


@dataclass(frozen=True)
class ThemeLayer:
    """One theme folder of a chain, as its theme.toml describes it."""

    name: str
    path: Path
    description: str
    parent: str | None
    """The theme it extends; None only for ``default``."""
    options: Mapping[str, object]
    """Option defaults this theme declares or overrides."""


@dataclass(frozen=True, eq=False)
class Theme:
    """A loaded theme: its chain, checked options, messages and Jinja environment."""

    name: str
    path: Path
    chain: tuple[ThemeLayer, ...]
    """This theme first, then its parents; always ends with ``default``."""
    options: Mapping[str, object]
    """Theme defaults merged with the site's validated choices."""
    messages: Catalog
    environment: jinja2.Environment
    static: tuple[tuple[str, str, bytes], ...]
    """(relative name under static/, hashed site path, bytes), by relative name."""
    site_root: Path
    """Folder that error paths are given relative to."""
    template_dirs: tuple[Path, ...]
    """Every folder a template may come from, to find templates in error tracebacks."""

    @property
    def parents(self) -> tuple[str, ...]:
        """Names of the themes this one extends, nearest first."""
        return tuple(layer.name for layer in self.chain[1:])

    def asset(self, name: str) -> str:
        """The hashed site path of static file ``name``, e.g. ``static/style.1a2b3c4d.css``."""
        return find_asset(self.static, name)


def find_asset(static: tuple[tuple[str, str, bytes], ...], name: str) -> str:
    """The hashed path of static file ``name``; an unknown name is a Jinja runtime error."""
    for rel, hashed, _data in static:
        if rel == name:
            return hashed
    known = ", ".join(rel for rel, _hashed, _data in static) or "none"
    raise jinja2.TemplateRuntimeError(f"unknown asset {name!r} (theme static files: {known})")


def display_path(path: Path, site_root: Path) -> str:
    """``path`` relative to the site root with forward slashes, or absolute when outside it."""
    resolved = path.resolve()
    if resolved.is_relative_to(site_root):
        return resolved.relative_to(site_root).as_posix()
    return resolved.as_posix()


def find_theme_dir(themes_dirs: list[Path], name: str, site_root: Path) -> Path:
    """The folder of theme ``name``, the site's themes first, or a ConfigError naming the rest."""
    found = find_theme(themes_dirs, name)
    if found is not None:
        return found
    known = available_themes(themes_dirs)
    hint = did_you_mean(name, known)
    listed = ", ".join(known) or "none"
    where = display_path(themes_dirs[0], site_root)
    message = f"theme {name!r} not found in {where}{hint}; available themes: {listed}"
    raise ConfigError(Problem("config.toml", message))


def read_toml(path: Path, label: str) -> dict[str, object]:
    """A TOML file as a dict, or a ConfigError with the line of the syntax error."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(Problem(label, f"cannot read: {error}")) from error
    except tomllib.TOMLDecodeError as error:
        line = _TOML_LINE.search(str(error))
        problem = Problem(label, f"invalid TOML: {error}", int(line[1]) if line else None)
        raise ConfigError(problem) from error


def _optional_str(data: Mapping[str, object], key: str, label: str, out: list[Problem]) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        out.append(Problem(label, f"{key!r} must be a string"))
        return ""
    return value


def _layer_problems(data: Mapping[str, object], folder: Path, label: str) -> list[Problem]:
    problems = [
        Problem(label, f"unknown key {key!r}{did_you_mean(key, list(THEME_KEYS))}")
        for key in sorted(data)
        if key not in THEME_KEYS
    ]
    options = data.get("options", {})
    if not isinstance(options, dict):
        problems.append(Problem(label, "'options' must be a table"))
        return problems
    for key, value in sorted(options.items()):
        if not isinstance(value, OPTION_TYPES):
            problems.append(Problem(label, f"option {key!r} must be a string, number or boolean"))
    return problems


def read_layer(folder: Path, site_root: Path) -> ThemeLayer:
    """Read and check ``folder/theme.toml``; every problem is reported at once."""
    label = display_path(folder / "theme.toml", site_root)
    data = read_toml(folder / "theme.toml", label)
    problems = _layer_problems(data, folder, label)
    name = _optional_str(data, "name", label, problems) or folder.name
    if name != folder.name:
        problems.append(Problem(label, f"name {name!r} does not match its folder {folder.name!r}"))
    description = _optional_str(data, "description", label, problems)
    parent = _optional_str(data, "parent", label, problems) or None
    if name == DEFAULT_THEME and parent is not None:
        problems.append(Problem(label, "the default theme cannot have a parent"))
    if problems:
        raise ConfigError(problems)
    options = data.get("options", {})
    assert isinstance(options, dict)
    if parent is None and name != DEFAULT_THEME:
        parent = DEFAULT_THEME
    return ThemeLayer(name, folder, description, parent, MappingProxyType(dict(options)))


def resolve_chain(themes_dirs: list[Path], name: str, site_root: Path) -> tuple[ThemeLayer, ...]:
    """Theme ``name`` then its parents up to ``default``; a cycle is a ConfigError."""
    layers: list[ThemeLayer] = []
    current: str | None = name
    while current is not None:
        if any(layer.name == current for layer in layers):
            cycle = " -> ".join([*(layer.name for layer in layers), current])
            raise ConfigError(Problem("config.toml", f"theme parent cycle: {cycle}"))
        layer = read_layer(find_theme_dir(themes_dirs, current, site_root), site_root)
        layers.append(layer)
        current = layer.parent
    return tuple(layers)


def _same_kind(default: object, value: object) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return type(default) is type(value)


def _kind_name(value: object) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        type(value), type(value).__name__
    )


def option_problems(
    defaults: Mapping[str, object], given: Mapping[str, object], origin: str
) -> list[Problem]:
    """Every unknown option name, wrong type or malformed ``*_color`` value in ``given``."""
    problems: list[Problem] = []
    names = sorted(defaults)
    for key, value in sorted(given.items()):
        if key not in defaults:
            hint = did_you_mean(key, names)
            known = ", ".join(names) or "none"
            message = f"unknown theme option {key!r}{hint}; known options: {known}"
            problems.append(Problem(origin, message))
        elif not _same_kind(defaults[key], value):
            message = f"theme option {key!r} must be {_kind_name(defaults[key])}, not {value!r}"
            problems.append(Problem(origin, message))
        elif key.endswith("_color") and not _HEX_COLOR.match(str(value)):
            message = f"theme option {key!r} must be a hex colour like '#1a5fb4', not {value!r}"
            problems.append(Problem(origin, message))
    return problems


def merge_options(
    chain: tuple[ThemeLayer, ...], given: Mapping[str, object], origin: str
) -> Mapping[str, object]:
    """Defaults from ``default`` up to the theme, then the site's checked choices."""
    defaults: dict[str, object] = {}
    for layer in reversed(chain):
        defaults.update(layer.options)
    problems = option_problems(defaults, given, origin)
    if problems:
        raise ConfigError(problems)
    merged = {**defaults, **given}
    typed = {k: _as_float(v) if isinstance(defaults[k], float) else v for k, v in merged.items()}
    return MappingProxyType(dict(sorted(typed.items())))


def _as_float(value: object) -> object:
    return float(value) if isinstance(value, int) else value


def hashed_name(rel: str, data: bytes) -> str:
    """``style.css`` -> ``static/style.<first 8 hex of sha256>.css``."""
    path = PurePosixPath(rel)
    digest = hashlib.sha256(data).hexdigest()[:8]
    name = f"{path.stem}.{digest}{path.suffix}" if path.suffix else f"{path.name}.{digest}"
    return (PurePosixPath("static") / path.parent / name).as_posix()


def _static_files_of(folder: Path) -> Iterator[tuple[str, Path]]:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            yield rel.as_posix(), path


def collect_static(chain: tuple[ThemeLayer, ...]) -> tuple[tuple[str, str, bytes], ...]:
    """Static files of the whole chain, a child's file replacing its parent's of the same name."""
    chosen: dict[str, Path] = {}
    for layer in reversed(chain):
        chosen.update(_static_files_of(layer.path / "static"))
    files = []
    for rel in sorted(chosen):
        data = chosen[rel].read_bytes()
        files.append((rel, hashed_name(rel, data), data))
    return tuple(files)


def static_files(theme: Theme) -> list[tuple[str, bytes]]:
    """(hashed site path, bytes) of every theme static file, sorted by path."""
    return sorted((hashed, data) for _rel, hashed, data in theme.static)


def template_search_path(chain: tuple[ThemeLayer, ...], site_templates: Path | None) -> list[Path]:
    """Site override folder (if it exists), then the theme, its parents and ``default``."""
    folders = [layer.path / "templates" for layer in chain]
    if site_templates is not None:
        folders.insert(0, site_templates)
    return [folder.resolve() for folder in folders if folder.is_dir()]


def compiled_templates(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates in ``folder`` (checked against each template's
    source, written atomically): a build that renders a few pages no longer spends most of
    its rendering time compiling the templates. None when the folder cannot be made."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def build_environment(
    chain: tuple[ThemeLayer, ...],
    site_templates: Path | None,
    env_globals: dict[str, object],
    compiled: Path | None = None,
) -> jinja2.Environment:
    """Autoescaping, strict Jinja environment over the search path plus ``theme:`` prefixes;
    compiled templates are kept in ``compiled`` when given."""
    search = jinja2.FileSystemLoader([str(p) for p in template_search_path(chain, site_templates)])
    own = {
        layer.name: jinja2.FileSystemLoader(str((layer.path / "templates").resolve()))
        for layer in chain
    }
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader([search, jinja2.PrefixLoader(own, delimiter=":")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=compiled_templates(compiled),
    )
    environment.context_class = HelperContext
    environment.globals.update(env_globals)
    return environment


def load_theme(
    themes_dir: Path,
    name: str,
    *,
    site_templates: Path | None,
    ui_language: str,
    options: Mapping[str, object],
    options_origin: str = "config.toml",
    compiled: Path | None = None,
) -> Theme:
    """Load theme ``name`` and its parents; check ``options`` against their typed defaults.
    Compiled templates are kept in the folder ``compiled`` when given."""
    site_root = (site_templates.parent if site_templates else themes_dir.parent).resolve()
    themes_dirs = [themes_dir, builtin_themes_dir()]
    chain = resolve_chain(themes_dirs, name, site_root)
    merged = merge_options(chain, options, options_origin)
    i18n_dirs = [
        (layer.path / "i18n", display_path(layer.path / "i18n", site_root))
        for layer in reversed(chain)
    ]
    catalog = load_catalog(i18n_dirs, ui_language)
    static = collect_static(chain)
    env_globals = template_globals(catalog, merged, partial(find_asset, static))
    return Theme(
        name=chain[0].name,
        path=chain[0].path,
        chain=chain,
        options=merged,
        messages=catalog,
        environment=build_environment(chain, site_templates, env_globals, compiled),
        static=static,
        site_root=site_root,
        template_dirs=tuple(template_search_path(chain, site_templates)),
    )


def _template_frames(tb: TracebackType | None, search: list[str]) -> Iterator[tuple[str, int]]:
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(filename.startswith(folder) for folder in search):
            yield filename, tb.tb_lineno
        tb = tb.tb_next


def _locate(theme: Theme, error: BaseException, name: str) -> tuple[str, int | None]:
    """The template file and line an error happened in: the innermost template frame."""
    search = [str(folder) for folder in theme.template_dirs]
    frames = list(_template_frames(error.__traceback__, search))
    if frames:
        filename, line = frames[-1]
        return display_path(Path(filename), theme.site_root), line
    return display_path(theme.path / "templates" / name, theme.site_root), None


def _problem_for(theme: Theme, error: Exception, name: str) -> Problem:
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        path = display_path(Path(error.filename), theme.site_root)
        return Problem(path, f"template syntax error: {error.message}", error.lineno)
    if isinstance(error, jinja2.TemplateNotFound):
        path, line = _locate(theme, error, name)
        return Problem(path, f"template {error.name!r} not found", line)
    path, line = _locate(theme, error, name)
    if isinstance(error, jinja2.UndefinedError):
        return Problem(path, f"undefined value: {error.message}", line)
    if isinstance(error, jinja2.TemplateError):
        return Problem(path, f"template error: {error.message}", line)
    if isinstance(error, RecursionError):
        return Problem(path, SELF_EXTENDS, line)
    return Problem(path, f"template error: {type(error).__name__}: {error}", line)


def render_template(theme: Theme, name: str, context: Mapping[str, object]) -> str:
    """Render template ``name``; any Jinja failure becomes a TemplateError with file and line."""
    try:
        return theme.environment.get_template(name).render(dict(context))
    except (jinja2.TemplateError, RecursionError, *RENDER_BUGS) as error:
        raise TemplateError(_problem_for(theme, error, name)) from error


def compile_templates(theme: Theme) -> None:
    """Compile every page template now (a session's first edit would otherwise pay for it);
    one that does not compile is left for the build to report."""
    for name in theme.environment.list_templates(filter_func=lambda n: n.endswith(".html")):
        with contextlib.suppress(jinja2.TemplateError, RecursionError):
            theme.environment.get_template(name)
