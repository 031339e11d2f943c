"""Across dumps: template paragraphs a source repeats, and the same article saved twice."""

from __future__ import annotations

from generator.build import build
from generator.config import load_config
from generator.crossdump import merge_duplicates, without_template_cruft
from generator.model import Block, Document, PackedBody, SourceFile
from tests.conftest import ARTICLE_EN, SiteMaker

BIO = "Mara Quill writes about ports, ships and the people who work on them for the Herald."
STORIES = [
    "The ferry company announced a new winter timetable with two extra crossings on Fridays.",
    "Volunteers counted more than four hundred seals on the sandbanks during the spring survey.",
    "A bakery on the quay has started selling bread made with flour from the restored mill.",
    "The sailing club will teach free lessons to children from the town's two primary schools.",
]


def document(rel: str, paragraphs: list[str], headings: tuple[str, ...] = ()) -> Document:
    source = rel.split("/")[0] if "/" in rel else ""
    blocks = [Block("heading", h, line=1) for h in headings]
    blocks += [Block("paragraph", p, line=n + 2) for n, p in enumerate(paragraphs)]
    return Document(
        source_file=SourceFile(rel, rel, source, "dump", 0),
        title=rel, date=None, archived="2024-01-01", author=None, source_url=None,
        site_name=None, lang="en", tags=(), draft=False, slug_hint=None, encoding="utf-8",
        body=PackedBody.pack(tuple(blocks)),
    )  # fmt: skip


def test_drops_a_paragraph_repeated_in_three_dumps_of_a_source() -> None:
    docs = [document(f"herald/{n}.txt", [STORIES[n], BIO]) for n in range(3)]
    cleaned = without_template_cruft(docs)
    assert all(BIO not in [b.text for b in d.blocks] for d in cleaned)
    assert cleaned[0].dropped[0].reason == "repeated in 3 dumps of herald"
    assert cleaned[0].dropped[0].text == BIO


def test_keeps_a_paragraph_repeated_only_twice_or_across_sources() -> None:
    docs = [
        document("herald/0.txt", [STORIES[0], BIO]),
        document("herald/1.txt", [STORIES[1], BIO]),
    ]
    docs.append(document("gazette/2.txt", [STORIES[2], BIO]))
    assert without_template_cruft(docs) == docs


def test_keeps_repeated_headings_and_never_empties_a_body() -> None:
    docs = [document(f"recipes/{n}.txt", [STORIES[n]], headings=("Ingredients",)) for n in range(3)]
    docs.append(document("recipes/only-bio.txt", [BIO]))
    docs += [document(f"recipes/bio-{n}.txt", [STORIES[n], BIO]) for n in range(2)]
    cleaned = without_template_cruft(docs)
    assert all(d.blocks[0].text == "Ingredients" for d in cleaned[:3])
    assert [b.text for b in cleaned[3].blocks] == [BIO]


def test_merges_the_same_article_saved_twice_and_keeps_the_first() -> None:
    body = [STORIES[0], STORIES[1], STORIES[2]]
    edited = [STORIES[0], STORIES[1], STORIES[2] + " Updated at noon."]
    docs = [document("herald/a.txt", body), document("herald/b.txt", [STORIES[3]])]
    docs.append(document("gazette/copy.txt", edited))
    kept, merges = merge_duplicates(docs)
    assert [d.source_file.rel for d in kept] == ["herald/a.txt", "herald/b.txt"]
    [merge] = merges
    assert (merge.kept, merge.merged) == ("herald/a.txt", "gazette/copy.txt")
    assert "same article as herald/a.txt" in merge.problem().message


def test_different_articles_of_one_source_are_not_merged() -> None:
    docs = [document(f"herald/{n}.txt", [STORIES[n], BIO]) for n in range(4)]
    kept, merges = merge_duplicates(docs)
    assert (len(kept), merges) == (4, [])


def test_build_reports_the_merge_and_publishes_one_page(make_site: SiteMaker) -> None:
    pasted_again = "Home\nContact\n\n" + ARTICLE_EN.replace("© 2025 The Example Herald", "")
    root = make_site({"herald/crane.txt": ARTICLE_EN, "herald/second-paste.txt": pasted_again})
    report = build(load_config(root / "config.toml"))
    assert report.articles == 1
    assert [p.path for p in report.merged] == ["herald/second-paste.txt"]
    assert not (root / "output" / "herald" / "second-paste").exists()
