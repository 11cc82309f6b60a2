"""The quick ways the import's text helpers take give what the plain ways give.

Each helper has a path for the common case (plain paragraphs, simple markup, text
with no Arabic script or no link) beside the general one. These compare the two, or
the helper with a plain statement of its rule, on many generated inputs (a fixed
seed, so a failure repeats), built from the pieces where the paths could part:
entities, white space of every kind, bidi controls, tags written oddly.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
from django.db import connection

from comments.importers import html_text
from comments.importers.disqus import TAKEN_NAMES_SQL
from comments.text import normalize_body, render_body
from core import script

TEXT = [
    "a", "b c", "  ", "\n", "\t", "\r\n", " x ", "&amp;", "&nbsp;", "&lt;p&gt;", "&#1575;",
    "&foo", "& ", "سلام", "\u00a0", "\u2028", "\u3000", "e\u0301", "\u202e", "0333-1234567",
    "@Ayesha", "https://x.pk/a?b=1", "www.example.org", "x@y.pk",
]  # fmt: skip
TAGS = [
    "<p>", "</p>", "<P>", "</p >", "<br>", "<br/>", "<br />", "<BR>", "<b>", "</b>", "<i>",
    "</i>", "<em>", "</em>", "<strong>", "</strong>", "<blockquote>", "</blockquote>",
    "<ul>", "<li>", "</li>", "</ul>", "<pre>", "</pre>", "<code>", "</code>",
    '<span class="x">', "</span>", "<div>", "</div>", '<a href="https://x.pk/a?b=1&amp;c=2">',
    "<a href='http://e.org/'>", '<a href="javascript:alert(1)">', "</a>", '<a href="https://x.pk"/>',
    '<img src="https://i.pk/x.png">', "<script>", "</script>", "<!-- c -->", "<", ">",
    '<a  HREF = "https://Y.pk" >', "</br>", "<p/>",
]  # fmt: skip


def with_html_parser(html: str) -> str:
    """The general path: Python's HTMLParser feeding the same builder."""
    builder = html_text._TextBuilder()
    builder.feed(html)
    builder.close()
    return builder.text()


def test_plain_paragraphs_read_by_the_pattern_read_as_the_parser_reads_them():
    rng = random.Random(18)
    pieces = [*TEXT, "<br>", "<br/>", "<br />"]
    checked = 0
    for _ in range(3000):
        html = "".join(
            "<p>" + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) + "</p>"
            for _ in range(rng.randint(1, 4))
        )
        if html_text._PLAIN_PARAGRAPHS.fullmatch(html):
            checked += 1
            assert html_text.html_to_text(html) == with_html_parser(html), html
    assert checked > 2000  # the quick path was the one taken


def test_simple_markup_read_by_the_pattern_reads_as_the_parser_reads_it():
    rng = random.Random(6)
    quick = 0
    for _ in range(4000):
        html = "".join(rng.choice(TAGS + TEXT) for _ in range(rng.randint(1, 12)))
        if "<" not in html and "&" not in html:
            continue  # text alone is kept as written, never parsed
        quick += html_text._simple_events(html, html_text._TextBuilder())
        assert html_text.html_to_text(html) == with_html_parser(html), html
    assert quick > 1000


def plain_normalize(text: str) -> str:
    """normalize_body's rule, stated plainly."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(
        ch for ch in text if ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )
    text = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs", "Co"}
    )
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def test_normalize_body_keeps_its_rule():
    rng = random.Random(17)
    pieces = [*TEXT, " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2029", "\x00",
              "\ue000", "\u2066", "\u1680", "\ufeff", "\u200b"]  # fmt: skip
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert normalize_body(text) == plain_normalize(text), repr(text)


def counted_language(text: str) -> str:
    """core.script.language_of's rule, counted letter by letter."""
    prose = script._NOT_PROSE.sub(" ", text)
    arabic = sum(1 for ch in prose if script._ARABIC_RUN.fullmatch(ch))
    latin = sum(1 for ch in prose if script._LATIN_RUN.fullmatch(ch))
    if arabic != latin:
        return script.URDU if arabic > latin else script.ENGLISH
    if not arabic:
        return script.UNDETERMINED
    first = script._LETTER.search(prose)
    return script.URDU if first is not None and first.group(1) else script.ENGLISH


def test_the_language_of_a_text_keeps_its_rule():
    rng = random.Random(19)
    pieces = ["a", "Zoë", "ب", "ک", "۱", "،", " ", "@", "w", "W", ".", "https", "://", "/",
              "x", "\n", "1", "\u064b", "\ufe8d", "\u08a0", "www.", "@M."]  # fmt: skip
    for _ in range(8000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert script.language_of(text) == counted_language(text), repr(text)


@pytest.mark.parametrize(
    "body",
    ["See https://x.pk/a, then reply.", "No link here: 13/11/2018.", "شکریہ https://x.pk/a 0300"],
)
def test_a_body_with_or_without_a_link_renders_its_link_only_where_there_is_one(body):
    html = render_body(body)
    assert ('<a href="https://x.pk/a"' in html) == ("://" in body)


@pytest.mark.django_db
def test_the_display_names_taken_are_found_by_their_index():
    """Without `deleted_at IS NULL` (the index's condition) the partial unique
    index cannot answer, and each round of an import read every account."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + TAKEN_NAMES_SQL, [["ayesha", "bilal"]])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "user_display_name_ci_unique" in plan, plan
