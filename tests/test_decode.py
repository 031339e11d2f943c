"""The decoding ladder: every dump becomes clean text, and every guess is announced."""

from __future__ import annotations

import codecs
import os
import resource
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.decode import DecodedText, decode_dump, read_dump_bytes
from generator.errors import DumpError
from generator.legacy_codecs import western_codec

FRENCH = "Le café était très chaud ; à côté de la fenêtre, l’élève lisait « Les Misérables »."
GERMAN = "Die Straße war ruhig, die Bäume blühten, und Jürgen aß einen Apfel im Grünen."
GREEK = "Η γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο, και μετά κοιμάται ήσυχα."
TURKISH = "Hızlı kahverengi tilki tembel köpeğin üzerinden atladı; Şimdi çağ değişti, ığdır."
RUSSIAN = "Съешь же ещё этих мягких французских булок, да выпей же чаю, сказал он тихо."
JAPANESE = "今日はとても良い天気ですね。東京の公園で桜が咲いています。明日も晴れるでしょう。"
SENTENCES = [FRENCH, GERMAN, GREEK, TURKISH, RUSSIAN, JAPANESE]
SENTENCE_IDS = ["french", "german", "greek", "turkish", "russian", "japanese"]
MB = 2**20


def decode(data: bytes, **options: str) -> DecodedText:
    """Decode under a fixed file name."""
    return decode_dump(data, name="content/dump.txt", **options)


def long_text(sentence: str, min_bytes: int = 400) -> str:
    """The sentence repeated on lines until it is long enough for the detector."""
    lines = [sentence] * (min_bytes // len(sentence.encode("utf-8")) + 1)
    return "\n".join(lines)


# --- E1, E2, E3: Unicode with and without a byte-order mark --------------------------------


def test_plain_utf8_is_decoded_without_warnings() -> None:
    result = decode(FRENCH.encode("utf-8"))
    assert (result.text, result.encoding, result.method, result.warnings) == (
        FRENCH,
        "utf-8",
        "utf8",
        (),
    )


def test_strips_utf8_bom() -> None:
    result = decode(codecs.BOM_UTF8 + f"{FRENCH}\nsecond line".encode())
    assert result.text == f"{FRENCH}\nsecond line"
    assert result.method == "bom"
    assert result.text.splitlines()[0] == FRENCH


@pytest.mark.parametrize(
    ("codec", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
    ],
)
@pytest.mark.parametrize("sentence", SENTENCES, ids=SENTENCE_IDS)
def test_decodes_wide_unicode_with_bom_like_its_utf8_twin(
    codec: str, bom: bytes, sentence: str
) -> None:
    result = decode(bom + sentence.encode(codec))
    assert result.text == decode(sentence.encode("utf-8")).text
    assert (result.encoding, result.method) == (codec, "bom")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "sentence", [FRENCH, GERMAN, "Plain ASCII text, nothing more."], ids=["fr", "de", "en"]
)
def test_recognises_utf16_without_bom(codec: str, sentence: str) -> None:
    result = decode(sentence.encode(codec))
    assert result.text == sentence
    assert (result.encoding, result.method) == (codec, "utf16-heuristic")


def test_odd_length_wide_text_is_replaced_not_raised() -> None:
    result = decode(codecs.BOM_UTF16_LE + "Bonjour".encode("utf-16-le") + b"!")
    assert result.text == "Bonjour\ufffd"
    assert any("replaced" in warning for warning in result.warnings)


# --- E4, E5, E7: legacy encodings --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Un café à côté, s’il vous plaît.",  # short French, 33 bytes in cp1252
        "She said “hello” — it cost 5 € …",  # smart quotes, dash, euro, ellipsis
    ],
)
def test_short_legacy_text_is_cp1252_with_a_guess_warning(text: str) -> None:
    result = decode(text.encode("cp1252"))
    assert result.text == text
    assert (result.encoding, result.method) == ("cp1252", "fallback")
    assert not {"ŕ", "č", "ř"} & set(result.text)
    assert any("guessed" in warning and "cp1252" in warning for warning in result.warnings)


@pytest.mark.parametrize("sentence", [FRENCH, GERMAN], ids=["french", "german"])
def test_longer_western_text_is_detected_as_cp1252(sentence: str) -> None:
    text = long_text(sentence)
    result = decode(text.encode("cp1252"))
    assert result.text == text
    assert (result.encoding, result.method) == ("cp1252", "detected")
    assert any("guessed" in warning for warning in result.warnings)


def test_english_with_a_few_smart_quotes_stays_cp1252() -> None:
    text = long_text("He said “no” and left — that’s all there is to it.", 5000)
    result = decode(text.encode("cp1252"))
    assert result.text == text
    assert result.encoding == "cp1252"


@pytest.mark.slow
def test_one_megabyte_of_cp1252_french_is_cp1252() -> None:
    text = long_text(FRENCH, MB)
    result = decode(text.encode("cp1252"))
    assert result.encoding == "cp1252"
    assert "à" in result.text
    assert result.text == text


@pytest.mark.parametrize(
    ("sentence", "codec"), [(GREEK, "cp1253"), (TURKISH, "cp1254")], ids=["greek", "turkish"]
)
def test_override_gives_exact_text(sentence: str, codec: str) -> None:
    text = long_text(sentence)
    result = decode(text.encode(codec), override=codec)
    assert result.text == text
    assert (result.encoding, result.method, result.warnings) == (codec, "override", ())


@pytest.mark.parametrize("sentence", [GREEK, TURKISH], ids=["greek", "turkish"])
@pytest.mark.parametrize("size", [60, 400])
def test_greek_and_turkish_without_override_are_announced(sentence: str, size: int) -> None:
    data = long_text(sentence, size).encode("cp1253" if sentence == GREEK else "cp1254")
    result = decode(data)
    assert result.method in ("detected", "fallback")
    assert any("guessed" in w and "encoding_overrides" in w for w in result.warnings)


def test_global_fallback_is_used_before_guessing() -> None:
    text = long_text(GREEK)
    result = decode(text.encode("cp1253"), fallback="cp1253")
    assert result.text == text
    assert (result.encoding, result.method) == ("cp1253", "fallback")
    assert any("fallback_encoding" in warning for warning in result.warnings)


def test_utf8_input_ignores_the_global_fallback() -> None:
    result = decode(GREEK.encode("utf-8"), fallback="cp1253")
    assert (result.text, result.method) == (GREEK, "utf8")


def test_override_that_cannot_decode_replaces_with_a_warning() -> None:
    result = decode("Ça va ? Oui.".encode("cp1252"), override="ascii")
    assert result.text == "\ufffda va ? Oui."
    assert result.warnings == ("1 invalid sequence in ascii replaced with U+FFFD",)


@pytest.mark.parametrize("codec", ["klingon-8", "rot13", "base64"])
def test_unknown_or_non_text_override_is_a_dump_error_naming_it(codec: str) -> None:
    with pytest.raises(DumpError) as caught:
        decode(b"hello", override=codec)
    assert codec in str(caught.value)
    assert str(caught.value).startswith("content/dump.txt: ")


def test_unknown_fallback_is_a_dump_error_naming_it() -> None:
    with pytest.raises(DumpError, match="fallback_encoding"):
        decode("café".encode("cp1252"), fallback="no-such-codec")


def test_detected_cyrillic_is_decoded_and_announced() -> None:
    text = long_text(RUSSIAN)
    result = decode(text.encode("cp1251"))
    assert result.text == text
    assert any("guessed" in warning for warning in result.warnings)


# --- E6: UTF-8 with a few bad bytes ------------------------------------------------------


def test_utf8_with_three_bad_bytes_keeps_every_other_character() -> None:
    text = long_text(FRENCH)
    raw = text.encode("utf-8")
    data = raw[:150] + b"\xff" + raw[150:160] + b"\xfe\x80" + raw[160:]
    assert raw[150] < 0x80 and raw[160] < 0x80  # both spots are character boundaries
    result = decode(data)
    assert result.method == "utf8-lenient"
    assert result.text.count("\ufffd") == 3
    assert result.text.replace("\ufffd", "") == text
    assert any("3 invalid bytes, first at offset 150" in w for w in result.warnings)


INVALID_BYTES = st.sampled_from([*range(0x80, 0xC0), 0xC0, 0xC1, *range(0xF5, 0x100)])
TEXT_CHARS = st.characters(categories=["L", "N", "P", "Zs"])


@settings(max_examples=100, deadline=None)
@given(
    body=st.text(TEXT_CHARS, max_size=200),
    inserts=st.lists(st.tuples(st.integers(min_value=0), INVALID_BYTES), min_size=1, max_size=3),
)
def test_bad_bytes_only_change_their_own_spots(body: str, inserts: list[tuple[int, int]]) -> None:

    text = unicodedata.normalize("NFC", f"{FRENCH}\n{body}\n{GREEK}").strip()
    positions = sorted(position % (len(text) + 1) for position, _ in inserts)
    pieces, start = [], 0
    for position, (_, byte) in zip(positions, inserts, strict=True):
        pieces += [text[start:position].encode("utf-8"), bytes([byte])]
        start = position
    data = b"".join([*pieces, text[start:].encode("utf-8")])
    result = decode(data)
    assert result.method == "utf8-lenient"
    assert result.text.replace("\ufffd", "") == text
    assert result.text.count("\ufffd") == len(inserts)


# --- E8, E9: control characters and line ends --------------------------------------------


def test_removes_nul_and_control_characters_with_a_count() -> None:
    data = long_text(FRENCH).encode("utf-8") + b"\x00end\x01\x07\x1b[0m\tok\x0c"
    result = decode(data)
    assert "\x00" not in result.text and "\x1b" not in result.text
    assert result.text.endswith("end[0m\tok")
    assert "removed 5 control characters (such as NUL) from the text" in result.warnings


def test_removes_c1_controls_from_latin1_override() -> None:
    result = decode(b"caf\xe9\x85 ok", override="latin-1")
    assert result.text == "café ok"


def test_unicode_line_separators_become_spaces() -> None:
    result = decode("one\u2028two\u2029three".encode())
    assert result.text == "one two three"
    assert result.text.splitlines() == ["one two three"]


def test_composes_to_nfc() -> None:
    result = decode("Cafe\u0301 et Zu\u0308rich".encode())
    assert result.text == "Café et Zürich"


EOLS = st.sampled_from(["\n", "\r\n", "\r"])
LINE = st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=30)
"""Non-empty: a CR line end followed by an empty LF line would be one CR LF."""


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(st.tuples(LINE, EOLS), min_size=1, max_size=20),
    codec=st.sampled_from(["utf-8", "utf-16"]),
)
def test_any_mix_of_line_ends_gives_the_lf_text(lines: list[tuple[str, str]], codec: str) -> None:
    mixed = "".join(line + eol for line, eol in lines)
    unix = "".join(line + "\n" for line, _ in lines)
    assert decode(mixed.encode(codec)).text == decode(unix.encode(codec)).text


def test_blank_lines_survive_every_line_end() -> None:
    mixed = b"one\r\r\ntwo\n\r\rthree\r\n\r\n"
    assert decode(mixed).text == "one\n\ntwo\n\n\nthree\n\n"


# --- E10, E11: binary and empty files ----------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"text.txt",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03",
        b"ELF" + bytes(50) + b"some strings here",
    ],
    ids=["png", "gif", "jpeg", "pdf", "zip", "gzip", "nul-heavy"],
)
def test_binary_files_are_refused(data: bytes) -> None:
    with pytest.raises(DumpError, match="binary file, not a text dump") as caught:
        decode(data)
    assert caught.value.problems[0].path == "content/dump.txt"


def test_binary_check_applies_with_an_override() -> None:
    with pytest.raises(DumpError, match="binary file"):
        decode(b"\x89PNG\r\n\x1a\n" + bytes(100), override="cp1252")


def test_a_few_nuls_do_not_make_a_file_binary() -> None:
    assert decode(long_text(FRENCH).encode() + b"\x00").text == long_text(FRENCH)


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")],
)
def test_empty_or_blank_dump_gives_empty_text(data: bytes) -> None:
    assert decode(data).text == ""


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=600))
def test_any_bytes_decode_or_raise_dump_error(data: bytes) -> None:
    try:
        result = decode(data)
    except DumpError as error:
        assert "binary file" in str(error)
        return
    result.text.encode("utf-8")  # no lone surrogates
    assert "\r" not in result.text and "\x00" not in result.text


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300), codec=st.sampled_from(["utf-8", "utf-16", "cp1253", "ascii"]))
def test_any_bytes_with_an_override_decode_or_raise_dump_error(data: bytes, codec: str) -> None:
    try:
        decode(data, override=codec)
    except DumpError as error:
        assert "binary file" in str(error)


@settings(max_examples=100, deadline=None)
@given(text=st.text(st.characters(categories=["L", "N", "P", "S", "Zs"])))
def test_unicode_text_round_trips_through_utf8_and_utf16(text: str) -> None:

    expected = unicodedata.normalize("NFC", text) if text.strip() else ""
    assert decode(text.encode("utf-8")).text == expected
    assert decode(text.encode("utf-16")).text == expected


# --- reading: E12 and vanished files -----------------------------------------------------


def test_reads_a_small_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello")
    assert read_dump_bytes(path, name="a.txt", max_bytes=MB) == b"hello"


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 1000)
    assert len(read_dump_bytes(path, name="a.txt", max_bytes=1000)) == 1000


def test_oversized_sparse_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        os.truncate(handle.fileno(), 200 * MB)
    before = max_rss_bytes()
    with pytest.raises(DumpError) as caught:
        read_dump_bytes(path, name="content/huge.txt", max_bytes=20 * MB)
    message = str(caught.value)
    assert message == ("content/huge.txt: file is 200 MB, over the max_dump_mb limit of 20 MB")
    assert max_rss_bytes() - before < 50 * MB


def max_rss_bytes() -> int:
    """Peak resident memory of this process, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def test_vanished_file_is_a_dump_error(tmp_path: Path) -> None:
    with pytest.raises(DumpError, match="vanished before it could be read"):
        read_dump_bytes(tmp_path / "gone.txt", name="gone.txt", max_bytes=MB)


def test_directory_is_not_read(tmp_path: Path) -> None:
    with pytest.raises(DumpError, match="not a regular file"):
        read_dump_bytes(tmp_path, name="dir.txt", max_bytes=MB)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    with pytest.raises(DumpError, match="not a regular file"):
        read_dump_bytes(path, name="pipe.txt", max_bytes=MB)


def test_unreadable_file_reports_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.txt"
    path.write_bytes(b"secret")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(DumpError, match=r"locked\.txt: cannot be read: Permission denied"):
        read_dump_bytes(path, name="locked.txt", max_bytes=MB)


# --- hardening -----------------------------------------------------------------------------

POLISH = "Zażółć gęślą jaźń, pchnąć w tę łódź jeża lub ośm skrzyń fig; książka leży na stole."
ICELANDIC = "Það er gott veður í dag; ég þakka þér fyrir, þetta var æðislegt á föstudaginn."


def test_longer_turkish_is_recognised_by_its_letters() -> None:
    text = long_text(TURKISH)
    result = decode(text.encode("cp1254"))
    assert (result.text, result.encoding) == (text, "cp1254")
    assert any("guessed" in warning for warning in result.warnings)


def test_icelandic_is_not_mistaken_for_turkish() -> None:
    text = long_text(ICELANDIC)
    assert decode(text.encode("cp1252")).text == text


def test_central_european_bytes_are_not_taken_for_western_text() -> None:
    assert western_codec(long_text(POLISH).encode("cp1250")) is None
    assert western_codec(long_text(FRENCH).encode("cp1252")) == "cp1252"


def test_western_text_with_soft_hyphens_and_dashes_is_western() -> None:
    text = long_text("Die Stra\xadße — Paris–Berlin, l’été … fin.")
    assert western_codec(text.encode("cp1252")) == "cp1252"


def test_without_the_detector_legacy_text_still_decodes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "charset_normalizer", None)
    result = decode(long_text(RUSSIAN).encode("cp1251"))
    assert (result.encoding, result.method) == ("cp1252", "fallback")
    assert any("guessed" in warning for warning in result.warnings)


def test_bom_beats_a_stale_legacy_override() -> None:
    result = decode(codecs.BOM_UTF8 + GREEK.encode(), override="cp1253")
    assert (result.text, result.encoding, result.method) == (GREEK, "utf-8", "bom")
    assert any("not as cp1253 from encoding_overrides" in w for w in result.warnings)


def test_bom_matching_a_unicode_override_needs_no_warning() -> None:
    result = decode(codecs.BOM_UTF16_LE + GREEK.encode("utf-16-le"), override="utf-16")
    assert (result.text, result.warnings) == (GREEK, ())


def test_wide_override_accepts_nul_bytes() -> None:
    result = decode(FRENCH.encode("utf-16-le"), override="utf-16-le")
    assert (result.text, result.method) == (FRENCH, "override")


def test_override_producing_lone_surrogates_is_repaired() -> None:
    result = decode(b"caf\\xe9 \\ud800!", override="unicode_escape")
    assert result.text == "café \ufffd!"
    result.text.encode("utf-8")


def test_utf8_bom_with_bad_bytes_reports_the_offset() -> None:
    result = decode(codecs.BOM_UTF8 + b"abc\xffdef")
    assert result.text == "abc\ufffddef"
    assert any("1 invalid byte, first at offset 6" in w for w in result.warnings)


def test_truncated_utf16_without_bom_is_still_utf16() -> None:
    result = decode(FRENCH.encode("utf-16-le") + b"x")
    assert result.method == "utf16-heuristic"
    assert result.text == FRENCH + "\ufffd"


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=400), fallback=st.sampled_from(["cp1253", "koi8-r", "utf-16"]))
def test_any_bytes_with_a_fallback_decode_or_raise_dump_error(data: bytes, fallback: str) -> None:
    try:
        decode(data, fallback=fallback).text.encode("utf-8")
    except DumpError as error:
        assert "binary file" in str(error)


def test_size_message_shows_bytes_when_megabytes_would_look_equal(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * (MB + 10))
    with pytest.raises(DumpError) as caught:
        read_dump_bytes(path, name="a.txt", max_bytes=MB)
    assert str(caught.value) == (
        "a.txt: file is 1,048,586 bytes, over the max_dump_mb limit of 1,048,576 bytes"
    )


def growing_file(folder: Path, monkeypatch: pytest.MonkeyPatch, grown: bytes) -> Path:
    """A 10-byte file that becomes ``grown`` right after ``stat`` first looked at it.

    Only that file and only once: any other path (pytest stats source files to report a
    failure) is looked at as usual, never written.
    """
    path = folder / "growing.txt"
    path.write_bytes(b"x" * 10)
    small, real_stat = path.stat(), Path.stat
    looked: list[Path] = []

    def stale_stat(self: Path, **kwargs: bool) -> os.stat_result:
        if self != path or looked:
            return real_stat(self, **kwargs)
        looked.append(self)
        path.write_bytes(grown)
        return small

    monkeypatch.setattr(Path, "stat", stale_stat)
    return path


def test_file_growing_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = growing_file(tmp_path, monkeypatch, b"x" * 5000)
    with pytest.raises(DumpError, match="grew past the max_dump_mb limit"):
        read_dump_bytes(path, name="growing.txt", max_bytes=1000)


def test_file_grown_within_the_limit_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The read asks for the size stat gave and one byte more; a file that grew since
    # is read on to its end, not cut at its old size.
    path = growing_file(tmp_path, monkeypatch, b"y" * 900)
    assert read_dump_bytes(path, name="growing.txt", max_bytes=1000) == b"y" * 900


# --- text that was UTF-8-encoded twice ---------------------------------------------------


def encoded_twice(text: str, codec: str) -> bytes:
    """UTF-8 bytes read one per character in codec (as browsers do), then saved as UTF-8."""
    misread = (bytes([byte]).decode(codec, "ignore") or chr(byte) for byte in text.encode())
    return "".join(misread).encode("utf-8")


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_repairs_text_encoded_twice(codec: str) -> None:
    text = "Don’t stop — it’s “fine” or ‘good’… Café, naïve, 5 €; Ærø."
    result = decode(encoded_twice(text, codec))
    assert result.text == text
    assert any("encoded twice" in warning for warning in result.warnings)


def test_leaves_lookalike_letters_alone_without_a_telltale() -> None:
    text = "LE CAFÉ” ET LÀ… SÃO PAULO; Ã©tÃ© stays as written."
    result = decode(text.encode("utf-8"))
    assert (result.text, result.warnings) == (text, ())


def test_repairs_only_complete_sequences() -> None:
    text = "It’s done. " + "Ã" + " alone, and Voilà… too."
    result = decode(encoded_twice("It’s done. ", "cp1252") + text[11:].encode("utf-8"))
    assert result.text == text


@settings(max_examples=100, deadline=None)
@given(
    text=st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=60),
    codec=st.sampled_from(["cp1252", "latin-1"]),
)
def test_any_text_encoded_twice_comes_back(text: str, codec: str) -> None:
    marked = f"It’s {text}"
    assert decode(encoded_twice(marked, codec)).text == decode(marked.encode()).text
