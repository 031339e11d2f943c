"""Which language a dump is in, and that language's stopwords (both loaded lazily, once).

Stopword coverage (justext's lists) decides most dumps in well under a millisecond;
py3langid's model, which takes most of a second to load, is consulted only when the
stopwords say too little.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from generator.dump.lines import Line, tokenize

_HANGUL = re.compile("[\uac00-\ud7af]")
_KANA = re.compile("[\u3040-\u309f\u30a0-\u30ff]")
_HAN = re.compile("[\u4e00-\u9fff]")
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
def _stopword_index() -> dict[str, tuple[str, ...]]:
    """Stopword -> the languages whose lists hold it (set operations: most words are in one)."""
    index: dict[str, tuple[str, ...]] = {}
    for code, words in _stoplists().items():
        shared = index.keys() & words
        for word in shared:
            index[word] = (*index[word], code)
        index.update(dict.fromkeys(words - shared, (code,)))
    return index


def load_stopwords() -> None:
    """Load the stopword lists of the common languages now (the others wait until a dump
    they do not decide needs them)."""
    for code in COMMON_LANGUAGES:
        _stoplist(code)


def stopwords(lang: str | None) -> frozenset[str]:
    """Lower-cased stopwords of a language; empty when unknown."""
    if lang == "no":
        lang = "nb"
    return _stoplist(lang or "")


def _by_common_stopwords(tokens: Counter[str]) -> str | None:
    """The language among the common ones (``COMMON_LANGUAGES``) whose stopwords clearly
    cover most of the sample, or None to ask every list (which takes a while to load)."""
    total = sum(tokens.values())
    if total == 0:
        return None
    top = tokens.most_common(_TOP_TOKENS)  # stopwords are the most frequent words
    cover = sorted(
        ((sum(count for word, count in top if word in _stoplist(code)), code)
         for code in COMMON_LANGUAGES),
        reverse=True,
    )  # fmt: skip
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
    index = _stopword_index()
    hits: Counter[str] = Counter()
    for word in tokens.keys() & index.keys():
        count = tokens[word]
        for code in index[word]:
            hits[code] += count
    if not hits or total == 0:
        return None
    best = max(hits.values())
    if best / total < _MIN_COVERAGE:
        return None
    lists = _stoplists()
    near = [code for code in sorted(hits) if hits[code] >= _NEAR_BEST * best]
    usual = [code for code in near if len(lists[code]) <= _LONG_LIST] or near
    return max(usual, key=lambda code: (hits[code], code))


def language_sample(lines: Sequence[Line]) -> str:
    """The longest lines of a dump, up to a few thousand characters: enough to tell."""
    chosen: list[str] = []
    total = 0
    for line in sorted(lines, key=lambda item: len(item.text), reverse=True):
        if total >= _SAMPLE_CHARS:
            break
        text = line.text
        if "://" in text or "www." in text:
            text = _URL.sub(" ", text)
        chosen.append(text[:_LINE_CHARS])
        total += len(chosen[-1])
    return "\n".join(chosen)


def _letter_count(tokens: Counter[str]) -> int:
    """About how many letters the sample holds: the length of its tokens that are not numbers."""
    return sum(len(word) * count for word, count in tokens.items() if not word.isdigit())


def _script_language(sample: str, letters: int) -> str | None:
    """ko/ja/zh when the sample is written mostly in that script, else None."""
    if sample.isascii():
        return None
    letters = letters or 1
    if len(_HANGUL.findall(sample)) / letters > 0.3:
        return "ko"
    if len(_KANA.findall(sample)) / letters > 0.1:
        return "ja"
    if len(_HAN.findall(sample)) / letters > 0.3:
        return "zh"
    return None


def detect_language(lines: Sequence[Line]) -> str | None:
    """ISO 639-1 code of the dump's main language, or None for too little text."""
    sample = language_sample(lines)
    tokens = Counter(tokenize(sample))
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
