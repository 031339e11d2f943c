"""The package's layers: a module imports only from its own layer or the ones below it.

Read from the source with ast, so a new upward import fails here before it tangles the
pipeline (ARCHITECTURE.md: errors < model, config < parsing < site, theme < render, write
< build < watch, serve < cli). The dev server and watcher never import the build: they
receive a rebuild callable.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(names.split())
    for names in (
        "__init__ errors model body_store dates slug markup legacy_codecs jail livereload progress forked report",
        "config executors decode discover frontmatter reading i18n fingerprint crossdump dump",
        "source_rules messages helpers theme site related crossdump_memo",
        "read views",
        "cache head twins feeds machine_files search",
        "write",
        "batch render render_memo stage gather session snapshot touchup",
        "build",
        "watch serve",
        "develop scaffold inspect cli __main__",
    )
)
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}


def imported_modules(path: Path) -> set[str]:
    """The generator modules (top-level names) a source file imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "generator":
                names = [parts[1]] if len(parts) > 1 else [a.name for a in node.names]
                found.update(names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "generator" and len(parts) > 1:
                    found.add(parts[1])
    return found


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else path.stem


def test_every_module_has_a_layer() -> None:
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    assert sorted(modules - set(LEVEL)) == []


def test_no_module_imports_from_a_higher_layer() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = module_name(path)
        for target in sorted(imported_modules(path)):
            if target in LEVEL and LEVEL[target] > LEVEL[own]:
                upward.append(f"{path.relative_to(PACKAGE)} imports {target}")
    assert upward == []


def test_the_dev_server_and_watcher_never_import_the_build() -> None:
    for name in ("serve", "watch", "livereload", "jail"):
        assert "build" not in imported_modules(PACKAGE / f"{name}.py"), name


def test_the_dump_parser_imports_nothing_but_the_model() -> None:
    for path in (PACKAGE / "dump").rglob("*.py"):
        assert imported_modules(path) - {"dump", "model"} == set(), path.name
