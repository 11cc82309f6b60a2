"""Comment bodies are plain text. This turns what a reader typed into safe HTML:
everything escaped, paragraphs and line breaks kept, links made clickable; links,
numbers and @names isolated, so their order survives inside right-to-left text
(core.script.isolate)."""

from __future__ import annotations

import re
import unicodedata
from html import escape

from django.conf import settings
from django.utils.translation import gettext as _

from core.script import isolate

_URL_RE = re.compile(r"""\bhttps?://[^\s<>"'\u200e\u200f\u202a-\u202e]+""", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?)]}'\""
_MANY_NEWLINES = re.compile(r"\n{3,}")
# White space (what str.rstrip strips) at the end of each line.
_TRAILING_SPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)
# Bidi overrides and isolates can make text read differently from what was typed.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Control characters except newline and tab (Unicode category Cc), surrogates (Cs) and
# private-use characters (Co): the code points of those categories, as one pattern
# (tests/comments/test_text.py checks it against unicodedata, code point by code
# point); asking unicodedata for each character was a fifth of a Disqus import.
_UNWANTED_CHARS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd"
)
_UNWANTED = re.compile(f"[{_UNWANTED_CHARS}]")
# Both dropped in one pass (str.translate with a table was slower than the regex).
_DROPPED = re.compile(f"[{_BIDI_CONTROLS}{_UNWANTED_CHARS}]")


def normalize_body(text: str) -> str:
    """What we store as the body: NFC, unix newlines, no bidi overrides, no control
    characters except newline and tab, at most one blank line in a row, trimmed."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _DROPPED.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    return _MANY_NEWLINES.sub("\n\n", text).strip()


class BodyError(ValueError):
    """A comment body that cannot be stored; the message is for the reader."""


def clean_body(text: str, *, doing: str = "posting") -> str:
    """The one check of a comment's text, for the forms and the services alike:
    normalised, not empty, not longer than COMMENT_MAX_LENGTH. `doing` names the
    reader's act in the message ("posting", "saving")."""
    body = normalize_body(text)
    if not body:
        if doing == "saving":
            raise BodyError(_("Write something before saving."))
        raise BodyError(_("Write something before posting."))
    if len(body) > settings.COMMENT_MAX_LENGTH:
        raise BodyError(
            _("Comments can be at most %(max)s characters (this one has %(length)s).")
            % {"max": f"{settings.COMMENT_MAX_LENGTH:,}", "length": f"{len(body):,}"}
        )
    return body


def _linkify(escaped_line: str) -> str:
    if "://" not in escaped_line:  # no link (the pattern needs one); most lines
        return escaped_line

    def repl(match: re.Match[str]) -> str:
        url = match.group(0)
        trail = ""
        while url and url[-1] in _TRAILING_PUNCT:
            trail = url[-1] + trail
            url = url[:-1]
        # `url` is already HTML-escaped (it came from an escaped line).
        # dir="ltr": a link reads left to right, and is isolated from Urdu around it.
        return (
            f'<a href="{url}" rel="nofollow ugc noopener" target="_blank" dir="ltr">{url}</a>'
            f"{trail}"
        )

    return _URL_RE.sub(repl, escaped_line)


def render_body(text: str) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    out = []
    for para in paragraphs:
        lines = [isolate(_linkify(escape(line))) for line in para.split("\n")]
        out.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(out)
