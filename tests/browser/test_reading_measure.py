"""Measured in the browser: characters per rendered line of article text at desktop and
phone widths, and the contrast of every piece of text in every colour scheme."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import SCHEMES, THEMES, PageOpener

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
MIN_CHARS, MAX_CHARS = 45, 80
MIN_CONTRAST = 4.5
ARTICLES_MEASURED = 5
WIDTHS = {"desktop": 1280, "phone": 375}
ALL_SCHEMES = [*SCHEMES, "system-dark"]

LINE_LENGTHS_JS = """() => Array.from(document.querySelectorAll(".article-body p"), (p) => {
  const lines = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let count = 0;
  let previous = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      if (previous && rect.top >= previous.bottom - 1) {
        lines.push(count);
        count = 0;
      }
      previous = rect;
      count++;
    }
  }
  if (count) lines.push(count);
  return lines;
})"""
"""Characters on each rendered line of each body paragraph: a line starts where a character
sits below the previous one (a dropped capital spans lines without starting one)."""

COLOURS_JS = """() => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const paint = canvas.getContext("2d", { willReadFrequently: true });
  const known = new Map();
  const rgba = (colour) => {
    if (known.has(colour)) return known.get(colour);
    paint.clearRect(0, 0, 1, 1);
    paint.fillStyle = "rgba(0, 0, 0, 0)";
    paint.fillStyle = colour;
    paint.fillRect(0, 0, 1, 1);
    const d = paint.getImageData(0, 0, 1, 1).data;
    known.set(colour, [d[0], d[1], d[2], d[3] / 255]);
    return known.get(colour);
  };
  const backgrounds = (element) => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      layers.push(rgba(getComputedStyle(node).backgroundColor));
    }
    return layers;
  };
  const ownText = (element) => Array.from(element.childNodes).some(
    (node) => node.nodeType === Node.TEXT_NODE && node.data.trim() !== "");
  const texts = [];
  for (const element of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(element);
    if (!ownText(element) || style.visibility !== "visible") continue;
    const box = element.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;
    const name = element.tagName.toLowerCase() + (element.className ? "." + element.className : "");
    texts.push({ name: name + " " + element.textContent.trim().slice(0, 30),
                 colour: rgba(style.color), layers: backgrounds(element) });
  }
  const root = getComputedStyle(document.documentElement);
  const variable = (name) => root.getPropertyValue(name).trim();
  const palette = {};
  for (const name of ["--text", "--muted", "--link", "--visited", "--kicker"]) {
    if (variable(name)) palette[name] = rgba(variable(name));
  }
  return { texts, palette, bg: rgba(variable("--bg")) };
}"""
"""Every visible element's own text colour with the background layers behind it, and the
scheme's text colours (``:visited`` colours are not readable from computed styles)."""

Colour = tuple[float, float, float, float]


def over(top: Colour, below: Colour) -> Colour:
    """``top`` painted over the opaque colour ``below``."""
    alpha = top[3]
    mixed = [top[i] * alpha + below[i] * (1 - alpha) for i in range(3)]
    return (mixed[0], mixed[1], mixed[2], 1.0)


def effective_background(layers: list[Colour]) -> Colour:
    """The colour behind an element: its and its ancestors' backgrounds over a white canvas."""
    colour: Colour = (255.0, 255.0, 255.0, 1.0)
    for layer in reversed(layers):
        colour = over(layer, colour)
    return colour


def luminance(colour: Colour) -> float:
    """WCAG relative luminance of an sRGB colour given in 0-255."""
    linear = []
    for value in colour[:3]:
        channel = value / 255
        low = channel <= 0.04045
        linear.append(channel / 12.92 if low else ((channel + 0.055) / 1.055) ** 2.4)
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(text: Colour, background: Colour) -> float:
    """WCAG contrast ratio of ``text`` (possibly translucent) over the opaque ``background``."""
    lighter, darker = sorted([luminance(over(text, background)), luminance(background)])[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_ratio_matches_the_wcag_examples() -> None:
    black, white = (0.0, 0.0, 0.0, 1.0), (255.0, 255.0, 255.0, 1.0)
    assert contrast(black, white) == pytest.approx(21.0)
    assert contrast((118.0, 118.0, 118.0, 1.0), white) == pytest.approx(4.54, abs=0.01)
    half_black = (0.0, 0.0, 0.0, 0.5)
    assert contrast(half_black, white) == pytest.approx(contrast((127.5, 127.5, 127.5, 1.0), white))


def low_contrast(page: Page) -> tuple[float, list[str]]:
    """The lowest contrast of any text on the page, and every text or colour below 4.5:1."""
    found = page.evaluate(COLOURS_JS)
    failures, lowest = [], 21.0
    for text in found["texts"]:
        ratio = contrast(tuple(text["colour"]), effective_background(text["layers"]))
        lowest = min(lowest, ratio)
        if ratio < MIN_CONTRAST:
            failures.append(f"{ratio:.2f} {text['name']}")
    for name, colour in found["palette"].items():
        ratio = contrast(tuple(colour), tuple(found["bg"]))
        lowest = min(lowest, ratio)
        if ratio < MIN_CONTRAST:
            failures.append(f"{ratio:.2f} {name} on --bg")
    return lowest, failures


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
@pytest.mark.parametrize("theme", THEMES)
def test_text_and_links_keep_4_5_to_1_contrast(
    theme: str, scheme: str, sample_pages: dict[str, dict[str, str]], open_page: PageOpener
) -> None:
    for kind in ("home", "article", "listing"):
        page = open_page(sample_pages[theme][kind], scheme)
        lowest, failures = low_contrast(page)
        assert failures == [], f"{kind}: {failures}"
        assert lowest >= MIN_CONTRAST


def full_lines(page: Page) -> list[int]:
    """Characters per line of every body paragraph line except each paragraph's last."""
    paragraphs: list[list[int]] = page.evaluate(LINE_LENGTHS_JS)
    return [count for lines in paragraphs for count in lines[:-1]]


def article_urls(page: Page, home: str) -> list[str]:
    """The first few articles listed on the home page."""
    page.goto(home)
    links: list[str] = page.eval_on_selector_all(".entry__title a", "as => as.map(a => a.href)")
    return links[:ARTICLES_MEASURED]


def pairs(firsts: tuple[str, ...], seconds: list[str]) -> list[object]:
    """Every (first, second) pair, each a test of its own."""
    return [pytest.param(a, b, id=f"{a}-{b}") for a in firsts for b in seconds]


@pytest.mark.parametrize(("theme", "width"), pairs(THEMES, [*WIDTHS]))
def test_article_lines_hold_45_to_80_characters(
    theme: str, width: str, sample_pages: dict[str, dict[str, str]], open_page: PageOpener
) -> None:
    page = open_page(sample_pages[theme]["home"], "light", width=WIDTHS[width])
    problems = []
    for url in article_urls(page, sample_pages[theme]["home"]):
        page.goto(url)
        lines = full_lines(page)
        assert lines, f"no wrapped paragraph to measure in {url}"
        median = statistics.median(lines)
        if not MIN_CHARS <= median <= MAX_CHARS or max(lines) > MAX_CHARS:
            problems.append(f"{url}: median {median}, longest {max(lines)} characters a line")
    assert problems == []


@pytest.mark.parametrize(("theme", "scheme"), pairs(THEMES, ALL_SCHEMES))
def test_print_is_black_on_white_in_every_scheme(
    theme: str, scheme: str, sample_pages: dict[str, dict[str, str]], open_page: PageOpener
) -> None:
    page = open_page(sample_pages[theme]["article"], scheme)
    page.emulate_media(media="print")
    colours = page.evaluate(
        "() => [document.body, document.querySelector('.article-body p')]"
        ".map(e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor])"
    )
    assert colours[0] == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    assert colours[1][0] == "rgb(0, 0, 0)"
