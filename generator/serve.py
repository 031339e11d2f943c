"""A small, threaded, jailed static server for previewing the built site locally."""

from __future__ import annotations

import html
import json
import re
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePath
from typing import Protocol
from urllib.parse import parse_qs

from generator.jail import (
    Found,
    Redirect,
    RequestRejectedError,
    Target,
    exposure_warning,
    host_allowed,
    parse_target,
    read_file,
    resolve,
)
from generator.livereload import POLL_PATH, LiveState, inject_script

__all__ = ["DevServer", "LiveState", "exposure_warning", "make_server", "serve_until_interrupted"]


_TEXT = "; charset=utf-8"
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html" + _TEXT,
    ".htm": "text/html" + _TEXT,
    ".css": "text/css" + _TEXT,
    ".js": "text/javascript" + _TEXT,
    ".mjs": "text/javascript" + _TEXT,
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml" + _TEXT,
    ".rss": "application/rss+xml" + _TEXT,
    ".atom": "application/atom+xml" + _TEXT,
    ".xsl": "application/xslt+xml" + _TEXT,
    ".svg": "image/svg+xml" + _TEXT,
    ".txt": "text/plain" + _TEXT,
    ".md": "text/markdown" + _TEXT,
    ".csv": "text/csv" + _TEXT,
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"


def content_type_for(name: str | PurePath) -> str:
    """The Content-Type for a file name (pagefind `.pf_*` files are opaque bytes)."""
    suffix = PurePath(name).suffix.lower()
    if suffix.startswith(".pf_"):
        return DEFAULT_CONTENT_TYPE
    return CONTENT_TYPES.get(suffix, DEFAULT_CONTENT_TYPE)


HASHED_STATIC = re.compile(r"\.[0-9a-f]{8}\.[A-Za-z0-9]+$")
"""A theme file named after a hash of its bytes (``style.1a2b3c4d.css``)."""
FOREVER = (("Cache-Control", "public, max-age=31536000, immutable"),)


def cache_headers(target: Target) -> tuple[tuple[str, str], ...]:
    """Hashed theme files never change under their name, so a reload need not ask again
    for them; everything else is checked on every use (``no-cache``)."""
    segments = target.segments
    if len(segments) == 2 and segments[0] == "static" and HASHED_STATIC.search(segments[1]):
        return FOREVER
    return ()


@dataclass(frozen=True)
class Reply:
    """A complete response, built before anything is sent."""

    status: HTTPStatus
    content_type: str = "text/html" + _TEXT
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


def _plain_error_page(status: HTTPStatus) -> bytes:
    """A minimal error page that echoes nothing from the request."""
    title = html.escape(f"{status.value} {status.phrase}")
    return f"<!doctype html><title>{title}</title><h1>{title}</h1>\n".encode()


class DevServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its site root, live state and allowed host names."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        live: LiveState | None,
        verbose: bool,
        log: Callable[[str], None],
    ) -> None:
        self.root = root
        self.live = live
        self.verbose = verbose
        self.log = log
        self.bound_host = address[0]
        self._polls = 0
        self._polls_changed = threading.Condition()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, DevRequestHandler)

    def server_bind(self) -> None:
        """Bind without the reverse DNS lookup HTTPServer does (it can stall startup)."""
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.bound_host
        self.server_port = int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        """One log line instead of a traceback; dropped connections are not news."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            self.log(f"serve: a request failed: {type(error).__name__}")

    def poll_started(self) -> None:
        """Count a live-reload poll in flight."""
        with self._polls_changed:
            self._polls += 1

    def poll_finished(self) -> None:
        """A poll has been answered (or its client went away)."""
        with self._polls_changed:
            self._polls -= 1
            self._polls_changed.notify_all()

    def server_close(self, drain_timeout: float = 1.0) -> None:
        """Answer pending live-reload polls (briefly), then close the socket."""
        if self.live is not None:
            self.live.close()
            with self._polls_changed:
                self._polls_changed.wait_for(lambda: self._polls == 0, drain_timeout)
        super().server_close()


class DevRequestHandler(BaseHTTPRequestHandler):
    """GET/HEAD only; every path goes through parse_target and resolve."""

    server: DevServer
    server_version = "gleanery"
    timeout = 30
    error_content_type = "text/html" + _TEXT
    default_request_version = "HTTP/1.0"
    _in_poll = False

    def version_string(self) -> str:
        """The Server header: no Python version."""
        return self.server_version

    def do_GET(self) -> None:
        """Serve a file, a redirect, a poll answer or an error."""
        self._send(self._route(), head=False)

    def do_HEAD(self) -> None:
        """Like GET without the body."""
        self._send(self._route(), head=True)

    def _method_not_allowed(self) -> None:
        """Every other method: 405 with an Allow header."""
        reply = self._error(HTTPStatus.METHOD_NOT_ALLOWED)
        extra = (*reply.headers, ("Allow", "GET, HEAD"))
        self._send(Reply(reply.status, reply.content_type, reply.body, extra), head=False)

    def do_POST(self) -> None:
        """Refused: the dev server only reads."""
        self._method_not_allowed()

    def do_PUT(self) -> None:
        """Refused: the dev server only reads."""
        self._method_not_allowed()

    def do_DELETE(self) -> None:
        """Refused: the dev server only reads."""
        self._method_not_allowed()

    def do_PATCH(self) -> None:
        """Refused: the dev server only reads."""
        self._method_not_allowed()

    def do_OPTIONS(self) -> None:
        """Refused: the dev server only reads."""
        self._method_not_allowed()

    def handle_one_request(self) -> None:
        """Never let an exception reach socketserver's traceback printer."""
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception as exc:  # a dev server must outlive any request
            self.server.log(f"serve: error while handling a request: {type(exc).__name__}")
            self.close_connection = True
        finally:
            if self._in_poll:
                self._in_poll = False
                self.server.poll_finished()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors raised by http.server itself (bad request line, 414, 501) use our pages."""
        self.close_connection = True
        try:
            status = HTTPStatus(code)
        except ValueError:
            status = HTTPStatus.BAD_REQUEST
        self._send(self._error(status), head=self.command == "HEAD")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet unless verbose; control characters are escaped."""
        if self.server.verbose:
            text = (format % args).encode("ascii", "backslashreplace").decode("ascii")
            self.server.log(f"{self.address_string()} {_printable(text)}")

    def log_error(self, format: str, *args: object) -> None:
        """Same channel as request lines: nothing unless verbose."""
        self.log_message(format, *args)

    def _route(self) -> Reply:
        """Decide the reply for the current GET/HEAD request."""
        host = self.headers.get("Host")
        if host is None:
            return self._error(HTTPStatus.BAD_REQUEST)
        if not host_allowed(host, self.server.bound_host):
            return self._error(HTTPStatus.FORBIDDEN)
        raw_path, _, query = self.path.partition("?")
        try:
            target = parse_target(raw_path.partition("#")[0])
        except RequestRejectedError as rejected:
            return self._error(rejected.status)
        if self.server.live is not None and "/" + "/".join(target.segments) == POLL_PATH:
            return self._poll(self.server.live, query)
        return self._serve_file(target)

    def _serve_file(self, target: Target) -> Reply:
        """A file from the site, read while no swap is running."""
        live = self.server.live
        if live is None:
            return self._read_target(target, None)
        with live.reading():
            return self._read_target(target, live.version)

    def _read_target(self, target: Target, version: int | None) -> Reply:
        """Resolve and read under the gate; `version` set means inject the script."""
        found = resolve(self.server.root, target)
        if isinstance(found, Redirect):
            return Reply(HTTPStatus.MOVED_PERMANENTLY, headers=(("Location", found.location),))
        body = read_file(found.path) if found is not None else None
        if found is None or body is None:
            return self._not_found(version)
        kind = content_type_for(found.path)
        if version is not None and kind.startswith("text/html"):
            body = inject_script(body, version)
        return Reply(HTTPStatus.OK, kind, body, cache_headers(target))

    def _not_found(self, version: int | None) -> Reply:
        """The site's own 404.html when it has one."""
        page = resolve(self.server.root, Target(("404.html",), False))
        body = read_file(page.path) if isinstance(page, Found) else None
        if body is None:
            return Reply(HTTPStatus.NOT_FOUND, body=_plain_error_page(HTTPStatus.NOT_FOUND))
        if version is not None:
            body = inject_script(body, version)
        return Reply(HTTPStatus.NOT_FOUND, body=body)

    def _error(self, status: HTTPStatus) -> Reply:
        """An error reply; 404 uses the site's page when it exists."""
        if status == HTTPStatus.NOT_FOUND:
            with self._gate():
                live = self.server.live
                return self._not_found(None if live is None else live.version)
        return Reply(status, body=_plain_error_page(status))

    def _gate(self) -> AbstractContextManager[None]:
        """The live gate, or a no-op when serving without live reload."""
        live = self.server.live
        return live.reading() if live is not None else nullcontext()

    def _poll(self, live: LiveState, query: str) -> Reply:
        """Answer a live-reload poll: wait for a new version, then report it with errors."""
        params = parse_qs(query)
        try:
            since = int(params.get("since", ["-1"])[0])
            wait = params.get("wait", ["1"])[0] != "0"
        except ValueError:
            return self._error(HTTPStatus.BAD_REQUEST)
        if wait:
            self._in_poll = True
            self.server.poll_started()
            live.wait_for_change(since, live.poll_timeout)
        version, errors = live.snapshot()
        body = json.dumps({"version": version, "errors": list(errors)}).encode("utf-8")
        return Reply(HTTPStatus.OK, "application/json", body, (("Cache-Control", "no-store"),))

    def _send(self, reply: Reply, *, head: bool) -> None:
        """Write status, headers and (unless HEAD) body."""
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        names = {name.lower() for name, _ in reply.headers}
        if "cache-control" not in names:
            self.send_header("Cache-Control", "no-cache")
        for name, value in reply.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(reply.body)


def _printable(text: str) -> str:
    """Escape control characters so a request cannot forge log lines."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def make_server(
    output_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    live: LiveState | None = None,
    verbose: bool = False,
    log: Callable[[str], None] | None = None,
) -> DevServer:
    """Bind (but do not start) a dev server for `output_dir`; port 0 picks a free port."""
    return DevServer((host, port), Path(output_dir), live, verbose, log or _print_to_stderr)


def _print_to_stderr(line: str) -> None:
    """Default log sink: one line on stderr."""
    print(line, file=sys.stderr, flush=True)


class Supervised(Protocol):
    """What serve_until_interrupted needs from a watcher."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def join(self, timeout: float | None = None) -> None: ...

    def check_alive(self) -> bool: ...


def serve_until_interrupted(
    server: DevServer,
    watchers: Sequence[Supervised] = (),
    *,
    health_interval: float = 2.0,
    stop: threading.Event | None = None,
    ready: Callable[[], None] | None = None,
) -> None:
    """Serve (and watch) until Ctrl-C or `stop` is set; always shuts down cleanly.

    ``ready`` is called once the server and every watcher are running.
    """
    stop = stop if stop is not None else threading.Event()
    thread = threading.Thread(target=server.serve_forever, args=(0.25,), daemon=True)
    thread.start()
    try:
        for watcher in watchers:
            watcher.start()
        if ready is not None:
            ready()
        while thread.is_alive() and not stop.wait(health_interval):
            for watcher in watchers:
                watcher.check_alive()
    except KeyboardInterrupt:
        pass
    finally:
        for watcher in watchers:
            watcher.stop()
        server.shutdown()
        server.server_close()
        for watcher in watchers:
            watcher.join(timeout=5.0)
