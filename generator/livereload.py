"""Live-reload state shared by the watcher and the dev server, and the script pages get."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

POLL_PATH = "/__gleanery/poll"
"""URL the injected script long-polls; never a file of the site."""

DEFAULT_POLL_TIMEOUT = 25.0
"""Longest a poll request is held open, in seconds (browsers and proxies give up near 30)."""

DEFAULT_GATE_TIMEOUT = 30.0
"""Longest a request waits for a swap in progress before it is served anyway."""


class LiveState:
    """Thread-safe build version and error list, plus a readers-writer gate for swaps."""

    def __init__(
        self,
        *,
        poll_timeout: float = DEFAULT_POLL_TIMEOUT,
        gate_timeout: float = DEFAULT_GATE_TIMEOUT,
    ) -> None:
        self.poll_timeout = poll_timeout
        self.gate_timeout = gate_timeout
        lock = threading.Lock()
        self._changed = threading.Condition(lock)
        self._gate = threading.Condition(lock)
        self._version = 0
        self._generation = 0
        self._errors: tuple[str, ...] = ()
        self._readers = 0
        self._writers_waiting = 0
        self._swap_owner: int | None = None
        self._swap_depth = 0
        self._swaps_since_publish = 0
        self._closed = False

    @property
    def version(self) -> int:
        """The number of builds published so far."""
        with self._changed:
            return self._version

    @property
    def errors(self) -> tuple[str, ...]:
        """The errors of the latest build (empty when it was clean)."""
        with self._changed:
            return self._errors

    def snapshot(self) -> tuple[int, tuple[str, ...]]:
        """The version and the errors, read together."""
        with self._changed:
            return self._version, self._errors

    def bump(self) -> int:
        """Record a finished build and wake every waiting poll; returns the new version."""
        with self._changed:
            self._version += 1
            self._generation += 1
            self._changed.notify_all()
            return self._version

    def set_errors(self, errors: Sequence[str]) -> None:
        """Replace the error list and wake every waiting poll."""
        with self._changed:
            self._errors = tuple(errors)
            self._generation += 1
            self._changed.notify_all()

    def publish(self, errors: Sequence[str]) -> int:
        """End of a build: set the errors, and bump unless a swap already did; new version."""
        with self._changed:
            self._errors = tuple(errors)
            if self._swaps_since_publish == 0:
                self._version += 1
            self._swaps_since_publish = 0
            self._generation += 1
            self._changed.notify_all()
            return self._version

    def wait_for_change(self, since: int, timeout: float) -> int:
        """Block until the version differs from `since`, the errors change or time is up."""
        deadline = time.monotonic() + max(0.0, min(timeout, self.poll_timeout))
        with self._changed:
            generation = self._generation
            while self._version == since and self._generation == generation:
                remaining = deadline - time.monotonic()
                if self._closed or remaining <= 0:
                    break
                self._changed.wait(remaining)
            return self._version

    def close(self) -> None:
        """Release every waiting poll and gate at once (server shutdown)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            self._gate.notify_all()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold off swaps while a request reads files; waits while a swap is pending."""
        deadline = time.monotonic() + self.gate_timeout
        with self._gate:
            while (self._swap_owner is not None or self._writers_waiting) and not self._closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._gate.wait(remaining)
            self._readers += 1
        try:
            yield
        finally:
            with self._gate:
                self._readers -= 1
                if self._readers == 0:
                    self._gate.notify_all()

    @contextmanager
    def swapping(self) -> Iterator[None]:
        """Exclusive section for the builder: new requests wait until the swap is done.

        Leaving it bumps the version (new files are visible). Re-entrant in the thread that
        holds it. The dev server's builds hold it only around their swap (``Stage.guard``),
        so pages are served from the last build while the next one renders.
        """
        me = threading.get_ident()
        with self._gate:
            if self._swap_owner == me:
                self._swap_depth += 1
            else:
                self._acquire_swap(me)
        try:
            yield
        finally:
            with self._gate:
                self._swap_depth -= 1
                if self._swap_depth == 0:
                    self._swap_owner = None
                    self._swaps_since_publish += 1
                    self._version += 1
                    self._generation += 1
                    self._changed.notify_all()
                    self._gate.notify_all()

    def _acquire_swap(self, me: int) -> None:
        """Wait (gate lock held) until no request reads and no other swap runs."""
        self._writers_waiting += 1
        try:
            while self._swap_owner is not None or self._readers:
                self._gate.wait()
        finally:
            self._writers_waiting -= 1
        self._swap_owner = me
        self._swap_depth = 1


_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)

_SCRIPT_TEMPLATE = """<script>
(function () {
  "use strict";
  var since = %(version)d, box = null, delay = 1000;
  function clear() { if (box) { box.remove(); box = null; } }
  function show(errors) {
    if (!errors.length) { clear(); return; }
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:2147483647;" +
        "max-height:50vh;overflow:auto;padding:1rem;background:#fff4f4;color:#600;" +
        "border:2px solid #c00;border-radius:6px;font:14px/1.4 monospace;" +
        "box-shadow:0 4px 16px rgba(0,0,0,.25)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "Build errors (the last good version of the site is shown)";
    box.appendChild(title);
    errors.forEach(function (text) {
      var line = document.createElement("div");
      line.style.whiteSpace = "pre-wrap";
      line.textContent = String(text);
      box.appendChild(line);
    });
  }
  function poll(wait) {
    fetch("%(path)s?since=" + since + "&wait=" + wait, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("poll " + response.status); }
        return response.json();
      })
      .then(function (data) {
        delay = 1000;
        if (data.version !== since) { window.location.reload(); return; }
        show(data.errors || []);
        poll(1);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 10000);
        window.setTimeout(function () { poll(1); }, delay);
      });
  }
  poll(0);
})();
</script>
"""


def reload_script(version: int) -> bytes:
    """The live-reload script for a page served at build `version`."""
    return (_SCRIPT_TEMPLATE % {"version": version, "path": POLL_PATH}).encode("utf-8")


def inject_script(html: bytes, version: int) -> bytes:
    """Insert the live-reload script before the last `</body>` (or at the end)."""
    script = reload_script(version)
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + script
    at = matches[-1].start()
    return html[:at] + script + html[at:]
