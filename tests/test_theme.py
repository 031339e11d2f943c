"""Theme loading, the template search path, option checks, static hashing and safe rendering."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.errors import ConfigError, TemplateError
from generator.theme import Theme, hashed_name, load_theme, render_template, static_files


# Hand-made view objects matching brief/TEMPLATES.md (the renderer builds the real ones).
@dataclass(frozen=True)
class SiteView:
    title: str = "Test Archive"
    description: str = "Saved reading."
    language: str = "en"
    base_url: str | None = None


@dataclass(frozen=True)
class BlockView:
    kind: str
    text: str
    items: list[str] = field(default_factory=list)
    ordered: bool = False
    level: int = 2


@dataclass(frozen=True)
class CommentView:
    text: str
    author: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class ArticleView:
    title: str = "Harbour lights return"
    url: str = "harbour/harbour-lights-return/"
    source: str = "harbour"
    source_title: str = "The Harbour"
    source_url_listing: str = "harbour/"
    original_url: str | None = "https://example.org/lights"
    site_name: str | None = None
    author: str | None = "Ada Pilot"
    date: str | None = "2025-03-04"
    archived: str = "2025-03-06T09:30:00Z"
    lang: str = "en"
    tags: list[str] = field(default_factory=lambda: ["sea"])
    word_count: int = 1234
    reading_minutes: tuple[int, int] = (4, 5)
    excerpt: str = "The old lamps shine again."
    blocks: list[BlockView] = field(
        default_factory=lambda: [BlockView("paragraph", "The old lamps shine again.")]
    )
    comments: list[CommentView] = field(default_factory=list)


@dataclass(frozen=True)
class PageView:
    title: str = "About"
    url: str = "about/"
    html: Markup = field(default_factory=lambda: Markup("<p>Who we are.</p>"))
    lang: str = "en"


@dataclass(frozen=True)
class ListingView:
    title: str = "Latest"
    kind: str = "home"
    items: list[ArticleView] = field(default_factory=lambda: [ArticleView()])
    prev_url: str | None = None
    next_url: str | None = None
    total: int | None = 1
    period: tuple[str, str] | None = ("2024-03-05", "2024-03-05")


@dataclass(frozen=True)
class SourceLink:
    name: str = "harbour"
    title: str = "The Harbour"
    url: str = "harbour/"
    count: int = 1


@dataclass(frozen=True)
class PageLink:
    title: str = "About"
    url: str = "about/"


def base_context(**extra: object) -> dict[str, object]:
    """The variables every template receives, with ``extra`` ones added or replaced."""
    context: dict[str, object] = {
        "site": SiteView(),
        "root": "../../",
        "page_title": "Test · Test Archive",
        "page_lang": "en",
        "page_description": "A test page.",
        "canonical_url": None,
        "nav_pages": [PageLink()],
        "sources": [SourceLink()],
        "generator_version": "0.1.0",
    }
    context.update(extra)
    return context


REPO_THEMES = Path(__file__).resolve().parent.parent / "themes"
EVIL = "<script>alert(1)</script>"


def default_theme(language: str = "en", **options: object) -> Theme:
    """The shipped default theme with no site overrides (loaded once per language and options)."""
    return _cached_default_theme(language, tuple(sorted(options.items())))


@functools.cache
def _cached_default_theme(language: str, options: tuple[tuple[str, object], ...]) -> Theme:
    return load_theme(
        REPO_THEMES, "default", site_templates=None, ui_language=language, options=dict(options)
    )


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path``, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_theme(
    themes: Path, name: str, toml: str = "", files: dict[str, str] | None = None
) -> Path:
    """A theme folder with a theme.toml and ``files`` (relative path -> text)."""
    folder = themes / name
    write(folder / "theme.toml", f'name = "{name}"\n{toml}')
    for rel, text in (files or {}).items():
        write(folder / rel, text)
    return folder


def render_article(theme: Theme, article: ArticleView, **extra: object) -> str:
    """article.html for ``article`` with no neighbours."""
    context = base_context(article=article, prev=None, next=None, **extra)
    return render_template(theme, "article.html", context)


def test_loads_default_theme_with_typed_option_defaults() -> None:
    theme = default_theme()
    assert theme.name == "default"
    assert theme.parents == ()
    assert theme.options["show_comments"] is True
    assert isinstance(theme.options["accent_color"], str)


def test_site_option_replaces_theme_default() -> None:
    theme = default_theme(show_comments=False)
    article = ArticleView(comments=[CommentView("Nice piece.")])
    assert theme.options["show_comments"] is False
    assert "Nice piece." not in render_article(theme, article)


def test_unknown_options_are_all_reported_with_did_you_mean() -> None:
    with pytest.raises(ConfigError) as caught:
        default_theme(show_coments=False, accent_colour="#000000")
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 2
    assert any("'show_coments'" in m and 'did you mean "show_comments"' in m for m in messages)
    assert any('did you mean "accent_color"' in m for m in messages)


def test_wrong_option_type_is_reported() -> None:
    with pytest.raises(ConfigError, match="'show_comments' must be a boolean"):
        default_theme(show_comments="yes")


def test_integer_is_not_accepted_for_boolean_option() -> None:
    with pytest.raises(ConfigError, match="must be a boolean"):
        default_theme(show_comments=1)


def test_color_option_must_be_a_hex_colour() -> None:
    with pytest.raises(ConfigError, match="hex colour"):
        default_theme(accent_color="red; } body { display: none")


def test_missing_theme_names_it_and_lists_available(tmp_path: Path) -> None:
    make_theme(tmp_path / "themes", "paper")
    with pytest.raises(ConfigError) as caught:
        load_theme(tmp_path / "themes", "papr", site_templates=None, ui_language="en", options={})
    message = str(caught.value)
    assert "'papr' not found" in message
    assert 'did you mean "paper"' in message
    assert "default, paper" in message


def test_parent_cycle_is_a_config_error(tmp_path: Path) -> None:
    make_theme(tmp_path / "themes", "a", 'parent = "b"\n')
    make_theme(tmp_path / "themes", "b", 'parent = "a"\n')
    with pytest.raises(ConfigError, match="cycle: a -> b -> a"):
        load_theme(tmp_path / "themes", "a", site_templates=None, ui_language="en", options={})


def test_unknown_theme_toml_key_is_reported_with_its_file(tmp_path: Path) -> None:
    make_theme(tmp_path / "themes", "paper", 'parnet = "default"\n')
    with pytest.raises(ConfigError) as caught:
        load_theme(tmp_path / "themes", "paper", site_templates=None, ui_language="en", options={})
    problem = caught.value.problems[0]
    assert problem.path == "themes/paper/theme.toml"
    assert 'did you mean "parent"' in problem.message


def test_child_theme_chain_ends_in_default_and_adds_options(tmp_path: Path) -> None:
    make_theme(tmp_path / "themes", "paper", "[options]\nshow_tags = true\n")
    theme = load_theme(
        tmp_path / "themes", "paper", site_templates=None, ui_language="en", options={}
    )
    assert theme.parents == ("default",)
    assert theme.options["show_tags"] is True
    assert theme.options["show_comments"] is True


def test_site_override_template_wins_over_theme(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    write(templates / "404.html", '{% extends "base.html" %}{% block content %}GONE{% endblock %}')
    theme = load_theme(
        REPO_THEMES, "default", site_templates=templates, ui_language="en", options={}
    )
    html = render_template(theme, "404.html", base_context(root=""))
    assert "GONE" in html
    assert "<header" in html


def test_child_theme_extends_default_base_with_prefix(tmp_path: Path) -> None:
    base = '{% extends "default:base.html" %}{% block footer %}<p>Paper footer</p>{% endblock %}'
    make_theme(tmp_path / "themes", "paper", files={"templates/base.html": base})
    theme = load_theme(
        tmp_path / "themes", "paper", site_templates=None, ui_language="en", options={}
    )
    html = render_template(theme, "sources.html", base_context(root=""))
    assert "Paper footer" in html
    assert "Built with Gleanery" not in html
    assert '<a href="harbour/index.html">The Harbour</a>' in html


def test_static_names_are_content_hashed() -> None:
    theme = default_theme()
    css = (REPO_THEMES / "default" / "static" / "style.css").read_bytes()
    digest = hashlib.sha256(css).hexdigest()[:8]
    files = dict(static_files(theme))
    assert files[f"static/style.{digest}.css"] == css
    assert theme.asset("style.css") == f"static/style.{digest}.css"


def test_hashed_name_keeps_folders_and_inner_dots() -> None:
    assert re.fullmatch(r"static/js/app\.min\.[0-9a-f]{8}\.js", hashed_name("js/app.min.js", b""))
    assert re.fullmatch(r"static/LICENSE\.[0-9a-f]{8}", hashed_name("LICENSE", b"x"))


def test_child_static_file_replaces_parent_one(tmp_path: Path) -> None:
    files = {"static/style.css": "body{}", "static/extra.txt": "x", "static/.DS_Store": ""}
    make_theme(tmp_path / "themes", "paper", files=files)
    theme = load_theme(
        tmp_path / "themes", "paper", site_templates=None, ui_language="en", options={}
    )
    built = dict(static_files(theme))
    assert built[theme.asset("style.css")] == b"body{}"
    stems = [path.split(".")[0] for path in built]
    assert {"static/extra", "static/style", "static/theme"} <= set(stems)
    assert stems == sorted(stems)
    assert not any("DS_Store" in path for path in built)


def test_unknown_asset_is_a_template_error_naming_it(tmp_path: Path) -> None:
    write(tmp_path / "templates" / "404.html", "{{ asset('missing.css') }}")
    theme = load_theme(
        REPO_THEMES, "default", site_templates=tmp_path / "templates", ui_language="en", options={}
    )
    with pytest.raises(TemplateError, match=r"unknown asset 'missing\.css'"):
        render_template(theme, "404.html", base_context())


def test_autoescapes_article_title_and_body() -> None:
    article = ArticleView(title=EVIL, blocks=[BlockView("paragraph", EVIL)], author=EVIL)
    html = render_article(default_theme(), article)
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("template", ["list.html", "sources.html", "page.html", "404.html"])
def test_autoescapes_site_title_in_every_page(template: str) -> None:
    context = base_context(
        site=SiteView(title=EVIL),
        listing=ListingView(items=[ArticleView(title=EVIL, excerpt=EVIL)]),
        page=PageView(title=EVIL),
        sources=[SourceLink(title=EVIL)],
    )
    html = render_template(default_theme(), template, context)
    assert EVIL not in html
    assert "&lt;script&gt;" in html


def test_autoescape_applies_to_templates_that_are_not_html(tmp_path: Path) -> None:
    write(tmp_path / "templates" / "feed.xml", "<title>{{ site.title }}</title>\n")
    theme = load_theme(
        REPO_THEMES, "default", site_templates=tmp_path / "templates", ui_language="en", options={}
    )
    xml = render_template(theme, "feed.xml", base_context(site=SiteView(title="A & <B>")))
    assert xml == "<title>A &amp; &lt;B&gt;</title>\n"


def test_page_html_markup_is_not_escaped() -> None:
    context = base_context(page=PageView(html=Markup("<p><em>Who</em> we are.</p>")))
    assert "<p><em>Who</em> we are.</p>" in render_template(default_theme(), "page.html", context)


def test_undefined_variable_is_template_error_with_file_and_line(tmp_path: Path) -> None:
    write(tmp_path / "templates" / "sources.html", "line one\nline two\n{{ no_such_thing }}\n")
    theme = load_theme(
        REPO_THEMES, "default", site_templates=tmp_path / "templates", ui_language="en", options={}
    )
    with pytest.raises(TemplateError) as caught:
        render_template(theme, "sources.html", base_context())
    problem = caught.value.problems[0]
    assert (problem.path, problem.line) == ("templates/sources.html", 3)
    assert "no_such_thing" in problem.message


def test_missing_attribute_in_parent_template_points_at_parent(tmp_path: Path) -> None:
    write(tmp_path / "templates" / "base.html", "<title>\n{{ site.missing }}</title>\n")
    write(tmp_path / "templates" / "x.html", '{% extends "base.html" %}\n')
    theme = load_theme(
        REPO_THEMES, "default", site_templates=tmp_path / "templates", ui_language="en", options={}
    )
    with pytest.raises(TemplateError) as caught:
        render_template(theme, "x.html", base_context())
    problem = caught.value.problems[0]
    assert (problem.path, problem.line) == ("templates/base.html", 2)


def test_syntax_error_is_template_error_with_file_and_line(tmp_path: Path) -> None:
    write(tmp_path / "templates" / "page.html", "ok\n{% if %}\n")
    theme = load_theme(
        REPO_THEMES, "default", site_templates=tmp_path / "templates", ui_language="en", options={}
    )
    with pytest.raises(TemplateError) as caught:
        render_template(theme, "page.html", base_context(page=PageView()))
    problem = caught.value.problems[0]
    assert (problem.path, problem.line) == ("templates/page.html", 2)


def test_missing_template_is_template_error() -> None:
    with pytest.raises(TemplateError, match=r"'nothing\.html' not found"):
        render_template(default_theme(), "nothing.html", base_context())


def test_article_renders_each_block_kind() -> None:
    blocks = [
        BlockView("heading", "Part two", level=3),
        BlockView("list", "a\nb", items=["first", "second"], ordered=True),
        BlockView("list", "c", items=["loose"]),
        BlockView("quote", "Said once.\n\nSaid twice."),
        BlockView("paragraph", "Plain words."),
    ]
    html = render_article(default_theme(), ArticleView(blocks=blocks))
    assert "<h3>Part two</h3>" in html
    assert re.search(r"<ol>\s*<li>first</li>\s*<li>second</li>\s*</ol>", html)
    assert re.search(r"<ul>\s*<li>loose</li>\s*</ul>", html)
    assert re.search(r"<blockquote>\s*<p>Said once.</p>\s*<p>Said twice.</p>", html)
    assert "<p>Plain words.</p>" in html


def test_comments_are_folded_with_their_count() -> None:
    comments = [CommentView("First.\n\nSecond para.", "Ann", "2025-01-02"), CommentView("Hi")]
    html = render_article(default_theme(), ArticleView(comments=comments))
    assert "<details>" in html
    assert "<details open" not in html
    assert re.search(r"<summary[^>]*><h2[^>]*>2 comments</h2></summary>", html)
    assert re.search(r"<p>First.</p>\s*<p>Second para.</p>", html)
    assert "2 January 2025" in html


def test_article_metadata_shows_dates_reading_range_and_original_link() -> None:
    html = render_article(default_theme(), ArticleView())
    assert 'href="https://example.org/lights" rel="noopener noreferrer"' in html
    assert '<time datetime="2025-03-04">4 March 2025</time>' in html
    assert '<time datetime="2025-03-06">6 March 2025</time>' in html
    assert "4–5 min" in html
    assert "1,234 words" in html
    assert '<a href="../../harbour/index.html">The Harbour</a>' in html


def test_equal_reading_bounds_show_one_number() -> None:
    html = render_article(default_theme(), ArticleView(reading_minutes=(1, 1)))
    assert ">1 min<" in html


def test_article_and_page_carry_their_languages() -> None:
    html = render_article(default_theme("fr"), ArticleView(lang="de"), page_lang="de")
    assert '<html lang="de" dir="ltr">' in html
    assert '<article class="article" lang="de" dir="ltr"' in html
    assert "Publié le" in html


def test_pagination_links_back_to_first_page_at_site_root() -> None:
    listing = ListingView(
        prev_url="", next_url="page/3/", total=None, period=("2024-03-05", "2023-11-30")
    )
    html = render_template(default_theme(), "list.html", base_context(listing=listing, root=""))
    assert 'rel="prev" href="index.html"' in html
    assert 'rel="next" href="page/3/index.html"' in html
    assert '<time datetime="2024-03-05">5 March 2024</time> – <time datetime="2023-11-30">' in html
    assert 'class="listing-count"' not in html  # counted on the first page alone


def test_single_page_listing_has_no_pagination_but_counts_its_articles() -> None:
    html = render_template(default_theme(), "list.html", base_context(listing=ListingView()))
    assert 'class="pagination"' not in html
    assert '<p class="listing-count">1 article</p>' in html


def test_not_found_page_links_through_base_url_when_known() -> None:
    context = base_context(root="", site=SiteView(base_url="https://example.org/archive/"))
    html = render_template(default_theme(), "404.html", context)
    assert 'href="https://example.org/archive/index.html"' in html


def test_pages_request_nothing_from_other_hosts() -> None:
    html = render_article(default_theme(), ArticleView())
    loads = re.findall(r'<(?:link|script|img)[^>]*(?:src|href)="([^"]+)"', html)
    assert loads
    assert all(not re.match(r"(https?:)?//", url) for url in loads)
    for name, data in static_files(default_theme()):
        if name.endswith(".css"):
            assert b"url(" not in data
            assert b"@import" not in data


def test_rendering_is_deterministic() -> None:
    first = render_article(default_theme(), ArticleView())
    second = render_article(default_theme(), ArticleView())
    assert first == second


def test_scheme_toggle_option_removes_button_and_script() -> None:
    with_toggle = render_article(default_theme(), ArticleView())
    without = render_article(default_theme(show_scheme_toggle=False), ArticleView())
    assert "scheme-toggle" in with_toggle
    assert "theme." in with_toggle
    assert "scheme-toggle" not in without
    assert "<script" not in without


def test_right_to_left_article_gets_dir_rtl() -> None:
    html = render_article(default_theme(), ArticleView(lang="ar"), page_lang="ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'lang="ar" dir="rtl"' in html
    assert 'class="site-header" lang="en" dir="ltr"' in html


def test_source_listing_does_not_repeat_the_source_on_each_entry() -> None:
    listing = ListingView(title="The Harbour", kind="source")
    html = render_template(default_theme(), "list.html", base_context(listing=listing))
    entries = html.split('<ol class="entries">', 1)[1]
    assert "The Harbour" not in entries
    assert "4 March 2025" in entries


def test_template_extending_itself_is_explained(tmp_path: Path) -> None:
    write(tmp_path / "templates" / "base.html", '{% extends "base.html" %}\n')
    theme = load_theme(
        REPO_THEMES, "default", site_templates=tmp_path / "templates", ui_language="en", options={}
    )
    with pytest.raises(TemplateError, match=r"default:base\.html"):
        render_template(theme, "404.html", base_context())


def css_scheme_colours() -> dict[str, dict[str, str]]:
    """Custom properties of each colour scheme in the default stylesheet."""
    css = (REPO_THEMES / "default" / "static" / "style.css").read_text(encoding="utf-8")
    blocks: dict[str, dict[str, str]] = {}
    for selector, body in re.findall(r"(:root[^{]*)\{([^}]*)\}", css):
        properties = dict(re.findall(r"(--[\w-]+):\s*([^;]+);", body))
        blocks.setdefault(" ".join(selector.split()), properties)  # first one: not @media
    light = blocks[":root"]
    return {
        "light": light,
        "system dark": {**light, **blocks[":root:not([data-scheme])"]},
        "dark": {**light, **blocks[':root[data-scheme="dark"]']},
        "sepia": {**light, **blocks[':root[data-scheme="sepia"]']},
    }


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(first), luminance(second)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "system dark", "dark", "sepia"])
def test_every_scheme_keeps_text_and_links_at_4_5_to_1(scheme: str) -> None:
    colours = css_scheme_colours()[scheme]
    for background in ("--bg", "--surface"):
        for foreground in ("--text", "--muted", "--link", "--visited"):
            ratio = contrast(colours[foreground], colours[background])
            assert ratio >= 4.5, f"{scheme}: {foreground} on {background} is {ratio:.2f}:1"
    assert {colours["--bg"], colours["--text"]} != {"#fff", "#000"}


def test_system_dark_and_chosen_dark_are_the_same_colours() -> None:
    colours = css_scheme_colours()
    assert colours["system dark"] == colours["dark"]
    assert colours["dark"]["--bg"] != colours["light"]["--bg"]


def test_date_that_is_not_iso_is_shown_as_written_without_time_element() -> None:
    html = render_article(default_theme(), ArticleView(date="spring 2019"))
    assert "spring 2019" in html
    assert 'datetime=""' not in html
