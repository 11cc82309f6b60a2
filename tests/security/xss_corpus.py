"""Hostile payloads a person can type into any field, and a checker for the HTML
we send back: no script elements but our own, no event handler attributes, no
javascript:/data:/vbscript: links, no inline styles."""

from __future__ import annotations

import re
from html.parser import HTMLParser

PAYLOADS: list[str] = [
    # Script tags, plain and disguised.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.test/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<script type="module">alert(1)</script>',
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    # Event handlers.
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<body onload=alert(1)>",
    "<div onmouseover='alert(1)'>hover me</div>",
    '<input autofocus onfocus="alert(1)">',
    "<details open ontoggle=alert(1)>",
    '<a href="#" onclick="alert(1)">click</a>',
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus='",
    # SVG and MathML.
    "<svg onload=alert(1)>",
    '"><svg onload=alert(1)>',
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # URLs with dangerous schemes, plain, mixed case, encoded.
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="&#106;avascript:alert(1)">link</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;script:alert(1)">link</a>',
    '<a href="java\tscript:alert(1)">link</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "![img](javascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    "[d](data:text/html,<script>alert(1)</script>)",
    '<a href="vbscript:msgbox(1)">v</a>',
    "javascript:alert(1)",
    'http://example.test/"onmouseover="alert(1)',
    "https://example.test/<script>alert(1)</script>",
    # Frames, objects, forms, meta refresh, base.
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<style>@import "javascript:alert(1)";</style>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    # Broken and unclosed markup.
    "<img src=x onerror=alert(1)",
    "<script",
    "<<script>alert(1)//<</script>",
    '<a href="javascript:alert(1)',
    "<b><i>unclosed",
    "</div></section></main>escaped the layout",
    # Template injection.
    "{{7*7}}",
    "{% debug %}",
    "${7*7} #{7*7} <%= 7*7 %>",
    # Text tricks: RTL override, zero-width characters, very long words, Urdu.
    "\u202egnp.exe\u202c harmless.txt",
    "ad\u200bmin\u200d\u2060 zero\ufeffwidth",
    "A" * 500,
    "یہ <script>alert(1)</script> تبصرہ ہے",
    "یہ <b>تبصرہ</b> ہے",
]

# Payloads whose visible text must survive exactly (plain-text fields show what
# was typed, escaped), for the browser checks.
SHOWCASE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "{{7*7}}",
    "یہ <b>تبصرہ</b> ہے",
]

_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
_ALLOWED_SCRIPT_PREFIX = "/static/"


def _scheme_of(value: str) -> str:
    # Browsers ignore whitespace and control characters inside the scheme.
    return re.sub(r"[\x00-\x20]", "", value or "")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "script":
            self._in_script = True

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data[:60]!r}")
        self.text.append(data)

    def _check(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith(_ALLOWED_SCRIPT_PREFIX):
            self.problems.append(f"script element: {values}")
        if tag in {"iframe", "object", "embed", "frame", "base", "meta"} and tag != "meta":
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("meta refresh")
        if tag == "svg" or tag == "math":
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")
            # Images may be data: URLs (CSP img-src allows them); nothing else.
            image = tag == "img" and name == "src" and (value or "").startswith("data:image/")
            if name in _URL_ATTRS and _BAD_SCHEME.match(_scheme_of(value)) and not image:
                self.problems.append(f"{name}={value[:40]!r} on <{tag}>")


def html_problems(html: str) -> list[str]:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems


def visible_text(html: str) -> str:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return "".join(checker.text)


def squeeze(text: str) -> str:
    return "".join(text.split())
