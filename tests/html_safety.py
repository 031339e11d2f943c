"""Find what a browser or feed reader would run in built files: scripts, handlers, bad links.

Used by the hostile-input tests, the hypothesis properties and the fuzz harness. The checks
are generic over whatever the build writes: HTML pages, XML feeds and JSON indexes.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
"""A URL scheme as browsers parse it; without one a URL is relative (even with a colon later)."""
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
INERT_DATA = re.compile(r"^data:(,|image/(png|gif|jpeg|webp|svg\+xml)[;,])", re.IGNORECASE)
"""Data URLs that cannot run anything: the empty one (a "no favicon" icon) and images."""
DATA_SCRIPT_TYPES = frozenset({"application/ld+json", "application/json"})
"""Script elements browsers never run; their text must still not be able to close them."""
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "data", "cite", "background", "xlink:href"}
)
ACTIVE_ELEMENTS = frozenset({"iframe", "object", "embed", "frame", "frameset", "applet", "base"})
"""Elements no page of ours contains; dump text must never create one."""
OWN_SCRIPT = re.compile(
    r"^(https?://[^/?#]+/([^:?#]*/)?|(\.\./|\./)*/?)(static|pagefind)/[^:]*$", re.IGNORECASE
)
"""Theme scripts: a src into the site's static/ or pagefind/ folder (relative or under
base_url), nothing inline."""
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
HTML_BEARING = frozenset({"description", "encoded"})
"""RSS elements whose text readers render as HTML (Atom says so with type="html")."""
URL_TEXT_ELEMENTS = frozenset({"link", "url", "comments", "docs"})
URL_KEYS = frozenset({"url", "href", "link", "src", "source_url", "original_url", "image"})


def is_allowed_url(value: str) -> bool:
    """Whether a link target is harmless: what a browser sees once entities and blanks go."""
    url = INVISIBLE.sub("", unescape(value))
    scheme = SCHEME.match(url)
    return (
        scheme is None or scheme.group(1).lower() in ALLOWED_SCHEMES or bool(INERT_DATA.match(url))
    )


class Inspector(HTMLParser):
    """Collects every dangerous construct of one HTML document as a readable finding."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.script_src: str | None = None
        self.script_type = ""
        self.script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=...> event handler attribute")
            if name in URL_ATTRIBUTES and not is_allowed_url(value):
                self.findings.append(f"<{tag} {name}={value!r}> disallowed URL scheme")
            if name == "srcset" and not all(is_allowed_url(p) for p in value.split(",")):
                self.findings.append(f"<{tag} srcset={value!r}> disallowed URL scheme")
        if tag in ACTIVE_ELEMENTS:
            self.findings.append(f"<{tag}> element")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.findings.append("<meta http-equiv=refresh>")
        if tag == "script":
            self.script_src = values.get("src", "")
            self.script_type = values.get("type", "").lower()
            self.script_text = []

    def handle_data(self, data: str) -> None:
        if self.script_src is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script_src is not None:
            self.findings.extend(
                script_findings(self.script_src, self.script_type, self.script_text)
            )
            self.script_src = None


def script_findings(src: str, kind: str, text: list[str]) -> list[str]:
    """Why one script element is not ours: theme files by src, or inert JSON data."""
    inline = "".join(text).strip()
    if kind in DATA_SCRIPT_TYPES and not src:
        try:
            json.loads(inline)
        except ValueError:
            return [f"<script type={kind!r}> holds invalid JSON"]
        return ["<script> data contains '<'"] if "<" in inline else []
    if inline or not OWN_SCRIPT.match(src):
        return [f"<script src={src!r}> not a theme script"]
    return []


def html_findings(html: str) -> list[str]:
    """Dangerous constructs in one HTML document or fragment."""
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    if inspector.script_src is not None:
        inspector.findings.append("unclosed <script>")
    return inspector.findings


def local_name(tag: str) -> str:
    """An XML tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1].lower()


def xml_findings(data: bytes) -> list[str]:
    """Dangerous constructs in a feed or sitemap, including in the HTML it carries."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    findings: list[str] = []
    for element in root.iter():
        name = local_name(element.tag)
        findings.extend(html_findings(f"<{name} {attributes_html(element)}>"))
        text = element.text or ""
        if name in URL_TEXT_ELEMENTS and text.strip() and not is_allowed_url(text.strip()):
            findings.append(f"<{name}>{text.strip()!r} disallowed URL scheme")
        if name in HTML_BEARING or element.get("type") == "html":
            findings.extend(f"in <{name}>: {f}" for f in html_findings(text))
    return findings


def attributes_html(element: ET.Element) -> str:
    """An element's attributes written as HTML, so one checker reads both formats."""
    return " ".join(f'{local_name(k)}="{escape_quotes(v)}"' for k, v in element.attrib.items())


def escape_quotes(value: str) -> str:
    """Make an attribute value safe to put between double quotes."""
    return value.replace("&", "&amp;").replace('"', "&quot;")


def json_findings(data: bytes) -> list[str]:
    """Dangerous URLs and HTML in a JSON index or feed."""
    try:
        document = json.loads(data)
    except ValueError as error:
        return [f"not valid JSON: {error}"]
    findings: list[str] = []
    for key, value in json_strings(document, ""):
        if key.lower() in URL_KEYS and not is_allowed_url(value):
            findings.append(f"{key}={value!r} disallowed URL scheme")
        if key.lower().endswith("html"):
            findings.extend(f"in {key}: {f}" for f in html_findings(value))
    return findings


def json_strings(value: object, key: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON document with the key it sits under."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for sub_key, sub in value.items():
            yield from json_strings(sub, str(sub_key))
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item, key)


def file_findings(path: str, data: bytes) -> list[str]:
    """Findings for one built file, chosen by its suffix; other files are not checked."""
    suffix = Path(path).suffix.lower()
    if suffix in (".html", ".htm"):
        return html_findings(data.decode("utf-8"))
    if suffix in (".xml", ".rss", ".atom"):
        return xml_findings(data)
    if suffix == ".json":
        return json_findings(data)
    return []


def files_findings(files: Iterable[tuple[str, bytes]]) -> dict[str, list[str]]:
    """Findings for rendered (path, bytes) pairs, by path; empty when all are safe."""
    found = {}
    for path, data in files:
        findings = file_findings(path, data)
        if findings:
            found[path] = findings
    return found


def tree_findings(output: Path) -> dict[str, list[str]]:
    """Findings for every checked file under ``output``, by relative path; empty when safe."""
    files = sorted(p for p in output.rglob("*") if p.is_file())
    return files_findings((p.relative_to(output).as_posix(), p.read_bytes()) for p in files)


def checked_suffixes(output: Path) -> set[str]:
    """Which kinds of built file the checks covered, to show they were not vacuous."""
    kinds = {".html", ".htm", ".xml", ".rss", ".atom", ".json"}
    return {p.suffix.lower() for p in output.rglob("*") if p.suffix.lower() in kinds}
