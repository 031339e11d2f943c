"""``gleanery serve [--watch]``: build, serve, and rebuild on change.

The only module that knows both the build and the dev server; the server and the watcher
just receive the ``rebuild`` callable made here.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator.build import BuildReport, build
from generator.config import CACHE_DIR, Config, builtin_themes_dir, load_config
from generator.errors import GleaneryError, Problem
from generator.messages import shown
from generator.read import warm_up
from generator.serve import LiveState, exposure_warning, make_server, serve_until_interrupted
from generator.session import BuildSession
from generator.theme import compile_templates
from generator.watch import ChangeWatcher, WatchLimitError

Log = Callable[[str], None]


def report_lines(report: BuildReport, config: Config) -> list[str]:
    """What a rebuild shows in the browser overlay: inputs that could not be published."""
    return [shown(problem, config) for problem in report.failed]


@dataclass(frozen=True)
class DevSite:
    """What the dev loop needs to know about the site it serves, and its build memory."""

    config_file: Path
    output: Path
    session: BuildSession = field(default_factory=BuildSession)

    def rebuild(self, changed: frozenset[Path]) -> list[str]:
        """Reload the config and build; problems come back as lines, never as exceptions."""
        try:
            config = load_config(self.config_file)
            report = build(config, output=self.output, session=self.session, changed=changed)
            return report_lines(report, config)
        except GleaneryError as err:
            return [str(problem) for problem in err.problems]


def warm_up_session(session: BuildSession) -> None:
    """Load the parser, compile the theme's templates and make the spare tree while the
    user has not edited yet, so the first edit is as quick as the next ones. All are safe
    beside a build: reading is pure, Jinja's template cache is thread-safe, and the spare
    tree is made under the output's lock (see ``BuildSession.make_spare_ahead``)."""
    warm_up()
    if session.theme is not None:
        compile_templates(session.theme[1])
    session.make_spare_ahead()


def say(line: str) -> None:
    """Print a line at once, even when stdout is a pipe."""
    print(line, flush=True)


def watch_roots(config: Config) -> list[Path]:
    """Folders and files whose changes can change the site (never the output)."""
    candidates = [
        config.content_dir,
        config.themes_dir,
        builtin_themes_dir(),
        config.root / "templates",
        config.file,
    ]
    roots: list[Path] = []
    for path in candidates:
        if path.exists() and path.resolve() not in roots:
            roots.append(path.resolve())
    return roots


def run_dev_server(
    config: Config,
    output: Path,
    *,
    host: str,
    port: int,
    watch: bool,
    poll: float | None,
    log: Log | None = None,
    session: BuildSession | None = None,
) -> None:
    """Serve ``output`` until Ctrl-C; with ``watch``, rebuild and reload on every change."""
    log = log or say
    warning = exposure_warning(host)
    if warning:
        print(warning, file=sys.stderr)
    live = LiveState() if watch else None
    server = make_server(output, host=host, port=port, live=live)
    watchers = []
    if watch and live is not None:
        session = session or BuildSession()
        warming = partial(warm_up_session, session)
        threading.Thread(target=warming, name="gleanery-warm-up", daemon=True).start()
        session.swap_guard = live.swapping
        site = DevSite(config.file, output, session)
        ignore = [output, config.root / CACHE_DIR]
        watchers.append(
            ChangeWatcher(
                watch_roots(config),
                ignore=ignore,
                rebuild=site.rebuild,
                live=live,
                poll=poll,
                log=log,
            )
        )
    bound_host, bound_port = server.server_address[:2]
    what = "watching for changes, " if watch else ""
    message = f"serving {output} at http://{bound_host!s}:{bound_port}/ ({what}Ctrl-C to stop)"
    try:
        serve_until_interrupted(server, watchers, ready=lambda: log(message))
    except WatchLimitError as err:
        raise GleaneryError(Problem(str(config.content_dir), str(err))) from err
