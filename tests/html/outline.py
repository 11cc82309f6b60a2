"""What the page-wide markup checks read out of a page: its headings, its htmx
attributes, its <time> values. Plain HTML parsing, no browser."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import pairwise

_HEADING = re.compile(r"h([1-6])")
# A valid global date and time string (HTML: "T" or a space between date and time, at
# most three digits of a fraction, an offset with or without its colon).
TIME_VALUE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})"
)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.bare_htmx: list[str] = []
        self.times: list[str] = []
        self._open: int | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        match = _HEADING.fullmatch(tag)
        if match:
            self._open, self._text = int(match.group(1)), []
        self.bare_htmx += [f"<{tag} {name}>" for name, _value in attrs if name.startswith("hx-")]
        if tag == "time":
            self.times += [value or "" for name, value in attrs if name == "datetime"]

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == f"h{self._open}":
            self.headings.append((self._open, " ".join("".join(self._text).split())))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def heading_problems(html: str) -> list[str]:
    """Where the page's headings break the outline: the first is not an <h1>, or one
    goes more than a level deeper than the heading before it."""
    headings = read(html).headings
    if not headings:
        return ["no headings"]
    problems = []
    if headings[0][0] != 1:
        problems.append(f"first heading is h{headings[0][0]} {headings[0][1]!r}, not h1")
    for (before, before_text), (level, text) in pairwise(headings):
        if level > before + 1:
            problems.append(f"h{level} {text!r} follows h{before} {before_text!r}")
    return problems
