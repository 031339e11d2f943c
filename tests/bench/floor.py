"""What rendering alone costs in Python: markdown-it-py and Jinja, one process, no cleaning.

``python -m tests.bench.floor MARKDOWN OUTPUT`` renders each Markdown twin under
``MARKDOWN`` (front matter, then the body) into ``OUTPUT/<path>/index.html`` with a small
Jinja page (title, byline, date, language, body), and nothing else: no listings, no
cleaning, no cache. It is the issue's third anchor ("markdown-it-py + Jinja alone"), the
least a Python generator using these libraries spends on these articles; ``make bench``
times it beside Gleanery's full build, which does that and cleans the dumps, and Hugo's.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

PAGE = (
    "<!DOCTYPE html><html lang='{{ lang }}'><head><meta charset='utf-8'>"
    "<title>{{ title }}</title></head><body><article><h1>{{ title }}</h1>"
    "<p>{{ author }} · <time>{{ date }}</time></p>{{ body | safe }}</article></body></html>"
)


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The ``key: value`` lines between the opening ``---`` lines, and the body after."""
    _, front, body = text.split("---\n", 2)
    fields = dict(line.split(": ", 1) for line in front.splitlines() if ": " in line)
    return {key: value.strip('"') for key, value in fields.items()}, body


def render_all(markdown: Path, output: Path) -> int:
    """Render every ``.md`` file under ``markdown``; how many there were."""
    page = jinja2.Environment(autoescape=True).from_string(PAGE)
    parser = MarkdownIt("commonmark")
    paths = sorted(markdown.rglob("*.md"))
    for path in paths:
        fields, body = front_matter(path.read_text(encoding="utf-8"))
        html = page.render(body=parser.render(body), **fields)
        target = output / path.relative_to(markdown).with_suffix("") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return len(paths)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("markdown", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    print(f"{render_all(args.markdown, args.output)} pages")


if __name__ == "__main__":
    main()
