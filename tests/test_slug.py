"""Slugs: paths come from us, never from titles (RELIABILITY.md S2, S4–S7)."""

from __future__ import annotations

import unicodedata
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site import file_stem
from generator.slug import is_safe_slug, slug_chars, slug_key, slug_text, slugify, unique_slugs

WINDOWS_DEVICES = [
    "con",
    "prn",
    "aux",
    "nul",
    *(f"{p}{d}" for p in ("com", "lpt") for d in range(1, 10)),
]


def is_allowed_char(char: str) -> bool:
    """ASCII lower-case letter, digit or hyphen, or a non-ASCII letter, digit or mark."""
    if char.isascii():
        return char in "abcdefghijklmnopqrstuvwxyz0123456789-"
    return unicodedata.category(char)[0] in "LNM"


def assert_safe(slug: str, max_bytes: int = 80) -> None:
    """Every promise a slug makes about its shape."""
    assert slug
    assert all(map(is_allowed_char, slug)), slug
    assert not slug.startswith("-") and not slug.endswith("-")
    assert "--" not in slug
    assert len(slug.encode("utf-8")) <= max_bytes
    assert slug == unicodedata.normalize("NFC", slug)
    assert slug == slug.lower()
    assert slug.split(".")[0] not in WINDOWS_DEVICES


# --- readability --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Café au lait", "cafe-au-lait"),
        ("Straße nach Köln", "strasse-nach-koln"),
        ("Ærø and Łódź", "aero-and-lodz"),
        ("Þór fór heim", "thor-for-heim"),
        ("İstanbul ve Iğdır", "istanbul-ve-igdir"),
        ("Œuvres complètes, tome 1", "oeuvres-completes-tome-1"),
        ("  Hello,   World!!  ", "hello-world"),
        ("Привет, мир", "привет-мир"),
        ("Ελληνικά Νέα", "ελληνικά-νέα"),
        ("東京 タワー 2024", "東京-タワー-2024"),
        ("हिन्दी भाषा", "हिन्दी-भाषा"),
        ("ﬁnal ＡＢＣ ²", "final-abc-2"),
    ],
)
def test_slug_is_readable(title: str, slug: str) -> None:
    assert slugify(title) == slug


@given(st.text(st.characters(max_codepoint=127), max_size=60))
def test_ascii_text_is_slugged_as_character_by_character(text: str) -> None:
    """slug_text takes a shortcut for ASCII text: the same words as the general path."""
    general = "".join(slug_chars(text))
    assert words(slug_text(text)) == words(general)


def words(text: str) -> list[str]:
    """The words of slug text: what its hyphens separate."""
    return [word for word in text.split("-") if word]


def test_decomposed_title_gives_the_composed_slug() -> None:
    assert slugify("Ελληνικά") == slugify(unicodedata.normalize("NFD", "Ελληνικά"))
    assert slugify("Cafe\u0301") == "cafe"


@pytest.mark.parametrize("title", ["", "   ", "---", "...", "!!!", "\u0301\u0302", "..", "."])
def test_slug_is_never_empty(title: str) -> None:
    assert slugify(title) == "untitled"


# --- S4: traversal ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/etc/passwd", "etc-passwd"),
        ("..", "untitled"),
        ("a/../../b", "a-b"),
        ("C:\\x", "c-x"),
        ("\\\\server\\share", "server-share"),
        ("~/.ssh/id_rsa", "ssh-id-rsa"),
        ("x\x00y", "x-y"),
        ("undecodable \udce9 name", "undecodable-name"),
    ],
)
def test_path_like_titles_stay_inside_output(title: str, slug: str, tmp_path: Path) -> None:
    assert slugify(title) == slug
    assert (tmp_path / slug).resolve().is_relative_to(tmp_path.resolve())


@settings(max_examples=400, deadline=None)
@given(title=st.text(), max_bytes=st.sampled_from([16, 80, 200]))
def test_any_title_gives_a_safe_slug(title: str, max_bytes: int) -> None:
    slug = slugify(title, max_bytes=max_bytes)
    assert_safe(slug, max_bytes)
    root = Path("/srv/out")
    assert (root / slug).resolve().is_relative_to(root)
    assert slugify(slug, max_bytes=max_bytes) == slug


def test_tiny_budget_is_refused() -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        slugify("title", max_bytes=4)


# --- S5: reserved names and dots ----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("CON", "con-page"),
        ("nul", "nul-page"),
        ("COM1", "com1-page"),
        ("Lpt9", "lpt9-page"),
        ("COM¹", "com1-page"),
        ("aux.txt", "aux-txt"),
        ("console", "console"),
        ("com10", "com10"),
        ("LPT0", "lpt0-page"),
    ],
)
def test_windows_device_names_get_a_suffix(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert_safe(slug)


@pytest.mark.parametrize(
    ("title", "slug"),
    [(".hidden", "hidden"), ("trailing dot.", "trailing-dot"), ("spaces   ", "spaces")],
)
def test_no_leading_or_trailing_dots_or_spaces(title: str, slug: str) -> None:
    assert slugify(title) == slug


# --- S6: long titles ----------------------------------------------------------------------


def test_long_latin_title_is_cut_at_a_word_end() -> None:
    title = " ".join(["Élémentaire"] * 30)  # 359 characters
    slug = slugify(title)
    assert len(slug.encode("utf-8")) <= 80
    assert slug.startswith("elementaire-elementaire")
    assert slug.endswith("elementaire")


def test_long_unbroken_word_is_cut_to_the_byte_budget() -> None:
    slug = slugify("a" * 300, max_bytes=200)
    assert slug == "a" * 200


@pytest.mark.parametrize("max_bytes", [80, 200, 101])
def test_long_cjk_title_is_cut_on_a_character_boundary(max_bytes: int) -> None:
    title = "東京の桜" * 25  # 100 characters, 300 bytes
    slug = slugify(title, max_bytes=max_bytes)
    assert len(slug.encode("utf-8")) <= max_bytes
    assert len(slug.encode("utf-8")) > max_bytes - 3
    assert title.startswith(slug)


# --- S7: unique slugs ---------------------------------------------------------------------


def test_colliding_slugs_become_unique() -> None:
    names = ["Café.txt", "Cafe.txt", "Paris.txt", "paris.txt", "Cafe\u0301.txt", "other.txt"]
    wanted = [slugify(name.removesuffix(".txt")) for name in names]
    result = unique_slugs(wanted, names)
    assert len({slug_key(slug) for slug in result}) == len(names)
    assert result[-1] == "other"
    assert all(slug.startswith(("cafe-", "paris-")) for slug in result[:-1])
    for slug in result:
        assert_safe(slug)


def test_slugs_differing_only_in_case_or_normalisation_collide() -> None:
    wanted = ["ελληνικά", "ΕΛΛΗΝΙΚΆ".lower(), unicodedata.normalize("NFD", "ελληνικά")]
    result = unique_slugs(wanted, ["a", "b", "c"])
    assert len({slug_key(slug) for slug in result}) == 3


def test_items_without_collision_keep_their_slug() -> None:
    assert unique_slugs(["a", "b", "c"], ["1", "2", "3"]) == ["a", "b", "c"]


def test_suffix_depends_on_the_item_not_on_its_neighbours() -> None:
    alone = unique_slugs(["cafe", "cafe"], ["x.txt", "y.txt"])
    crowded = unique_slugs(["tea", "cafe", "z", "cafe", "cafe"], ["t", "y.txt", "z", "q", "x.txt"])
    assert crowded[1] == alone[1]
    assert crowded[4] == alone[0]


def test_suffix_clashing_with_another_slug_is_resolved() -> None:
    first = unique_slugs(["cafe", "cafe"], ["x.txt", "y.txt"])
    wanted = ["cafe", "cafe", first[0]]
    result = unique_slugs(wanted, ["x.txt", "y.txt", "z.txt"])
    assert len({slug_key(slug) for slug in result}) == 3


def test_suffixed_slugs_respect_the_byte_budget() -> None:
    long = slugify("x" * 100)
    result = unique_slugs([long, long, "東" * 26], ["a", "b", "c"], max_bytes=80)
    assert all(len(slug.encode("utf-8")) <= 80 for slug in result)
    assert result[0] != result[1]


def test_unique_slugs_refuses_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="unique"):
        unique_slugs(["a", "b"], ["same", "same"])


SLUG_CHOICES = st.sampled_from(["cafe", "Cafe", "café", "paris", "Paris", "x", "cafe-1"])


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(
        st.tuples(SLUG_CHOICES, st.text(max_size=6)), max_size=12, unique_by=lambda i: i[1]
    ),
    data=st.data(),
)
def test_unique_slugs_do_not_depend_on_input_order(
    items: list[tuple[str, str]], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(items))
    first = dict(zip([i for _, i in items], unique_slugs(*zip_items(items)), strict=True))
    second = dict(zip([i for _, i in shuffled], unique_slugs(*zip_items(shuffled)), strict=True))
    assert first == second
    assert len({slug_key(slug) for slug in first.values()}) == len(items)


def zip_items(items: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Split (wanted, id) pairs into the two lists unique_slugs takes."""
    return [wanted for wanted, _ in items], [item_id for _, item_id in items]


@settings(max_examples=200, deadline=None)
@given(
    titles=st.lists(st.tuples(st.text(max_size=90), st.text(max_size=8)), unique_by=lambda t: t[1]),
    max_bytes=st.sampled_from([16, 24, 80]),
)
def test_unique_slugs_of_any_titles_are_safe_and_distinct(
    titles: list[tuple[str, str]], max_bytes: int
) -> None:
    wanted = [slugify(title, max_bytes=max_bytes) for title, _ in titles]
    result = unique_slugs(wanted, [item_id for _, item_id in titles], max_bytes=max_bytes)
    assert len({slug_key(slug) for slug in result}) == len(titles)
    for slug in result:
        assert_safe(slug, max_bytes)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("cafe-au-lait", True),
        ("東京-タワー", True),
        ("Cafe", False),
        ("café", False),
        ("a--b", False),
        ("-a", False),
        ("con", False),
        ("..", False),
        ("a/b", False),
        ("", False),
    ],
)
def test_is_safe_slug_tells_hand_written_slugs_apart(text: str, safe: bool) -> None:
    assert is_safe_slug(text) is safe


def test_absurdly_long_title_is_cheap_and_safe() -> None:
    slug = slugify("Ünïcödé wörds " * 200_000)
    assert slug.startswith("unicode-words-unicode-words")
    assert_safe(slug)


def test_undecodable_file_names_can_be_ids() -> None:
    result = unique_slugs(["a", "a"], ["caf\udce9.txt", "cafe.txt"])
    assert len(set(result)) == 2


def test_paths_are_suffixed_in_their_last_segment_only() -> None:
    folder = slugify("a source with a rather long name " * 3)
    wanted = [f"{folder}/{slugify('x' * 100)}", f"{folder}/{slugify('X' * 100)}", "other/page"]
    result = unique_slugs(wanted, ["1.txt", "2.txt", "3.txt"])
    assert result[2] == "other/page"
    for slug in result[:2]:
        head, _, last = slug.rpartition("/")
        assert head == folder
        assert_safe(last)
    assert result[0] != result[1]


@pytest.mark.parametrize(
    "rel",
    ["a/b/story.txt", "story.txt", "a.b.c.md", "src/.hidden", "src/trailing.", "noext",
     "x/y.tar.gz", "x/.txt", "dir.d/file", "2024-01-02 notes.txt", "é/ü.txt"],
)  # fmt: skip
def test_file_stem_is_the_paths_stem(rel: str) -> None:
    assert file_stem(rel) == PurePosixPath(rel).stem
