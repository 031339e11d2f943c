"""Template helpers: answers kept by arguments and their types, within a limit, and the
context that calls helpers and macros directly."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from jinja2 import pass_context
from jinja2.runtime import Context

from generator.dates import format_date
from generator.helpers import ANSWERS_KEPT, HelperContext, Remembered
from generator.theme import load_theme

REPO_THEMES = Path(__file__).resolve().parent.parent / "themes"


def test_template_helpers_answer_repeated_calls_by_their_arguments_and_types() -> None:
    theme = load_theme(REPO_THEMES, "default", site_templates=None, ui_language="en", options={})
    page = theme.environment.from_string(
        "{% for n in [1, 2, 1, 2] %}{{ t('comment_count', count=n) }}|{% endfor %}"
        "{{ t('reading_time_range', low=2, high=5) }}|{{ t('reading_time_range', low=5, high=2) }}|"
        "{{ t('word_count', count=1) }}|{{ t('word_count', count=True) }}|"
        "{{ t('built_with', version=['x']) }}|"
        "{{ format_date(odd, 'en') }}|{{ format_date(odd|safe, 'en') }}|{{ format_date(odd, 'en') }}|"
        "{{ format_date('2024-03-05', 'en') }}|{{ format_date('2024-03-05', 'fr') }}|"
        "{{ text_direction('ar') }}|{{ text_direction('fr') }}"
    )
    shown = page.render(odd="<b>soon</b>").split("|")
    assert shown[:4] == ["1 comment", "2 comments", "1 comment", "2 comments"]
    assert shown[4:6] == ["2–5 min", "5–2 min"]
    assert shown[6:8] == ["1 word", "word_count"]  # True is no count, though it hashes as 1
    assert shown[8] == "Built with Gleanery [&#39;x&#39;]"  # an unhashable value goes through
    # A string and the same text marked safe hash alike; the string stays escaped.
    assert shown[9:12] == ["&lt;b&gt;soon&lt;/b&gt;", "<b>soon</b>", "&lt;b&gt;soon&lt;/b&gt;"]
    assert shown[12:14] == ["5 March 2024", "5 mars 2024"]
    assert shown[14:] == ["rtl", "ltr"]


def test_helpers_macros_and_context_functions_are_called_alike_in_blocks_and_loops() -> None:
    theme = load_theme(REPO_THEMES, "default", site_templates=None, ui_language="fr", options={})

    @pass_context
    def page_language(context: Context) -> str:
        return str(context["lang"])

    source = (
        "{% macro wrap(x) %}[{{ x }}]{% endmacro %}"
        "{% macro box(x) %}[{{ x }}{{ caller() }}]{% endmacro %}"
        "{% block body %}{{ language_name('de') }}: {% for n in [0, 1] %}"
        "{{ t('comment_count', count=n) }} {{ text_direction(lang) }} {{ page_language() }} "
        "{{ wrap(format_date('2024-03-01', lang)) }}"
        "{% call box(n) %}!{{ machine_date('2024-03-01T10:00') }}{% endcall %};"
        "{% endfor %}{% endblock %}"
    )
    expected = (
        "allemand: 0 commentaire rtl he [1 March 2024][0!2024-03-01];"
        "1 commentaire rtl he [1 March 2024][1!2024-03-01];"
    )
    for context_class in (HelperContext, Context):  # the direct calls, and Jinja's own
        environment = theme.environment.overlay()
        environment.context_class = context_class
        environment.globals["page_language"] = page_language
        assert environment.from_string(source).render(lang="he") == expected


def test_template_helpers_keep_a_bounded_number_of_answers() -> None:
    helper = Remembered(format_date)
    days = [date(2000, 1, 1) + timedelta(days=n) for n in range(3 * ANSWERS_KEPT)]
    for day in days + days[:10]:
        assert helper(day.isoformat(), "en") == format_date(day.isoformat(), "en")
        assert len(helper.answers) <= ANSWERS_KEPT
    assert helper.answers  # still remembering, after forgetting
