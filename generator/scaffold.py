"""``gleanery theme new NAME``: a new theme folder that extends another and builds as is."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from string import Template

from generator.config import available_themes, builtin_themes_dir
from generator.errors import ConfigError, Problem, did_you_mean

VALID_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
NAME_RULE = "lowercase letters, digits, '-' and '_', starting with a letter or digit"

THEME_TOML = Template("""\
# The "$name" theme. Only these four keys are allowed; see docs/theming.md.
name = "$name"                  # must stay equal to the folder name
description = "My own look for the archive."
parent = "$parent"              # templates, static files and messages not found here come from it

[options]
# Options the parent declares can get new defaults here, and new ones can be added;
# a site sets them in config.toml under [theme_options]. Example (a default-theme option):
# show_word_count = false
""")

BASE_HTML = Template("""\
{#- The layout of the parent theme plus this theme's stylesheet, loaded after the parent's. -#}
{% extends "$parent:base.html" %}
{% block styles %}
{{ super() }}
<link rel="stylesheet" href="{{ link_root }}{{ asset('$name.css') }}">
{% endblock %}
""")

ARTICLE_HTML = Template("""\
{#- Example override: the parent's article page, extended rather than copied.
    "$parent:article.html" names the parent's own file, so this one can build on it.
    Replace a block and call {{ super() }} to keep what the parent puts there; add your
    own markup before or after it, e.g.
      <p class="notice">{{ t('meta_archived') }}:
        {{ format_date(article.archived, site.language) }}</p>
    Blocks and variables are listed in docs/theming.md;
    delete this file to use the parent's article page unchanged. -#}
{% extends "$parent:article.html" %}
{% block content %}
{{ super() }}
{% endblock %}
""")

THEME_CSS = Template("""\
/* The "$name" theme's stylesheet, loaded after the parent's (see templates/base.html).
   Colours are CSS custom properties: override them here. Each scheme has its own rule;
   keep text and links at 4.5:1 contrast or more against --bg in every one of them.
   Uncomment and edit, for example:

:root {
  --link: #0a5c36;
  --visited: #5b2f6b;
}

:root[data-scheme="dark"] {
  --link: #7fd1a5;
}

@media (prefers-color-scheme: dark) {
  :root:not([data-scheme]) {
    --link: #7fd1a5;
  }
}

:root[data-scheme="sepia"] {
  --link: #7a2f0c;
}

   Other properties: --bg, --surface, --text, --muted, --border, --accent (decoration only),
   --font-body, --font-ui, --measure (text width), --gutter. */
""")


def name_problems(themes_dir: Path, name: str, parent: str) -> list[Problem]:
    """Why ``name`` cannot be created under ``themes_dir`` extending ``parent`` (empty: it can)."""
    where = (themes_dir / name).as_posix() if VALID_NAME.match(name) else themes_dir.as_posix()
    if not VALID_NAME.match(name):
        return [Problem(where, f"invalid theme name {name!r}: use {NAME_RULE}")]
    if (themes_dir / name).exists():
        return [Problem(where, "already exists; pick another name or delete that folder")]
    if (builtin_themes_dir() / name / "theme.toml").is_file():
        return [Problem(where, f"{name!r} is a built-in theme; pick another name")]
    known = available_themes([themes_dir, builtin_themes_dir()])
    if parent not in known:
        hint = did_you_mean(parent, known)
        message = f"parent theme {parent!r} not found{hint}; available: {', '.join(known)}"
        return [Problem(where, message)]
    return []


def theme_files(name: str, parent: str) -> dict[str, str]:
    """Relative path -> text of every file of a new theme."""
    values = {"name": name, "parent": parent}
    return {
        "theme.toml": THEME_TOML.substitute(values),
        "templates/base.html": BASE_HTML.substitute(values),
        "templates/article.html": ARTICLE_HTML.substitute(values),
        f"static/{name}.css": THEME_CSS.substitute(values),
    }


def new_theme(themes_dir: Path, name: str, parent: str = "default") -> list[Path]:
    """Create ``themes_dir/name`` extending ``parent``; return the files created, in order."""
    problems = name_problems(themes_dir, name, parent)
    if problems:
        raise ConfigError(problems)
    files = theme_files(name, parent)
    themes_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=themes_dir))
    try:
        staging.chmod(0o755)
        for rel, text in files.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(text, encoding="utf-8")
        staging.rename(themes_dir / name)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        problem = Problem((themes_dir / name).as_posix(), f"cannot create: {error}")
        raise ConfigError(problem) from error
    return [themes_dir / name / rel for rel in files]
