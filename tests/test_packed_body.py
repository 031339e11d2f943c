"""Bodies stay packed between looks: what comes out is what went in, less what was taken."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from generator.config import load_config
from generator.model import Block, Comment, Compact, DroppedLine, PackedBody, SourceFile
from generator.read import ReadSettings, make_document, understand
from generator.render_memo import own_key
from generator.site import assemble_site
from generator.views import article_view
from tests.conftest import SiteMaker

BLOCKS = tuple(
    Block("paragraph", f"Paragraph number {n} of the story.", line=n + 3) for n in range(5)
)
COMMENTS = (Comment("First!", author="Ana", line=20), Comment("Agreed.", line=22))
DROPPED = (DroppedLine(1, "Skip to content", "skip-link"), DroppedLine(6, "Share", "share"))


def test_a_packed_body_gives_back_its_blocks_comments_and_dropped_lines() -> None:
    body = PackedBody.pack(BLOCKS, COMMENTS, DROPPED)
    assert body.blocks == BLOCKS
    assert body.comments == COMMENTS
    assert body.dropped == DROPPED
    assert PackedBody.pack().blocks == () and PackedBody.pack().dropped == ()


def test_taking_blocks_out_counts_positions_among_the_blocks_left() -> None:
    body = PackedBody.pack(BLOCKS, COMMENTS, DROPPED).without([(1, "first cut")])
    assert [b.line for b in body.blocks] == [3, 5, 6, 7]
    body = body.without([(1, "second cut")])  # the block now second is line 5
    assert [b.line for b in body.blocks] == [3, 6, 7]
    assert body.comments == COMMENTS
    assert [(d.line, d.reason) for d in body.dropped] == [
        (1, "skip-link"),
        (4, "first cut"),
        (5, "second cut"),
        (6, "share"),
    ]


def test_a_view_unpacks_its_body_at_each_look_unless_opened(make_site: SiteMaker) -> None:
    root = make_site({})
    config = load_config(root / "config.toml")
    text = "A Title For The Story\n\n" + "\n\n".join(b.text for b in BLOCKS) + "\n"
    understood = understand(text.encode(), "herald/a.txt", ReadSettings("dump", None, None))
    source = SourceFile(str(root / "content/herald/a.txt"), "herald/a.txt", "herald", "dump", 0)
    document = make_document(source, understood, config)
    assert [b.text for b in document.blocks] == [b.text for b in BLOCKS]
    site = assemble_site([document], config)
    page = site.articles[0]
    view = article_view(page, config, {listing.key: listing for listing in site.listings})
    assert view.blocks == document.blocks
    assert view.blocks is not view.blocks  # nothing keeps the packed view's body unpacked
    opened = view.opened()
    assert opened.blocks is opened.blocks and opened.blocks == view.blocks
    assert own_key(opened, page) == own_key(view, page)


@dataclass(frozen=True, slots=True)
class OneField(Compact):
    text: str


def test_compact_objects_pickle_as_their_class_and_field_values() -> None:
    items = (OneField("alone"), *BLOCKS, *COMMENTS, PackedBody.pack(BLOCKS))
    assert pickle.loads(pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)) == items
    assert OneField("alone").__reduce__() == (OneField, ("alone",))
    assert BLOCKS[0].__reduce__() == (Block, ("paragraph", BLOCKS[0].text, 3, (), False, 2))
