"""Which script a text is written in, the Arabic-script letters folded, and the
runs that must keep their order inside right-to-left text.

Pure Python, no Django: `moderation.textfold` (the screening normaliser, which an
import contract keeps free of Django) builds on the letter table here, and
`articles` (which may import no other app) folds its search with it.

- `language_of(text)`: "ur" when Arabic-script letters outnumber Latin ones, "en"
  when Latin letters do, "" when the text has no letters. Only letters count:
  digits, punctuation, emoji, links, email addresses and @names are left out, so
  an English comment that opens with one Urdu word ("شکریہ, this is the piece I
  needed") is English, and an Urdu one quoting a link is Urdu. A tie goes to the
  script of the first letter. Arabic script is taken for Urdu (this is a Pakistani
  newsroom); Latin script for English, Roman Urdu included: an Urdu voice cannot
  read Latin letters, an English one reads Roman Urdu passably.
- `fold_arabic(text)`: the Arabic-script letter forms readers type differently and
  mean the same, one code point each, so folding never moves a character: Arabic
  yeh and alef maksura are Urdu yeh (ي ى → ی; bari ye stays: "ہے" is not "ہی"),
  Arabic kaf is Urdu kaf (ك → ک), heh, ae, teh marbuta and heh doachashmee are
  Urdu heh goal (ه ە ة ۃ ھ → ہ),
  alef with hamza or madda is alef (أ إ آ ٱ → ا), waw and yeh with hamza lose it
  (ؤ → و, ئ → ی, ۂ ۀ → ہ), Arabic-Indic and Urdu digits are ASCII; harakat,
  the superscript alef, Quranic marks, the tatweel and the standalone hamza go.
  Latin text is untouched (search keeps its English stemming, snippets their case).
  `ARABIC_FOLD_FROM` / `ARABIC_FOLD_TO` are the same table for PostgreSQL's
  translate(), so the search index folds exactly as the query does.
- `isolate(html)`: numbers (phone numbers, dates, amounts) and @names in escaped
  HTML wrapped in <bdi>, so "0333-1234567" after an Urdu word stays "0333-1234567"
  (without it the bidi algorithm reads the digits as Arabic numbers and puts the
  hyphen between them in right-to-left order: "1234567-0333"). Tags, character
  references, code and links (which carry their own dir="ltr") are left as they
  are, and so is a text without Arabic-script letters, which needs none of it.
"""

from __future__ import annotations

import re

URDU = "ur"
ENGLISH = "en"
UNDETERMINED = ""

# Arabic-script letters: Arabic, Arabic Supplement, Arabic Extended-A, the
# presentation forms. Digits (0660-0669, 06F0-06F9), punctuation (، ؛ ؟ ۔) and marks
# are not letters.
_ARABIC_LETTERS = (
    "\u0620-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufbb1\ufbd3-\ufd3d\ufd50-\ufdc7\ufdf0-\ufdfb"
    "\ufe70-\ufefc"
)
_LATIN_LETTERS = "A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LETTER = re.compile(f"([{_ARABIC_LETTERS}])|[{_LATIN_LETTERS}]")
_ARABIC_RUN = re.compile(f"[{_ARABIC_LETTERS}]+")
_LATIN_RUN = re.compile(f"[{_LATIN_LETTERS}]+")
# Any Arabic-script character: letters, and Arabic-Indic and Urdu digits.
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# What is not prose: links, email addresses, @names (one word: "@Ayesha", "@M.").
_NOT_PROSE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|@[^\s@]+", re.IGNORECASE)


def language_of(text: str) -> str:
    """The language ("ur", "en" or "" for no letters) most of the letters are in."""
    # The pattern is slow on long text (it tries "word@" at every word); a text
    # with no "@", "://" or "www." has nothing it could take out.
    if "@" in text or "://" in text or "www." in text.lower():
        prose = _NOT_PROSE.sub(" ", text)
    else:
        prose = text
    if not _ARABIC_SCRIPT.search(prose):
        # No Arabic script at all (most text): any Latin letter decides.
        return ENGLISH if _LATIN_RUN.search(prose) else UNDETERMINED
    # Joined then measured: one C call per script, not a Python step per word.
    arabic = len("".join(_ARABIC_RUN.findall(prose)))
    latin = len("".join(_LATIN_RUN.findall(prose)))
    if arabic > latin:
        return URDU
    if latin > arabic:
        return ENGLISH
    if not arabic:
        return UNDETERMINED
    first = _LETTER.search(prose)
    return URDU if first is not None and first.group(1) else ENGLISH


def direction_of(language: str) -> str:
    """The `dir` attribute for a text of that language: "auto" when undetermined."""
    if language == URDU:
        return "rtl"
    if language == ENGLISH:
        return "ltr"
    return "auto"


# ---------------------------------------------------------------- letter forms

# (letters, the one each becomes): moderation.textfold maps these too.
ARABIC_LETTER_VARIANTS: tuple[tuple[str, str], ...] = (
    ("يىۍېئ", "ی"),
    ("ۓ", "ے"),
    ("كڪ", "ک"),
    ("هەھةۃۂۀ", "ہ"),
    ("أإآٱ", "ا"),
    ("ؤ", "و"),
)
ARABIC_DIGITS: tuple[tuple[str, str], ...] = (
    ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
    ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
)
# Marks written on Arabic-script letters (harakat, tanween, shadda, sukun, the
# superscript alef, hamza above and below, Quranic annotation), the tatweel and the
# standalone hamza: dropped.
ARABIC_DROPPED = (
    "".join(chr(c) for c in range(0x0610, 0x061B))
    + "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670\u0640\u0621"
    + "".join(chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06DD, 0x06DE, 0x06E5, 0x06E6))
)


def _fold_pairs() -> tuple[str, str]:
    sources: list[str] = []
    targets: list[str] = []
    for letters, to in ARABIC_LETTER_VARIANTS:
        for ch in letters:
            sources.append(ch)
            targets.append(to)
    for letters, to in ARABIC_DIGITS:
        sources.extend(letters)
        targets.extend(to)
    return "".join(sources), "".join(targets)


_FROM, _TO = _fold_pairs()
# For PostgreSQL's translate(string, from, to): characters of `from` past the end
# of `to` are deleted.
ARABIC_FOLD_FROM = _FROM + ARABIC_DROPPED
ARABIC_FOLD_TO = _TO
_FOLD_TABLE = str.maketrans(_FROM, _TO, ARABIC_DROPPED)


def fold_arabic(text: str) -> str:
    """The text with its Arabic-script letters folded (see the module docstring);
    everything else as it was."""
    return text.translate(_FOLD_TABLE)


# ---------------------------------------------------------------- isolation

# Left alone: tags, character references, and a link or code with its text.
_SKIP = r"<(a|code|pre)\b[^>]*>.*?</\2>|<[^>]*>|&#?\w+;"
# A number, with the separators phone numbers, dates, times and amounts use between
# its digit groups ("+92 300 1234567", "13/11/2018", "09:47", "1,200.50"); the
# digits may be ASCII, Arabic-Indic or Urdu.
_NUMBER = r"\+?\d+(?:[ \-./,:]\d+)*%?"
# An @name: the word after the @ (a display name may go on, but where it ends
# cannot be known).
_MENTION = r"@[^\s@<>&]+"
_ISOLATE = re.compile(f"({_SKIP})|({_NUMBER}|{_MENTION})", re.DOTALL)


def _isolate(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1)
    return f"<bdi>{match.group(3)}</bdi>"


def isolate(html: str) -> str:
    """Escaped HTML with every number and @name in a <bdi> (see the module
    docstring), when it has Arabic-script characters: only they make numbers
    Arabic numbers (in English text too, after an Urdu word), so a text without
    them is returned as it is. The input must be escaped text, possibly with tags."""
    if not _ARABIC_SCRIPT.search(html):
        return html
    return _ISOLATE.sub(_isolate, html)
