"""The dev server: jailed paths, host checks, content types, live reload and load (D1-D7)."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.jail import Found, RequestRejectedError, parse_target, resolve
from generator.livereload import POLL_PATH, LiveState, inject_script, reload_script
from generator.serve import DevServer, exposure_warning, make_server

SECRET = "root:x:0:0:root:/root:/bin/bash\n"
JAIL_ROOT = Path(__file__).resolve().parent / "fixtures-that-do-not-exist" / "output"
"""A root for pure path checks: resolve() must never leave it, whether or not it exists."""
INDEX = "<!doctype html><html><head><title>Home</title></head><body><p>home</p></body></html>"


@dataclass(frozen=True)
class Response:
    """A parsed raw HTTP response."""

    status: int
    headers: dict[str, str]
    body: bytes


def raw_request(port: int, data: bytes, timeout: float = 5.0) -> Response:
    """Send bytes as they are (no client-side normalisation) and parse the reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Response(int(lines[0].split()[1]), headers, body)


def get(port: int, path: str, host: str = "localhost", method: str = "GET") -> Response:
    """A raw request with a Host header."""
    return raw_request(port, f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())


def make_output(root: Path) -> Path:
    """A small built site next to a secret file it must never expose."""
    (root / "secret.txt").write_text(SECRET)
    out = root / "output"
    files = {
        "index.html": INDEX,
        "about/index.html": "<html><body>about</body></html>",
        "café/index.html": "<html><body>café</body></html>",
        "drafts/unlisted-draft.txt": "draft",
        "style.css": "body{}",
        "app.js": "1;",
        "data.json": "{}",
        "feed.xml": "<rss/>",
        "feed.atom": "<feed/>",
        "logo.svg": "<svg/>",
        "logo.png": "png",
        "notes.txt": "text",
        "search.wasm": "wasm",
        "pagefind/fragment/a.pf_fragment": "pf",
        "404.html": "<html><body><h1>Nothing here</h1></body></html>",
        ".generator-output": "marker",
    }
    for rel, text in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    return out


@contextmanager
def running(
    output: Path, live: LiveState | None = None, host: str = "127.0.0.1"
) -> Iterator[DevServer]:
    """A dev server on a free port, served from a thread, always shut down."""
    server = make_server(output, host=host, port=0, live=live)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def port_of(server: DevServer) -> int:
    """The port the server is bound to."""
    return int(server.server_address[1])


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """The built site to serve."""
    return make_output(tmp_path)


@pytest.fixture(scope="module")
def shared_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site that read-only tests share."""
    return make_output(tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="module")
def server(shared_output: Path) -> Iterator[DevServer]:
    """A plain server (no live reload) over the shared site; tests must not change it."""
    with running(shared_output) as srv:
        yield srv


def test_binds_loopback_by_default(output: Path) -> None:
    with running(output) as srv:
        assert srv.socket.getsockname()[0] == "127.0.0.1"
        assert get(port_of(srv), "/").status == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_no_exposure_warning_on_loopback(host: str) -> None:
    assert exposure_warning(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org"])
def test_exposure_warning_on_network_hosts(host: str) -> None:
    warning = exposure_warning(host)
    assert warning is not None
    assert "network" in warning


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/data.json", "application/json"),
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/feed.atom", "application/atom+xml; charset=utf-8"),
        ("/logo.svg", "image/svg+xml; charset=utf-8"),
        ("/logo.png", "image/png"),
        ("/notes.txt", "text/plain; charset=utf-8"),
        ("/search.wasm", "application/wasm"),
        ("/pagefind/fragment/a.pf_fragment", "application/octet-stream"),
    ],
)
def test_serves_files_with_their_content_type(
    server: DevServer, path: str, content_type: str
) -> None:
    response = get(port_of(server), path)
    assert response.status == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["cache-control"] == "no-cache"


def test_hashed_theme_files_are_cached_and_nothing_else_is(output: Path) -> None:
    (output / "static").mkdir()
    (output / "static" / "style.1a2b3c4d.css").write_text("p{}", encoding="utf-8")
    (output / "static" / "style.css").write_text("p{}", encoding="utf-8")
    with running(output) as srv:
        hashed = get(port_of(srv), "/static/style.1a2b3c4d.css")
        plain = get(port_of(srv), "/static/style.css")
    assert "immutable" in hashed.headers["cache-control"]
    assert plain.headers["cache-control"] == "no-cache"


def test_serves_non_ascii_paths(server: DevServer) -> None:
    response = get(port_of(server), "/caf%C3%A9/")
    assert response.status == 200
    assert "café".encode() in response.body


def test_directory_without_slash_redirects_to_slash(server: DevServer) -> None:
    response = get(port_of(server), "/about?x=1")
    assert response.status == 301
    assert response.headers["location"] == "/about/"
    assert get(port_of(server), "/about/").body == b"<html><body>about</body></html>"


def test_directory_without_index_is_404_without_listing(server: DevServer) -> None:
    for path in ("/drafts/", "/drafts"):
        response = get(port_of(server), path)
        assert response.status == 404
        assert b"unlisted-draft" not in response.body
        assert "location" not in response.headers


def test_missing_file_gets_the_site_404_page(server: DevServer) -> None:
    response = get(port_of(server), "/no/such/page.html")
    assert response.status == 404
    assert b"Nothing here" in response.body


def test_file_path_with_trailing_slash_is_404(server: DevServer) -> None:
    assert get(port_of(server), "/style.css/").status == 404


def test_hidden_files_are_not_served(server: DevServer) -> None:
    assert get(port_of(server), "/.generator-output").status == 404


def test_head_sends_headers_without_body(server: DevServer) -> None:
    full = get(port_of(server), "/")
    head = get(port_of(server), "/", method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["content-length"] == str(len(full.body))


TRAVERSALS = [
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/%252e%252e/",
    "/..\\..\\",
    "//evil.example/%2e%2e%2f/x",
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/about/%2e%2e/%2e%2e/secret.txt",
    "/.%2e/secret.txt",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_requests_never_escape_the_root(server: DevServer, path: str) -> None:
    response = get(port_of(server), path)
    assert response.status in (400, 404)
    assert b"root:" not in response.body
    assert not response.headers.get("location", "").startswith("//")


PATH_PIECES = st.sampled_from(
    ["..", ".", "%2e", "%2E%2e", "%2f", "%5c", "/", "//", "\\", "%00", "%ff", "%25", "about"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(PATH_PIECES, st.text(max_size=8)), max_size=10))
def test_any_request_path_resolves_inside_the_root_or_is_refused(pieces: list[str]) -> None:
    root = JAIL_ROOT.resolve()
    try:
        target = parse_target("/" + "".join(pieces))
    except RequestRejectedError as rejected:
        assert 400 <= rejected.status.value < 500
        return
    found = resolve(root, target)
    if isinstance(found, Found):
        assert found.path.is_relative_to(root)


def test_symlinks_out_of_the_root_are_404(output: Path) -> None:
    (output / "leak.txt").symlink_to(output.parent / "secret.txt")
    (output / "outside").symlink_to(output.parent, target_is_directory=True)
    (output / "alias.html").symlink_to(output / "index.html")
    with running(output) as server:
        for path in ("/leak.txt", "/outside/secret.txt", "/outside/"):
            response = get(port_of(server), path)
            assert response.status == 404
            assert b"root:" not in response.body
        assert get(port_of(server), "/alias.html").status == 200


MALFORMED = [
    b"GET /%00 HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"GET /index.html%00.txt HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"GET /" + b"a" * 8192 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"GET /%ff HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"GET /%C3%28 HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"PUT /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\n\r\nx",
    b"DELETE /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"BREW / HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"GET / HTTP/1.1\r\n\r\n",
    b"GET http://localhost/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: localhost\r\n\r\n",
    b"NONSENSE\r\n\r\n",
    b"GET /\x01 HTTP/1.1\r\nHost: localhost\r\n\r\n",
]


@pytest.mark.parametrize("request_bytes", MALFORMED)
def test_malformed_requests_get_4xx_without_traceback(
    server: DevServer,
    shared_output: Path,
    request_bytes: bytes,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    response = raw_request(port_of(server), request_bytes)
    assert 400 <= response.status <= 505
    assert b"Traceback" not in response.body
    assert get(port_of(server), "/").status == 200
    assert (shared_output / "index.html").read_text() == INDEX
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out + caplog.text


def test_request_lines_are_logged_only_when_verbose(output: Path) -> None:
    quiet: list[str] = []
    chatty: list[str] = []
    for lines, verbose in ((quiet, False), (chatty, True)):
        server = make_server(output, port=0, verbose=verbose, log=lines.append)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        get(port_of(server), "/style.css")
        raw_request(port_of(server), b"GET /\x1b[31mred HTTP/1.1\r\nHost: localhost\r\n\r\n")
        server.shutdown()
        server.server_close()
    assert quiet == []
    assert any("/style.css" in line and "200" in line for line in chatty)
    assert all("\n" not in line for line in chatty)


def test_serves_on_ipv6_loopback(output: Path) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        server = make_server(output, host="::1", port=0)
    except OSError:
        pytest.skip("::1 cannot be bound here")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        with socket.create_connection(("::1", port_of(server)), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n")
            assert sock.recv(64).startswith(b"HTTP/1.0 200")
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "host", ["attacker.example", "attacker.example:8000", "localhost.attacker.example", "[::2]"]
)
def test_foreign_host_header_is_forbidden(server: DevServer, host: str) -> None:
    assert get(port_of(server), "/", host=host).status == 403


def test_loopback_host_headers_are_allowed(server: DevServer) -> None:
    port = port_of(server)
    for host in ("localhost", f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"):
        assert get(port, "/", host=host).status == 200, host


def test_wildcard_bind_allows_ip_hosts_but_not_names(output: Path) -> None:
    with running(output, host="0.0.0.0") as srv:
        port = port_of(srv)
        assert get(port, "/", host=f"192.168.1.20:{port}").status == 200
        assert get(port, "/", host="attacker.example").status == 403


def test_injects_live_script_only_in_served_html(output: Path) -> None:
    live = LiveState()
    with running(output, live) as srv:
        page = get(port_of(srv), "/")
        css = get(port_of(srv), "/style.css")
        missing = get(port_of(srv), "/gone.html")
    assert POLL_PATH.encode() in page.body
    assert page.body.index(b"<script>") < page.body.index(b"</body>")
    assert int(page.headers["content-length"]) == len(page.body)
    assert POLL_PATH.encode() in missing.body
    assert css.body == b"body{}"
    assert (output / "index.html").read_text() == INDEX


def test_no_live_script_without_live_state(server: DevServer) -> None:
    assert b"<script" not in get(port_of(server), "/").body


def test_live_script_builds_overlay_with_text_only() -> None:
    script = reload_script(3)
    assert b"textContent" in script
    assert b"innerHTML" not in script
    assert b"since = 3" in script


def test_inject_script_goes_before_last_body_close() -> None:
    html = b"<body><pre></BODY></pre></Body >"
    result = inject_script(html, 1)
    assert result.endswith(b"</script>\n</Body >")
    assert inject_script(b"<p>no body", 1).startswith(b"<p>no body<script>")


def poll(port: int, since: int, wait: bool = True) -> dict[str, object]:
    """One live-reload poll, decoded."""
    response = get(port, f"{POLL_PATH}?since={since}&wait={int(wait)}")
    assert response.status == 200
    assert response.headers["cache-control"] == "no-store"
    data = json.loads(response.body)
    assert isinstance(data, dict)
    return data


def test_poll_returns_new_version_after_bump(output: Path) -> None:
    live = LiveState(poll_timeout=5)
    with running(output, live) as srv, ThreadPoolExecutor(1) as pool:
        pending = pool.submit(poll, port_of(srv), 0)
        time.sleep(0.1)
        assert not pending.done()
        live.bump()
        assert pending.result(timeout=3) == {"version": 1, "errors": []}


def test_poll_reports_errors_and_their_fix(output: Path) -> None:
    live = LiveState(poll_timeout=5)
    with running(output, live) as srv, ThreadPoolExecutor(1) as pool:
        pending = pool.submit(poll, port_of(srv), 0)
        time.sleep(0.05)
        live.set_errors(["content/bad.txt:3: <b>unclosed"])
        assert pending.result(timeout=3) == {
            "version": 0,
            "errors": ["content/bad.txt:3: <b>unclosed"],
        }
        live.publish([])
        assert poll(port_of(srv), 0, wait=False) == {"version": 1, "errors": []}


def test_poll_with_a_bad_version_is_400(output: Path) -> None:
    with running(output, LiveState()) as srv:
        assert get(port_of(srv), f"{POLL_PATH}?since=abc").status == 400
        assert get(port_of(srv), f"{POLL_PATH}?since=" + "9" * 5000).status == 400


def test_poll_times_out_with_the_same_version(output: Path) -> None:
    live = LiveState(poll_timeout=0.2)
    with running(output, live) as srv:
        started = time.monotonic()
        assert poll(port_of(srv), 0)["version"] == 0
        assert time.monotonic() - started < 2


def test_shutdown_releases_pending_polls(output: Path) -> None:
    live = LiveState(poll_timeout=60)
    pool = ThreadPoolExecutor(2)
    with running(output, live) as srv:
        pending = [pool.submit(poll, port_of(srv), 0) for _ in range(2)]
        time.sleep(0.1)
        started = time.monotonic()
    for future in pending:
        assert future.result(timeout=3)["version"] == 0
    assert time.monotonic() - started < 3
    pool.shutdown()


def test_requests_wait_for_a_swap_then_see_new_files(output: Path) -> None:
    live = LiveState()
    with running(output, live) as srv, ThreadPoolExecutor(1) as pool:
        with live.swapping():
            pending = pool.submit(get, port_of(srv), "/style.css")
            time.sleep(0.2)
            assert not pending.done()
            (output / "style.css").write_text("body{color:red}")
        assert pending.result(timeout=3).body == b"body{color:red}"


def test_swap_waits_for_requests_in_flight() -> None:
    live = LiveState()
    order: list[str] = []
    with live.reading():
        swapper = threading.Thread(target=lambda: _swap(live, order))
        swapper.start()
        time.sleep(0.1)
        order.append("read done")
    swapper.join(3)
    assert order == ["read done", "swapped"]


def _swap(live: LiveState, order: list[str]) -> None:
    """Record when the exclusive section was entered."""
    with live.swapping():
        order.append("swapped")


def test_a_swap_bumps_the_version_once_and_publish_does_not_repeat_it() -> None:
    live = LiveState()
    with live.swapping(), live.swapping():
        assert live.version == 0
    assert live.version == 1
    assert live.publish(["content/a.txt:1: bad"]) == 1
    assert live.errors == ("content/a.txt:1: bad",)
    assert live.publish([]) == 2


def test_wait_for_change_returns_at_once_when_behind() -> None:
    live = LiveState()
    live.bump()
    started = time.monotonic()
    assert live.wait_for_change(0, 10) == 1
    assert time.monotonic() - started < 0.5


def _load_client(port: int, requests: int) -> list[float]:
    """One keep-nothing client doing sequential GETs; returns each latency."""
    latencies = []
    for i in range(requests):
        path = ("/", "/style.css", "/about/", "/feed.atom")[i % 4]
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == 200
        latencies.append(time.monotonic() - started)
    return latencies


def _load_round(output: Path) -> tuple[float, float]:
    """50 clients x 20 requests beside 8 pending polls and an idle socket: (p99, total)."""
    live = LiveState(poll_timeout=30)
    with running(output, live) as srv, ThreadPoolExecutor(60) as pool:
        port = port_of(srv)
        idle = socket.create_connection(("127.0.0.1", port))
        idle.sendall(b"GET / HTTP/1.1\r\n")
        polls = [pool.submit(poll, port, 0) for _ in range(8)]
        started = time.monotonic()
        clients = [pool.submit(_load_client, port, 20) for _ in range(50)]
        latencies = sorted(t for c in clients for t in c.result(timeout=30))
        total = time.monotonic() - started
        live.bump()
        assert all(p.result(timeout=5)["version"] == 1 for p in polls)
        idle.close()
    assert len(latencies) == 1000
    return latencies[int(len(latencies) * 0.99) - 1], total


def test_concurrent_clients_all_served_with_pending_polls(output: Path) -> None:
    # Every round must serve all 1000 requests; the latency bar gets a second round
    # because this machine is shared and a scheduler hiccup is not a server bug.
    p99, total = _load_round(output)
    if p99 >= 0.5 or total >= 15:
        p99, total = _load_round(output)
    assert p99 < 0.5
    assert total < 15
