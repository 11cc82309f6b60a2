"""Disqus stores comments as HTML; ours are plain text (see comments/text.py).

This turns the HTML Disqus exports into the text a reader would have typed:
paragraphs become blank lines, <br> a newline, links their address (with the
link text in front when it says something else), every other tag is dropped and
entities are decoded. The result still goes through normalize_body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    {"p", "div", "blockquote", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
)
_SKIP_CONTENT = frozenset({"script", "style", "template"})
# Runs of white space that collapse to one space; a lone space is left alone
# (replacing it by itself was most of the time this module took).
_WHITESPACE = re.compile(r"[\t\r\n\f][ \t\r\n\f]*| [ \t\r\n\f]+")
_TRUNCATION = ("...", "\u2026")
_SAFE_SCHEMES = ("http://", "https://")
# Sentinels kept apart from the text until the end, so collapsing whitespace in
# the text cannot eat the line structure the tags gave.
_PARA = "\x00P"
_LINE = "\x00L"


def _same_address(text: str, href: str) -> bool:
    """Disqus shows long links shortened ("https://example.org/repo...") or
    without their scheme; those say nothing beyond the address itself."""
    if not text:
        return True
    bare = href.split("://", 1)[-1]
    candidate = text
    for mark in _TRUNCATION:
        if candidate.endswith(mark):
            stem = candidate[: -len(mark)]
            return href.startswith(stem) or bare.startswith(stem)
    return candidate in {href, bare, bare.rstrip("/"), href.rstrip("/")}


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        # Open <a> elements: (href, index in self.out where their text starts).
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_CONTENT:
            self.skip_depth += 1
        elif tag == "br":
            self.out.append(_LINE)
        elif tag == "li":
            self.out.append(_LINE + "- ")
        elif tag in _BLOCK_TAGS:
            self.out.append(_PARA)
            if tag == "pre":
                self.pre_depth += 1
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self.links.append((href, len(self.out)))
        elif tag == "img":
            src = (dict(attrs).get("src") or "").strip()
            if src.lower().startswith(_SAFE_SCHEMES):
                self.out.append(f" {src} ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":  # <a href="..."/> has no text: the address is all there is
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_CONTENT:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.out.append(_PARA)
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            text = _WHITESPACE.sub(" ", "".join(self.out[start:])).strip()
            del self.out[start:]
            if not href.lower().startswith(_SAFE_SCHEMES):
                # javascript:, mailto: and relative links: keep only what was shown.
                self.out.append(text)
            elif _same_address(text, href):
                self.out.append(href)
            else:
                self.out.append(f"{text} ({href})")

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.pre_depth:
            self.out.append(data.replace("\n", _LINE))
        else:
            self.out.append(_WHITESPACE.sub(" ", data))

    def text(self) -> str:
        raw = "".join(self.out)
        return _joined([line.strip() for line in para.split(_LINE)] for para in raw.split(_PARA))


def _joined(paragraphs: Iterable[list[str]]) -> str:
    """Paragraphs of trimmed lines as text: a newline between lines, a blank line
    between paragraphs. Empty lines at a paragraph's edges (tags there leave them)
    and empty paragraphs are dropped."""
    kept = []
    for lines in paragraphs:
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if lines:
            kept.append("\n".join(lines))
    return "\n\n".join(kept)


# The markup nearly every Disqus message is made of: these tags, attributes in
# quotes, no comments, no declarations. Such a message is read by one regular
# expression and handed to the same builder, event by event, as HTMLParser would
# hand it (tests/comments/test_import_disqus.py compares the two on many messages);
# anything else goes through HTMLParser, which is several times slower.
_SIMPLE_TAGS = frozenset(
    {"p", "br", "a", "b", "i", "em", "strong", "u", "s", "blockquote", "ul", "ol", "li",
     "code", "pre", "span", "div"}
)  # fmt: skip
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)"
    r"((?:\s+[a-zA-Z][-a-zA-Z0-9]*\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))*)\s*(/?)>"
)
_ATTR = re.compile(r"([a-zA-Z][-a-zA-Z0-9]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _simple_events(html: str, builder: _TextBuilder) -> bool:
    """Feed `builder` the events of a message made only of simple markup; False
    (having fed nothing) when the message holds anything else."""
    events: list[tuple[int, str, list[tuple[str, str | None]]]] = []
    pos = 0
    for m in _TAG.finditer(html):
        closing, name, attrs, self_closing = m.groups()
        name = name.lower()
        if name not in _SIMPLE_TAGS or (closing and (attrs or self_closing)):
            return False
        text = html[pos : m.start()]
        if "<" in text:
            return False
        if text:
            events.append((0, unescape(text), []))
        pairs: list[tuple[str, str | None]] = [
            (a.group(1).lower(), unescape(a.group(2) if a.group(3) is None else a.group(3)))
            for a in _ATTR.finditer(attrs)
        ]
        events.append((3 if closing else 2 if self_closing else 1, name, pairs))
        pos = m.end()
    rest = html[pos:]
    if "<" in rest:
        return False
    if rest:
        events.append((0, unescape(rest), []))
    for kind, value, attr_pairs in events:
        if kind == 0:
            builder.handle_data(value)
        elif kind == 1:
            builder.handle_starttag(value, attr_pairs)
        elif kind == 2:
            builder.handle_startendtag(value, attr_pairs)
        else:
            builder.handle_endtag(value)
    return True


# Most messages are paragraphs of text with line breaks and nothing else.
_PLAIN_PARAGRAPHS = re.compile(r"(?:<p>[^<\x00]*(?:<br\s*/?>[^<\x00]*)*</p>)+")
_BR = re.compile(r"<br\s*/?>")


def _plain_paragraphs(html: str) -> str:
    """What the builder makes of a message _PLAIN_PARAGRAPHS matches, without it:
    the same steps (entities decoded, white space collapsed, lines trimmed, empty
    lines at a paragraph's edges and empty paragraphs dropped) on whole strings."""
    return _joined(
        [_WHITESPACE.sub(" ", unescape(line)).strip() for line in _BR.split(paragraph)]
        for paragraph in html[3:-4].split("</p><p>")
    )


def html_to_text(html: str) -> str:
    """Plain text for a Disqus message (not yet normalised)."""
    if "<" not in html and "&" not in html:
        return html.strip()
    if _PLAIN_PARAGRAPHS.fullmatch(html):
        return _plain_paragraphs(html)
    builder = _TextBuilder()
    if not _simple_events(html, builder):
        builder.feed(html)
        builder.close()
    return builder.text()
