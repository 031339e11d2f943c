"""The ``gleanery`` command: parse arguments, call one function, map errors to exit codes."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.config import Config

if TYPE_CHECKING:
    from generator.session import BuildSession
from generator.errors import GleaneryError, Problem
from generator.messages import shown

EXIT_OK, EXIT_FAILED_INPUTS, EXIT_FATAL, EXIT_INTERRUPTED = 0, 1, 2, 130

BUILD_GC_THRESHOLDS = (50_000, 20, 20)
"""Collector thresholds of a one-shot build. Nearly everything it allocates (the scan, the
records, the snapshot, the site) lives to its end, so at the default (a young collection
every 700 new objects) the collector kept walking the same live objects: 40 ms of a
0.4 s rebuild of one dump among 10,000. The few cycles a build makes (template contexts)
wait a little longer to be freed."""


def parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    main = argparse.ArgumentParser(
        prog="gleanery", description="Turn folders of text dumps into a static reading archive."
    )
    main.add_argument("--version", action="version", version=f"gleanery {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser("build", help="build the site into the output folder")
    add_site_options(build)
    build.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    build.add_argument("--no-cache", action="store_true", help="parse every input again")
    build.add_argument(
        "--executor",
        default="local",
        metavar="WHERE",
        help="local (process pool, default), serial, or dask://HOST:PORT",
    )
    serve = commands.add_parser("serve", help="serve the built site on this machine")
    add_site_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--no-build", action="store_true", help="serve output/ as it is")
    serve.add_argument(
        "--watch", action="store_true", help="rebuild on every change and reload the browser"
    )
    serve.add_argument(
        "--poll",
        type=float,
        nargs="?",
        const=0.7,
        default=None,
        metavar="SECONDS",
        help="poll for changes (network and container mounts); default every 0.7 s",
    )
    theme = commands.add_parser("theme", help="work with themes")
    theme_commands = theme.add_subparsers(dest="theme_command", required=True, metavar="ACTION")
    new = theme_commands.add_parser("new", help="create a child theme in the site's themes/")
    new.add_argument("name", help="the new theme's folder name")
    new.add_argument("--parent", default="default", help="the theme it extends (default)")
    new.add_argument("--config", type=Path, default=Path("config.toml"), metavar="PATH")
    inspect = commands.add_parser("inspect", help="show what the parser makes of dumps")
    inspect.add_argument("files", nargs="+", type=Path, metavar="FILE")
    inspect.add_argument("--json", action="store_true", help="JSON Lines, one object per file")
    return main


def add_site_options(command: argparse.ArgumentParser) -> None:
    """Options shared by the commands that work on a whole site."""
    command.add_argument("--config", type=Path, default=Path("config.toml"), metavar="PATH")
    command.add_argument("--output", type=Path, metavar="DIR", help="override output_dir")
    loudness = command.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    loudness.add_argument("-v", "--verbose", action="store_true", help="print every warning")


def report_problems(title: str, problems: Sequence[Problem], config: Config | None = None) -> None:
    """Print problems to stderr, one ``path:line: message`` per line."""
    if problems:
        print(f"{title}:", file=sys.stderr)
        for problem in problems:
            print(f"  {shown(problem, config) if config else problem}", file=sys.stderr)


def run_build(args: argparse.Namespace, session: BuildSession | None = None) -> int:
    """``gleanery build`` (and the first build of ``serve``, which may keep a session)."""
    from generator.build import build
    from generator.config import load_config
    from generator.executors import parse_executor
    from generator.progress import no_progress, progress_for

    config = load_config(args.config)
    progress = progress_for(sys.stderr, quiet=args.quiet)
    report = build(
        config,
        progress=progress or no_progress,
        executor=parse_executor(getattr(args, "executor", "local")),
        output=args.output,
        force=getattr(args, "force", False),
        cache=not getattr(args, "no_cache", False),
        session=session,
    )
    if progress:
        progress.finish()
    report_problems("failed (not published)", report.failed, config)
    report_problems("skipped", report.skipped, config)
    report_problems("merged (same article saved twice)", report.merged, config)
    if args.verbose or args.strict:
        report_problems("warnings", report.warnings, config)
    if not args.quiet:
        verb = "unchanged: nothing to do for" if report.unchanged else "built"
        print(
            f"{verb} {report.articles} articles and {report.pages} pages "
            f"({report.files} files) into {report.output} in {report.seconds:.2f} s; "
            f"{len(report.failed)} failed, {len(report.skipped)} skipped, "
            f"{len(report.merged)} merged, "
            f"{len(report.warnings)} warnings"
        )
    if args.verbose and not report.unchanged:
        how = " (touched up: only the changed dumps were read)" if report.touched_up else ""
        print(f"rendered {report.rendered} of {report.files} files{how}")
        if report.full_because:
            print(f"full pipeline: {report.full_because}")
    return report.exit_code(strict=args.strict)


def run_inspect(args: argparse.Namespace) -> int:
    """``gleanery inspect``."""
    from generator.inspect import human_report, json_lines

    lines = json_lines(args.files) if args.json else human_report(args.files)
    for line in lines:
        sys.stdout.write(line + "\n")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    """``gleanery serve``: build once (unless told not to), then serve, and watch if asked."""
    from generator.config import load_config
    from generator.develop import run_dev_server
    from generator.session import BuildSession

    config = load_config(args.config)
    output = (args.output or config.output_dir).resolve()
    watch = args.watch or args.poll is not None
    session = BuildSession() if watch else None
    if not args.no_build:
        code = run_build(args_for_build(args, force=watch), session)
        if code == EXIT_FATAL:
            return code
    run_dev_server(
        config, output, host=args.host, port=args.port, watch=watch, poll=args.poll, session=session
    )
    return EXIT_OK


def args_for_build(args: argparse.Namespace, *, force: bool) -> argparse.Namespace:
    """The serve arguments seen as build arguments."""
    return argparse.Namespace(**{**vars(args), "strict": False, "force": force})


def run_theme(args: argparse.Namespace) -> int:
    """``gleanery theme new NAME``: scaffold a child theme, commented to show what to change."""
    from generator.config import load_config
    from generator.scaffold import new_theme

    config = load_config(args.config)
    created = new_theme(config.themes_dir, args.name, args.parent)
    for path in created:
        print(f"created {os.path.relpath(path)}")
    print(f'use it with theme = "{args.name}" in {os.path.relpath(config.file)}')
    return EXIT_OK


COMMANDS = {"build": run_build, "inspect": run_inspect, "serve": run_serve, "theme": run_theme}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    return run(parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Run one parsed command; return the exit code."""
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("interrupted; the previous output is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except GleaneryError as err:
        report_problems("error", err.problems)
        return EXIT_FATAL if err.exit_code == EXIT_FATAL else err.exit_code


def entry() -> None:
    """Console script entry point.

    A build ends without the interpreter freeing its objects one by one (60-90 ms for an
    archive of 10,000 dumps, a tenth of a one-dump rebuild): by the time it returns, every
    file is written and closed and no thread or child process is left, so only the
    standard streams need flushing. Other commands (``serve`` joins its threads) exit as
    usual.
    """
    args = parser().parse_args()
    if args.command == "build":
        gc.set_threshold(*BUILD_GC_THRESHOLDS)
    code = run(args)
    if args.command == "build":
        with contextlib.suppress(OSError):  # a closed pipe: nothing more can be said
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
