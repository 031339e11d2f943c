"""Properties over generated inputs: whatever a dump says, the site never runs it (S1-S3, X1).

Inputs mix random text with fragments that attack HTML, link schemes, front matter and
the dump parser's own cues, so that the interesting cases come up often.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import DumpError
from generator.markup import render_markdown
from tests.html_safety import files_findings, html_findings
from tests.one_page import render_bytes

FRAGMENTS = (
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<a href='javascript:alert(1)'>x</a>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "javascript&#58;alert(1)",
    "&#106;avascript:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "https://example.org/page",
    "Source: ",
    "Originally published at ",
    "By ",
    "3 comments",
    "Reply",
    "Share this article",
    "March 5, 2025",
    "[x](",
    "](javascript:alert(1))",
    "![",
    "[",
    ")",
    "<http://a.example>",
    "<javascript:alert(1)>",
    "[ref]: javascript:alert(1)",
    "# ",
    "- ",
    "1. ",
    "> ",
    "`",
    "*",
    "<!--",
    "]]>",
    "&amp;",
    "&",
    "<",
    ">",
    '"',
    "'",
    "\n",
    "\n\n",
    "\r",
    "\u2028",
    "\ufeff",
    "\x00",
)
pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))
hostile_text = st.lists(pieces, max_size=40).map("".join)
FIELDS = ("title", "author", "source_url", "slug", "lang", "date", "tags")


@st.composite
def dumps(draw: st.DrawFn) -> str:
    """A dump body, sometimes under front matter whose values are hostile strings."""
    body = draw(hostile_text)
    chosen = draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=4))
    if not chosen:
        return body
    lines = []
    for name in chosen:
        value = draw(hostile_text)
        lines.append(f"{name} = {json.dumps([value] if name == 'tags' else value)}")
    return "+++\n" + "\n".join(lines) + "\n+++\n" + body


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(dumps())
def test_any_dump_renders_without_script_handlers_or_bad_links(text: str) -> None:
    try:
        files = render_bytes(text.encode("utf-8", "surrogatepass"))
    except DumpError:
        return
    assert files_findings(files) == {}


@SETTINGS
@given(dumps())
def test_any_markdown_page_renders_without_script_handlers_or_bad_links(text: str) -> None:
    try:
        files = render_bytes(text.encode("utf-8", "surrogatepass"), "markdown")
    except DumpError:
        return
    assert files_findings(files) == {}


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_markdown_fragment_has_no_script_handlers_or_bad_links(text: str) -> None:
    html = render_markdown(text)
    assert "<script" not in html.lower()
    assert html_findings(html) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_fail_only_with_a_dump_error(data: bytes) -> None:
    try:
        render_bytes(data)
    except DumpError as error:
        assert error.problems and all(p.path == "herald/input.txt" for p in error.problems)
