"""Which language a dump is in, and that language's stopwords (both loaded lazily, once).

Stopword coverage (justext's lists) decides most dumps in well under a millisecond;
py3langid's model, which takes most of a second to load, is consulted only when the
stopwords say too little.
"""

from __future__ import annotations

import functools
import importlib.util
import operator
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from generator.dump.lines import Line, has_cjk, tokenize

_HANGUL = "[\uac00-\ud7af]"
_KANA = "[\u3040-\u309f\u30a0-\u30ff]"
_HAN = "[\u4e00-\u9fff]"
"""Script patterns, compiled on first use (see ``lines.CJK_CHAR``)."""
_URL = re.compile(r"\S*(?:://|www\.)\S*")
_MIN_LETTERS = 20
_SAMPLE_CHARS = 2500
_LINE_CHARS = 300
_MIN_COVERAGE = 0.1
_NEAR_BEST = 0.8
_LONG_LIST = 1500
_CLEAR_COVERAGE = 0.25
_CLEAR_LEAD = 1.5
_TOP_TOKENS = 60
_COUNT = operator.itemgetter(1)

COMMON_LANGUAGES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "ca", "gl", "cs", "sk", "uk", "da",
    "sv", "nb", "ro", "hr", "sl", "bg",
)  # fmt: skip
"""Languages tried first; a dump they do not clearly decide is compared with every list."""

# ISO 639-1 code -> name of the stoplist shipped by justext.
STOPLIST_NAMES: dict[str, str] = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bs": "Bosnian", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician",
    "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian",
    "id": "Indonesian", "is": "Icelandic", "it": "Italian", "ka": "Georgian", "kk": "Kazakh",
    "ko": "Korean", "la": "Latin", "lb": "Luxembourgish", "lt": "Lithuanian", "lv": "Latvian",
    "mk": "Macedonian", "ms": "Malay", "mt": "Maltese", "nb": "Norwegian_Bokmal",
    "nl": "Dutch", "nn": "Norwegian_Nynorsk", "no": "Norwegian_Bokmal", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian",
    "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil",
    "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}  # fmt: skip


class _Identifier(Protocol):
    """The part of py3langid's LanguageIdentifier we use."""

    def classify(self, text: str) -> tuple[str, float]: ...


@functools.lru_cache(maxsize=1)
def _identifier() -> _Identifier | None:
    """py3langid's bundled model, loaded on first use (it takes most of a second)."""
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:
        return None
    model: _Identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return model


@functools.lru_cache(maxsize=1)
def _stoplist_folder() -> Path | None:
    """Where justext keeps its stoplists, found without importing it (that pulls in lxml)."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "stoplists"


def _read_stoplist(folder: Path, name: str) -> frozenset[str]:
    """One stoplist file (one word a line) as a set of lower-cased words (empty when missing)."""
    try:
        text = (folder / f"{name}.txt").read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(text.lower().split())


@functools.lru_cache(maxsize=128)
def _stoplist(code: str) -> frozenset[str]:
    """One language's stopwords, lower-cased (justext's list, loaded once); empty if unknown."""
    folder = _stoplist_folder()
    name = STOPLIST_NAMES.get(code)
    if folder is None or name is None:
        return frozenset()
    return _read_stoplist(folder, name)


@functools.lru_cache(maxsize=1)
def _stoplists() -> dict[str, frozenset[str]]:
    """Every known language's stopwords (loaded only when the common ones do not decide)."""
    if _stoplist_folder() is None:
        return {}
    return {code: _stoplist(code) for code in sorted(STOPLIST_NAMES) if code != "no"}


@functools.lru_cache(maxsize=1)
def _stopword_index() -> tuple[tuple[str, ...], dict[str, int]]:
    """The languages of every list, and stopword -> the bits of the lists that hold it."""
    lists = _stoplists()
    return tuple(lists), _bit_index(list(lists.values()))


def _positions(bits: int) -> Iterator[int]:
    """The positions of the set bits, lowest first."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


def load_stopwords() -> None:
    """Load and index the stopword lists of the common languages now (the others wait until
    a dump they do not decide needs them)."""
    _COMMON.index()


def stopwords(lang: str | None) -> frozenset[str]:
    """Lower-cased stopwords of a language; empty when unknown."""
    if lang == "no":
        lang = "nb"
    return _stoplist(lang or "")


INDEX_AFTER = 512
"""Dumps a process looks up in the common stopword lists one list at a time before it
indexes them: indexing takes about 16 ms, and saves about 20 us a dump (35 against 57),
so it pays for itself only after some 700 dumps; a touch-up reads one."""


class _CommonStopwords:
    """The stopword lists of ``COMMON_LANGUAGES``, looked up list by list for a process's
    first dumps, then through an index (stopword -> the bits, one per position in
    ``COMMON_LANGUAGES``, of the lists that hold it; see ``_stopword_index``). Either way
    gives the same counts; only the time differs."""

    def __init__(self) -> None:
        self.looked_up = 0
        self.indexed: dict[str, int] | None = None

    def index(self) -> dict[str, int]:
        if self.indexed is None:
            self.indexed = _bit_index([_stoplist(code) for code in COMMON_LANGUAGES])
        return self.indexed

    def coverage(self, top: Sequence[tuple[str, int]]) -> list[int]:
        """How many of the counted tokens each common language's stopwords hold, in order."""
        if self.indexed is None and self.looked_up < INDEX_AFTER:
            self.looked_up += 1
            return [
                sum([count for word, count in top if word in words])
                for words in map(_stoplist, COMMON_LANGUAGES)
            ]
        index = self.index()
        hits = [0] * len(COMMON_LANGUAGES)
        for word, count in top:
            for position in _positions(index.get(word, 0)):
                hits[position] += count
        return hits


_COMMON = _CommonStopwords()
"""This process's (a cache: it decides only how fast the counts come)."""


def _bit_index(lists: Sequence[frozenset[str]]) -> dict[str, int]:
    """Word -> the bits of the lists that hold it (bit ``1 << i`` for ``lists[i]``): ints, as
    a tuple a word would keep the collector busy."""
    index: dict[str, int] = {}
    for position, words in enumerate(lists):
        bit = 1 << position
        shared = frozenset(filter(index.__contains__, words))  # most words are in one list
        for word in shared:
            index[word] |= bit
        index.update(dict.fromkeys(words - shared, bit))
    return index


def _by_common_stopwords(tokens: Counter[str]) -> str | None:
    """The language among the common ones (``COMMON_LANGUAGES``) whose stopwords clearly
    cover most of the sample, or None to ask every list (which takes a while to load)."""
    total = sum(tokens.values())
    if total == 0:
        return None
    # The most frequent words, as ``most_common`` ranks them (a stable sort: it is faster).
    top = sorted(tokens.items(), key=_COUNT, reverse=True)[:_TOP_TOKENS]
    cover = sorted(zip(_COMMON.coverage(top), COMMON_LANGUAGES, strict=True), reverse=True)
    (best, code), (second, _) = cover[0], cover[1]
    if best >= _CLEAR_COVERAGE * total and best >= _CLEAR_LEAD * second:
        return code
    return None


def _by_stopwords(tokens: Counter[str]) -> str | None:
    """The language whose stopwords cover most of the sample's tokens, when they cover enough.

    Among languages within a fifth of the best, those with lists of usual length are
    preferred: very long lists (Finnish, Estonian) hold many words of other languages.
    """
    total = sum(tokens.values())
    codes, index = _stopword_index()
    hits: Counter[str] = Counter()
    for word in tokens.keys() & index.keys():
        count = tokens[word]
        for position in _positions(index[word]):
            hits[codes[position]] += count
    if not hits or total == 0:
        return None
    best = max(hits.values())
    if best / total < _MIN_COVERAGE:
        return None
    lists = _stoplists()
    near = [code for code in sorted(hits) if hits[code] >= _NEAR_BEST * best]
    usual = [code for code in near if len(lists[code]) <= _LONG_LIST] or near
    return max(usual, key=lambda code: (hits[code], code))


def _sample_parts(lines: Sequence[Line]) -> list[tuple[str, tuple[str, ...] | None]]:
    """The lines of ``language_sample``, each with its words (None when the text was cut or
    its web addresses removed: its words are then counted anew)."""
    chosen: list[tuple[str, tuple[str, ...] | None]] = []
    total = 0
    lengths = [len(line.text) for line in lines]
    for index in sorted(range(len(lines)), key=lengths.__getitem__, reverse=True):
        line = lines[index]
        if total >= _SAMPLE_CHARS:
            break
        text = line.text
        words: tuple[str, ...] | None = line.words
        if "://" in text or "www." in text:
            text, words = _URL.sub(" ", text), None
        if len(text) > _LINE_CHARS:
            text, words = text[:_LINE_CHARS], None
        chosen.append((text, words))
        total += len(text)
    return chosen


def language_sample(lines: Sequence[Line]) -> str:
    """The longest lines of a dump, up to a few thousand characters: enough to tell."""
    return "\n".join(text for text, _words in _sample_parts(lines))


def _sample_tokens(parts: Sequence[tuple[str, tuple[str, ...] | None]]) -> Counter[str]:
    """The tokens of the sample's lines, counted in order (a line's words are its tokens)."""
    tokens: Counter[str] = Counter()
    for text, words in parts:
        tokens.update(tokenize(text) if words is None else words)
    return tokens


def _letter_count(tokens: Counter[str]) -> int:
    """About how many letters the sample holds: the length of its tokens that are not numbers."""
    total: int = sum(map(operator.mul, map(len, tokens), tokens.values()))
    numbers = list(filter(str.isdigit, tokens))
    digits: int = sum(map(operator.mul, map(len, numbers), map(tokens.__getitem__, numbers)))
    return total - digits


def _script_language(sample: str, letters: int) -> str | None:
    """ko/ja/zh when the sample is written mostly in that script, else None."""
    if not has_cjk(sample):
        return None
    letters = letters or 1
    if len(re.findall(_HANGUL, sample)) / letters > 0.3:
        return "ko"
    if len(re.findall(_KANA, sample)) / letters > 0.1:
        return "ja"
    if len(re.findall(_HAN, sample)) / letters > 0.3:
        return "zh"
    return None


def detect_language(lines: Sequence[Line]) -> str | None:
    """ISO 639-1 code of the dump's main language, or None for too little text."""
    parts = _sample_parts(lines)
    sample = "\n".join(text for text, _words in parts)
    tokens = _sample_tokens(parts)
    letters = _letter_count(tokens)
    if letters < _MIN_LETTERS:
        return None
    by_script = _script_language(sample, letters)
    if by_script is not None:
        return by_script
    by_stopwords = _by_common_stopwords(tokens) or _by_stopwords(tokens)
    if by_stopwords is not None:
        return by_stopwords
    identifier = _identifier()
    if identifier is None:
        return None
    lang, _confidence = identifier.classify(sample)
    return lang
