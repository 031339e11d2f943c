"""The command line: exit codes, summaries and inspect output, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ARTICLE_EN, ARTICLE_FR, SiteMaker, distinct_article, tree_digest


def gleanery(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_build_prints_a_summary_and_exits_0(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN, "about.md": "# About\n\nHello."})
    result = gleanery("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "built 1 articles and 1 pages" in result.stdout
    assert (root / "output" / "index.html").is_file()


def test_bad_config_exits_2_with_every_problem_and_keeps_output(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    assert gleanery("build", cwd=root).returncode == 0
    before = tree_digest(root / "output")
    (root / "config.toml").write_text(
        'titel = "x"\nper_page = "ten"\ntheme = "noir"\n', encoding="utf-8"
    )
    result = gleanery("build", cwd=root)
    assert result.returncode == 2
    assert "titel: unknown key" in result.stderr
    assert "per_page: expected integer" in result.stderr
    assert 'no theme named "noir"' in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(root / "output") == before


def test_failed_dump_gives_exit_1_and_names_the_file(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN, "herald/bad.txt": b"%PDF-1.4\x00\x01"})
    result = gleanery("build", cwd=root)
    assert result.returncode == 1
    assert "herald/bad.txt: binary file" in result.stderr
    assert (root / "output" / "herald" / "crane" / "index.html").is_file()


def test_non_utf8_dump_is_read_with_a_clear_message(make_site: SiteMaker) -> None:
    text = ARTICLE_FR.replace("’", "'").encode("cp1252")
    root = make_site({"gazette/marche.txt": text})
    result = gleanery("build", "-v", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "gazette/marche.txt" in result.stderr
    assert "cp1252" in result.stderr
    page = (root / "output" / "gazette" / "marche" / "index.html").read_text(encoding="utf-8")
    assert "Le marché couvert rouvre ses portes" in page


def test_verbose_builds_say_what_they_rendered_and_why_they_did_not_touch_up(
    make_site: SiteMaker,
) -> None:
    dated = ARTICLE_EN.replace(
        "Skip to content\n", '+++\ndate = "2024-03-05"\n+++\nSkip to content\n'
    )
    root = make_site({"herald/crane.txt": dated, "herald/note.txt": distinct_article("Note", 4)})
    first = gleanery("build", "-v", cwd=root)
    assert first.returncode == 0, first.stderr
    total = int(first.stdout.split("rendered ")[1].split(" of ")[0])
    assert f"rendered {total} of {total} files\n" in first.stdout
    dump = root / "content" / "herald" / "crane.txt"
    dump.write_text(dump.read_text(encoding="utf-8") + "\nOne more closing line.\n")
    second = gleanery("build", "-v", cwd=root)
    assert "(touched up: only the changed dumps were read)" in second.stdout
    assert int(second.stdout.split("rendered ")[1].split(" of ")[0]) < total
    assert "full pipeline:" not in second.stdout
    # A copy of the dump: the touch-up cannot merge it, and says so.
    (root / "content" / "herald" / "crane-again.txt").write_bytes(dump.read_bytes())
    third = gleanery("build", "-v", cwd=root)
    assert "touched up" not in third.stdout
    assert (
        "full pipeline: herald/crane-again.txt now holds the same article as herald/crane.txt\n"
        in third.stdout
    )
    forced = gleanery("build", "-v", "--force", cwd=root)
    assert "full pipeline: --force\n" in forced.stdout
    assert "full pipeline:" not in gleanery("build", "-q", "--force", cwd=root).stdout


def test_inspect_json_gives_one_object_per_file_in_order(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text(ARTICLE_EN, encoding="utf-8")
    (tmp_path / "fr.txt").write_text(ARTICLE_FR, encoding="utf-8")
    result = gleanery("inspect", "--json", "fr.txt", "missing.txt", "en.txt", cwd=tmp_path)
    assert result.returncode == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["path"] for r in records] == ["fr.txt", "missing.txt", "en.txt"]
    assert "error" in records[1]
    french = records[0]
    for key in (
        "title",
        "body",
        "comments",
        "lang",
        "date",
        "author",
        "source_url",
        "tags",
        "dropped",
        "encoding",
        "warnings",
    ):
        assert key in french
    assert french["title"] == "Le marché couvert rouvre ses portes après un an de travaux"
    assert french["lang"] == "fr"
    assert len(french["comments"]) == 1
    assert any(d["text"] == "Aller au contenu" and d["reason"] for d in french["dropped"])


def test_inspect_human_report_shows_dropped_lines_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text(ARTICLE_EN, encoding="utf-8")
    result = gleanery("inspect", "en.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert "title: Harbour crane returns after two years of repairs" in result.stdout
    assert "Skip to content" in result.stdout.split("-- dropped")[1]


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    assert gleanery("publish", cwd=tmp_path).returncode == 2


def test_theme_new_creates_a_child_theme_that_builds(make_site: SiteMaker) -> None:
    root = make_site({"herald/crane.txt": ARTICLE_EN})
    result = gleanery("theme", "new", "harbour", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "created themes/harbour/theme.toml" in result.stdout
    config = root / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'theme = "harbour"\n', encoding="utf-8")
    assert gleanery("build", cwd=root).returncode == 0
    again = gleanery("theme", "new", "harbour", cwd=root)
    assert again.returncode == 2
    assert "already exists" in again.stderr
