"""The text as the model reads it: folded so that scripts, spellings and tricks
that mean the same thing look the same, and cut into the features the model
weighs (character n-grams of each word, and words and word pairs).

Folding keeps, for every folded character, the index of the character it came
from, so a feature's weight can be mapped back onto the text as the author typed
it (the highlighted spans in the queue).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from moderation.rules import normalize

# Dropped: joiners and marks that change nothing a reader sees (zero-width
# space, non-joiner and joiner, word joiner, byte-order mark) and the Arabic tatweel
# (ـ), which only stretches a word.
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u0640\u00ad")

# Letters that Arabic and Persian keyboards type where an Urdu one types another:
# one letter for each (after NFKD, which has already split hamza and madda off).
_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ې": "ی",
        "ك": "ک",  # Arabic kaf
        "ه": "ہ",  # Arabic heh, for Urdu heh goal
        "ة": "ہ",  # teh marbuta
        "ە": "ہ",
        "ۃ": "ہ",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
    }
)

# Digits written for letters inside a word ("b1tch", "ch0r").
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s"}

_fold_cache: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    """One character as the model reads it: NFKC and case folded (the word lists'
    `normalize`), accents and Arabic diacritics dropped, Arabic-keyboard letters
    mapped to Urdu ones, any space a plain space, control characters gone."""
    folded = _fold_cache.get(ch)
    if folded is None:
        if ch.isspace():
            folded = " "
        elif ch in _DROP or unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"}:
            folded = ""
        else:
            decomposed = unicodedata.normalize("NFKD", normalize(ch))
            folded = "".join(
                c
                for c in decomposed
                if unicodedata.category(c) != "Mn" and c not in _DROP and c != "\u0670"
            ).translate(_LETTERS)
        if len(_fold_cache) < 50_000:
            _fold_cache[ch] = folded
    return folded


@dataclass(frozen=True, slots=True)
class Folded:
    """The folded text, and for each of its characters the index of the
    character of the original it came from."""

    text: str
    origin: tuple[int, ...]


def fold(text: str) -> Folded:
    """Fold `text` for the model.

    Beyond each character's own folding: digits inside a word become the letters
    they stand for ("b1tch" reads "bitch"), other digits all read 0 (a phone number
    is its shape, "0000-0000000", whoever's number it is), and a letter repeated
    reads once ("bohattt", "sooo" and "bohat", "so"), as Roman Urdu spellings and
    shouting vary.
    """
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for c in _fold_char(ch):
            chars.append(c)
            origin.append(index)
    out: list[str] = []
    out_origin: list[int] = []
    last = ""
    n = len(chars)
    for i, c in enumerate(chars):
        if c.isdigit() or c in _LEET:
            before = chars[i - 1] if i else ""
            after = chars[i + 1] if i + 1 < n else ""
            if c in _LEET and (before.isalpha() or after.isalpha()):
                c = _LEET[c]
            elif c.isdigit():
                c = "0"
        if c == last and c.isalpha():
            continue
        if c == " " and last == " ":
            continue
        out.append(c)
        out_origin.append(origin[i])
        last = c
    return Folded("".join(out), tuple(out_origin))


# ---------------------------------------------------------------- features

# Word features carry this prefix, so "w\x1fkar" (the word) and a character n-gram
# can never be the same feature. Folding removes control characters, so no
# character n-gram contains it.
WORD = "w\x1f"
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """Which features: character n-grams of each space-separated token (padded with
    a space at each end, as scikit-learn's "char_wb" analyzer does) from `char_min`
    to `char_max` long, and runs of `word_max` words or fewer."""

    char_min: int = 2
    char_max: int = 5
    word_max: int = 2


def features(text: str, config: FeatureConfig = FeatureConfig()) -> list[str]:
    """The features of a text, repeated as often as they occur (training)."""
    folded = fold(text).text
    out: list[str] = []
    append = out.append
    lo, hi = config.char_min, config.char_max
    for token in folded.split():
        padded = f" {token} "
        size = len(padded)
        for n in range(lo, hi + 1):
            if n >= size:
                append(padded)
                break
            for start in range(size - n + 1):
                append(padded[start : start + n])
    words = _WORDS.findall(folded)
    for n in range(1, config.word_max + 1):
        for start in range(len(words) - n + 1):
            append(WORD + " ".join(words[start : start + n]))
    return out


@dataclass(frozen=True, slots=True)
class Occurrences:
    """Every feature occurrence with the folded characters it covers,
    [start, end), as three parallel lists (scoring and explaining one text)."""

    folded: Folded
    names: list[str]
    starts: list[int]
    ends: list[int]


def occurrences(text: str, config: FeatureConfig = FeatureConfig()) -> Occurrences:
    """The same features as `features`, in the same order, with where each sits."""
    folded = fold(text)
    ftext = folded.text
    names: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    lo, hi = config.char_min, config.char_max
    for match in re.finditer(r"\S+", ftext):
        token = match.group(0)
        base = match.start() - 1  # padded index 0 is the space before the token
        padded = f" {token} "
        size = len(padded)
        for n in range(lo, hi + 1):
            if n >= size:
                names.append(padded)
                starts.append(match.start())
                ends.append(match.end())
                break
            for start in range(size - n + 1):
                names.append(padded[start : start + n])
                starts.append(max(base + start, match.start()))
                ends.append(min(base + start + n, match.end()))
    words = list(_WORDS.finditer(ftext))
    for n in range(1, config.word_max + 1):
        for start in range(len(words) - n + 1):
            run = words[start : start + n]
            names.append(WORD + " ".join(w.group(0) for w in run))
            starts.append(run[0].start())
            ends.append(run[-1].end())
    return Occurrences(folded, names, starts, ends)
