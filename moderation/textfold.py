"""The one normaliser behind every text rule: word lists, people's names, the
accusation lexicon and display names all compare folded text.

Pure Python, no Django (an import contract keeps it so, as for moderation.rules).

`fold(text)` brings together what readers type differently and mean the same:

1. Unicode compatibility forms and case: NFKD, then casefold ("ＡＹＥＳＨＡ",
   "Ayesha" and "AYESHA" are one; "ﻻ" is "لا").
2. Marks that sit on letters: Latin accents ("Ayeshá"), Arabic harakat (zabar, zer,
   pesh, tanween, shadda, sukun, the superscript alef), hamza and madda written above
   or below a letter (so "أ", "إ", "آ" are "ا", "ؤ" is "و", "ئ" is "ی", "ۂ" and "ۀ" are
   "ہ"), the kashida (tatweel) that stretches a word, and the invisible joiners and
   direction marks that make two equal-looking words differ (a zero-width non-joiner
   or space, which Urdu typists put between words, counts as a space).
3. Arabic letters written with Arabic rather than Urdu code points, and their
   look-alikes: "ي" and "ى" and "ے" are "ی"; "ك" is "ک"; "ه", "ە", "ھ", "ة" and "ۃ" are
   "ہ"; a standalone hamza "ء" is dropped ("ثناء" is "ثنا"); "ٱ" is "ا". Urdu and
   Arabic-Indic digits are ASCII digits.
4. Everything between words (spaces, punctuation, underscores) is one space, and a
   CamelCase hashtag is split into its words ("#JusticeForAyesha": "justice for aisha").
5. Common Roman Urdu spellings of the same sound (the Roman Urdu normaliser, small
   on purpose: each rule joins spellings readers use for one word, none joins two
   words): "ee" is "i" (Saleem, Salim; "kameena", "kamina"), "oo" and "ou" are "u"
   (Noor, Nur; Noureen, Nureen; "ulloo", "ullu"), "w" is "v" (Mehwish, Mehvish;
   "awara", "avara"), "q" and "qu" are "k" ("qasam", "kasam"; "qatl", "katl"), "iy"
   before a vowel is "i" ("ghatiya", "ghatia"; "duniya", "dunia"), "y" between a
   consonant and a vowel is "i" ("kya", "kia"; "pyar", "piar"), a letter repeated is
   one (Hassan, Hasan; Aamir, Amir; "kuttaaa"; "bakwaas", "bakwas"). Left apart on
   purpose: vowels ("kota" is not "kutta"), "kh" and "k" ("khota" is not "kota"),
   final "a", "e" and "i" (they inflect: "ganda", "gande", "gandi").

`fold_name(text)` is `fold` plus the spellings that differ between people writing the
same *name*, which would be too loose for a word list that rejects comments: "kh",
"gh", "ph", "th", "dh" are "k", "g", "f", "t", "d" (Khadija, Kadija; Ghulam, Gulam);
"c" (not before "h") and "ck" are "k" (Qasim, Kasim; Siddiqui, Siddiqi, as in `fold`);
"o" and "au" are "u" (Mohammad, Muhammad; Omar, Umar; Chaudhry, Choudhry); "ay" is
"ai" and "ie" is "i" (Ayesha, Aisha, Aysha); "eh" before a consonant is "ah" (Rehman,
Rahman; Mehmood, Mahmood); "y" ending a word is "i" (Aly, Ali); an "h" ending a word
after a vowel goes (Fatimah, Fatima; Sarah, Sara). Word lists use `fold`; people's
names, the accusation lexicon and display names use `fold_name`, where a missed
spelling costs more than a moderator's look at a near miss.

`fold_tracked` gives the same text with, for each folded character, the span of the
original it came from, so a match found in folded text is shown to moderators as the
author typed it. It is slower (a loop in Python); the screening path folds with
`fold_name` and tracks only when something matched. A test checks that both give the
same text for any input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from core.script import ARABIC_DIGITS, ARABIC_LETTER_VARIANTS

# ---------------------------------------------------------------- characters


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str | None]:
    """Step 2 and 3 as one str.translate table over the Basic Multilingual Plane:
    every combining mark and format character deleted, the Arabic look-alikes mapped.
    Built on first use, not at import: asking unicodedata about 65,536 code points costs
    every process's start (a Disqus import, a management command) tens of milliseconds,
    and most never fold a name."""
    table: dict[int, str | None] = {}
    for code in range(0x10000):
        category = unicodedata.category(chr(code))
        if category in {"Mn", "Me", "Cf"}:
            table[code] = None
    table[0x0640] = None  # tatweel (kashida), a letter-like "Lm"
    table[0x0621] = None  # standalone hamza
    # Urdu typists put a zero-width non-joiner (or space) where English has a space:
    # "عائشہ‌خان" is two words.
    table[0x200B] = " "
    table[0x200C] = " "
    # The letter forms search folds too (core.script), and, looser for screening,
    # bari ye as chhoti ye ("ے" typed for "ی" and the other way round).
    for source, target in (*ARABIC_LETTER_VARIANTS, ("ے", "ی"), *ARABIC_DIGITS):
        if len(target) == 1:
            for ch in source:
                table[ord(ch)] = target
        else:
            for ch, to in zip(source, target, strict=True):
                table[ord(ch)] = to
    return table


def _chars(text: str) -> str:
    return unicodedata.normalize("NFKD", text).casefold().translate(_char_table())


# ---------------------------------------------------------------- rewrites

# A rewrite: a compiled pattern and what replaces each match.
type Repl = str | Callable[[re.Match[str]], str]


@dataclass(frozen=True)
class _Rewrite:
    pattern: re.Pattern[str]
    repl: Repl


def _r(pattern: str, repl: Repl) -> _Rewrite:
    return _Rewrite(re.compile(pattern), repl)


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _split_hashtag(match: re.Match[str]) -> str:
    return _CAMEL.sub(" ", match.group(0)[1:])


# Before case is folded: a hashtag's words.
_HASHTAGS = _r(r"#[^\W_]+", _split_hashtag)

# After the characters: what separates words, then the spellings.
_SPACE = _r(r"[\W_]+", " ")
_WORD_RULES = (
    _r(r"ee", "i"),
    _r(r"o[ou]", "u"),
    _r(r"w", "v"),
    # Roman Urdu writes one sound several ways (docs: step 5 above).
    _r(r"qu?", "k"),
    _r(r"iy(?=[aeiou])", "i"),
    _r(r"(?<=[b-df-hj-np-tv-z])y(?=[aeiou])", "i"),
)
_NAME_RULES = (
    _r(r"ph", "f"),
    _r(r"([kgtd])h", r"\1"),
    _r(r"qu|ck|q", "k"),
    _r(r"c(?!h)", "k"),
    _r(r"au|o", "u"),
    _r(r"ay", "ai"),
    _r(r"ie", "i"),
    _r(r"eh(?=[b-df-hj-np-tv-z])", "ah"),
    _r(r"y\b", "i"),
    _r(r"(?<=[aeiu])h\b", ""),
)
# A letter repeated is one: "Hassan", "kuttaaa", "اللہ".
_REPEATS = _r(r"([^\W\d_])\1+", r"\1")
_EDGES = re.compile(r"^ | $")

_WORDS = (_SPACE, *_WORD_RULES, _REPEATS)
_NAMES = (_SPACE, *_WORD_RULES, *_NAME_RULES, _REPEATS)


def _rules(names: bool) -> tuple[_Rewrite, ...]:
    return _NAMES if names else _WORDS


def _apply(rewrite: _Rewrite, text: str) -> str:
    return rewrite.pattern.sub(rewrite.repl, text)


def fold(text: str) -> str:
    """Text as the word lists compare it (steps 1 to 5 above); no leading or
    trailing space."""
    return _fold(text, names=False)


def fold_name(text: str) -> str:
    """Text as names, the accusation lexicon and display names compare it: `fold`
    and the looser spellings of names."""
    return _fold(text, names=True)


def _fold(text: str, *, names: bool) -> str:
    folded = _chars(_apply(_HASHTAGS, text))
    for rewrite in _rules(names):
        folded = _apply(rewrite, folded)
    return _EDGES.sub("", folded)


@lru_cache(maxsize=8192)
def fold_name_cached(text: str) -> str:
    """`fold_name` for short texts seen again and again (listed names, lexicon
    entries, display names)."""
    return fold_name(text)


# ---------------------------------------------------------------- tracked


@dataclass(frozen=True)
class Folded:
    """Folded text with, for each of its characters, where in the original it
    came from: `starts[i]` to `ends[i]` (a slice of the original)."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The slice of the original that folded text[start:end] (not empty) came from."""
        return self.starts[start], self.ends[end - 1]


def _track(
    rewrite: _Rewrite, text: str, starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    """Apply one rewrite keeping the map: every character a replacement writes
    comes from the whole span its match covered."""
    # Most rewrites match nothing in a given comment: then nothing is copied (the
    # lists are never changed in place, so handing the same ones back is safe).
    if rewrite.pattern.search(text) is None:
        return text, starts, ends
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    repl = rewrite.repl
    literal = isinstance(repl, str) and "\\" not in repl
    for match in rewrite.pattern.finditer(text):
        a, b = match.span()
        if callable(repl):
            replaced = repl(match)
        elif literal:
            replaced = repl
        else:
            replaced = match.expand(repl)
        # One character written as itself (a lone space where "[\W_]+" meets one): its
        # place in the map is already right, so it stays in the run being copied.
        if b - a == 1 and replaced == text[a]:
            continue
        out.append(text[last:a])
        new_starts.extend(starts[last:a])
        new_ends.extend(ends[last:a])
        # No rewrite here writes text for an empty match (they all consume some).
        if replaced and a < b:
            origin_start, origin_end = starts[a], ends[b - 1]
            out.append(replaced)
            new_starts.extend([origin_start] * len(replaced))
            new_ends.extend([origin_end] * len(replaced))
        last = b
    out.append(text[last:])
    new_starts.extend(starts[last:])
    new_ends.extend(ends[last:])
    return "".join(out), new_starts, new_ends


@lru_cache(maxsize=4096)
def _char_piece(ch: str) -> str:
    """One character folded (steps 2 and 3); a comment repeats few distinct ones."""
    return _chars(ch)


def _chars_tracked(
    text: str, starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    pieces = [_char_piece(ch) for ch in text]
    # The usual case: every character folds to exactly one, so the map is unchanged.
    if set(map(len, pieces)) <= {1}:
        return "".join(pieces), starts, ends
    chars: list[str] = []
    char_starts: list[int] = []
    char_ends: list[int] = []
    for piece, a, b in zip(pieces, starts, ends, strict=True):
        chars.append(piece)
        char_starts.extend([a] * len(piece))
        char_ends.extend([b] * len(piece))
    return "".join(chars), char_starts, char_ends


def fold_characters(text: str) -> Folded:
    """Steps 1 to 3 alone, with the map back to `text`: case, compatibility forms
    (full-width digits), marks and invisible characters (a direction mark or a
    zero-width joiner typed between digits goes), Arabic-script letters, and Urdu
    and Arabic-Indic digits as ASCII; punctuation and spacing stay. For the rules
    that read numbers and addresses (moderation.rules, personal data), where a
    hyphen or an "@" matters."""
    identity = list(range(len(text)))
    folded, starts, ends = _chars_tracked(text, identity, [i + 1 for i in identity])
    return Folded(folded, tuple(starts), tuple(ends))


def fold_tracked(text: str, *, names: bool = True) -> Folded:
    """`fold_name(text)` (or `fold(text)` with names=False), with the map back to
    `text`."""
    identity = list(range(len(text)))
    tagged, starts, ends = _track(_HASHTAGS, text, identity, [i + 1 for i in identity])
    folded, char_starts, char_ends = _chars_tracked(tagged, starts, ends)
    for rewrite in _rules(names):
        folded, char_starts, char_ends = _track(rewrite, folded, char_starts, char_ends)
    if folded.startswith(" "):
        folded, char_starts, char_ends = folded[1:], char_starts[1:], char_ends[1:]
    if folded.endswith(" "):
        folded, char_starts, char_ends = folded[:-1], char_starts[:-1], char_ends[:-1]
    return Folded(folded, tuple(char_starts), tuple(char_ends))
