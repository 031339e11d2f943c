"""Fuzz decode + front matter + parse (or Markdown) + render of a one-article site (X1).

Run with a time budget:  .venv/bin/python tests/fuzz/fuzz_parse_render.py -max_total_time=30
(other libFuzzer flags work too, e.g. a corpus folder or -runs=N). A crash is any exception
other than DumpError, or a script, event handler or disallowed link in a rendered file.
The first input byte chooses a dump (even) or a Markdown page (odd); the rest is the file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

with atheris.instrument_imports(include=["generator"]):
    from generator.errors import DumpError
    from generator.model import SourceKind
    from tests.html_safety import files_findings
    from tests.one_page import render_bytes, site_setup


def test_one_input(data: bytes) -> None:
    """Render one fuzzed file; raise when the result is unsafe or an unexpected error occurs."""
    kind: SourceKind = "markdown" if data[:1] and data[0] % 2 else "dump"
    try:
        files = render_bytes(data[1:], kind, whole_site=False)
    except DumpError:
        return
    findings = files_findings(files)
    if findings:
        raise AssertionError(f"unsafe output for {kind} input {data!r}: {findings}")


def main() -> None:
    """Set up once (theme, config), then hand control to libFuzzer."""
    site_setup()
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
