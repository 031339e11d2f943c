"""A deterministic generator of realistic dump corpora (and their Markdown twins) for benchmarks.

``python -m tests.bench.corpus DIR --count 10000`` writes ``DIR/content/<source>/*.txt``
(about 1,000 words each, with the usual cruft and comments, several sources, tags and
languages) and ``DIR/markdown/<source>/*.md`` (the same articles as Markdown with front
matter, for Hugo and Pelican).
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

WORDS = {
    "en": "the harbour council voted new plan river town market school bridge water power "
    "people said would year after before local families week project money road rail "
    "station library summer winter museum workers old city council budget report",
    "fr": "le la les conseil municipal marché école pont rivière ville projet habitants "
    "année après avant semaine travaux budget bibliothèque été hiver musée quartier "
    "commune maire rapport eau énergie route gare",
    "de": "der die das Stadtrat Markt Schule Brücke Fluss Stadt Projekt Bewohner Jahr nach "
    "vor Woche Arbeiten Haushalt Bibliothek Sommer Winter Museum Viertel Gemeinde "
    "Bericht Wasser Energie Straße Bahnhof",
    "es": "el la los ayuntamiento mercado escuela puente río ciudad proyecto vecinos año "
    "después antes semana obras presupuesto biblioteca verano invierno museo barrio "
    "municipio alcalde informe agua energía carretera estación",
}
CRUFT = {
    "en": ("Skip to content", "Share this article", "Sign up for our newsletter",
           "{n} comments", "Comments are closed.", "By {name}"),
    "fr": ("Aller au contenu", "Partager cet article", "Abonnez-vous à notre newsletter",
           "{n} commentaires", "Les commentaires sont fermés.", "Par {name}"),
    "de": ("Zum Inhalt springen", "Artikel teilen", "Newsletter abonnieren",
           "{n} Kommentare", "Kommentare sind geschlossen.", "Von {name}"),
    "es": ("Saltar al contenido", "Compartir este artículo", "Suscríbete a nuestro boletín",
           "{n} comentarios", "Los comentarios están cerrados.", "Por {name}"),
}  # fmt: skip
MENU = ("Home", "News", "Culture", "Sport", "Opinion", "Contact")
NAMES = ("Ada Lind", "Marc Roux", "Jonas Keller", "Lucía Ferrer", "Tom Hale", "Ines Vidal")
TAGS = ("transport", "energy", "schools", "culture", "housing", "water", "budget")


@dataclass(frozen=True)
class Spec:
    """One generated article."""

    index: int
    lang: str
    source: str
    title: str
    author: str
    date: str
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    headings: tuple[str, ...]
    comments: tuple[str, ...]


CORPUS_SEED = 1
"""The seed of the benchmarks' corpora (``make_spec``)."""


def sentence(rng: random.Random, words: list[str]) -> str:
    """A sentence of 12 to 24 words."""
    picked = [rng.choice(words) for _ in range(rng.randint(12, 24))]
    return " ".join(picked).capitalize() + "."


def make_spec(index: int, seed: int) -> Spec:
    """The article at ``index``; the same index and seed always give the same article."""
    rng = random.Random(seed * 1_000_003 + index)
    lang = rng.choice(sorted(WORDS))
    words = WORDS[lang].split()
    paragraphs = tuple(
        " ".join(sentence(rng, words) for _ in range(rng.randint(3, 5))) for _ in range(12)
    )
    return Spec(
        index=index,
        lang=lang,
        source=f"source-{index % 12:02d}",
        title=f"{sentence(rng, words)[:60].rstrip('.')} {index}",
        author=rng.choice(NAMES),
        date=f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        tags=tuple(sorted(rng.sample(TAGS, 2))),
        paragraphs=paragraphs,
        headings=tuple(sentence(rng, words)[:40].rstrip(".") for _ in range(2)),
        comments=tuple(sentence(rng, words) for _ in range(rng.randint(0, 4))),
    )


def body_lines(spec: Spec) -> list[str]:
    """Paragraphs with two subheadings between them."""
    lines: list[str] = []
    for number, paragraph in enumerate(spec.paragraphs):
        if number in (4, 8):
            lines += [spec.headings[number // 4 - 1], ""]
        lines += [paragraph, ""]
    return lines


def dump_text(spec: Spec) -> str:
    """The article as a pasted page, with cruft around it."""
    skip, share, promo, count, closed, byline = CRUFT[spec.lang]
    lines = [skip, "", *MENU, "", spec.title, "", byline.format(name=spec.author), spec.date, ""]
    lines += body_lines(spec)
    lines += [share, "Facebook Twitter Email", "", promo, "", count.format(n=len(spec.comments))]
    for number, comment in enumerate(spec.comments, start=1):
        lines += ["", f"{number}. {comment}"]
    lines += ["", closed, "", "© 2025 Example Media", "Privacy", "Contact", ""]
    return "\n".join(lines)


def markdown_text(spec: Spec) -> str:
    """The same article as clean Markdown with front matter (for Hugo and Pelican)."""
    tags = ", ".join(f'"{tag}"' for tag in spec.tags)
    head = [
        "---",
        f'title: "{spec.title}"',
        f"date: {spec.date}",
        f"author: {spec.author}",
        f"tags: [{tags}]",
        f"lang: {spec.lang}",
        f"category: {spec.source}",
        "---",
        "",
    ]
    body = [("## " + line) if line in spec.headings else line for line in body_lines(spec)]
    return "\n".join(head + body)


def write_corpus(
    target: Path, count: int, *, seed: int = CORPUS_SEED, markdown: bool = False
) -> None:
    """Write ``count`` dumps (and their Markdown twins) and a config.toml under ``target``."""
    for index in range(count):
        spec = make_spec(index, seed)
        path = target / "content" / spec.source / f"article-{index:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_text(spec), encoding="utf-8")
        if markdown:
            md = target / "markdown" / spec.source / f"article-{index:06d}.md"
            md.parent.mkdir(parents=True, exist_ok=True)
            md.write_text(markdown_text(spec), encoding="utf-8")
    (target / "config.toml").write_text('title = "Benchmark archive"\n', encoding="utf-8")


def main() -> None:
    """Command line: write a corpus."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--markdown", action="store_true", help="also write Markdown twins")
    args = parser.parse_args()
    write_corpus(args.target, args.count, seed=args.seed, markdown=args.markdown)


if __name__ == "__main__":
    main()


def editing_site(description: str | None) -> tuple[Path, int, int]:
    """The command line of the editing benchmarks (``--count``, ``--samples``,
    ``--workdir``) and their site, its corpus written once, search off: (site, count,
    samples)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=9)
    parser.add_argument("--workdir", type=Path, default=Path(".bench"))
    args = parser.parse_args()
    site = args.workdir.resolve() / f"latency-{args.count}"
    if not (site / "content").is_dir():
        write_corpus(site, args.count)
    (site / "config.toml").write_text('title = "Latency"\nsearch = false\n', encoding="utf-8")
    return site, args.count, args.samples
