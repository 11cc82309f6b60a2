"""Build static/css/bootstrap-site.css, the part of Bootstrap the site's pages use, and
static/css/metoo.css, the one stylesheet pages link in production (core/stylesheets.py:
that subset and the project's stylesheets, in order, minified); and their right-to-left
twins for the Urdu interface, static/css/bootstrap-site.rtl.css (cut the same way from
the wheel's bootstrap.rtl.css, its sides mirrored) and static/css/metoo.rtl.css (that
subset and the same project stylesheets, which use logical properties).

The site ships Bootstrap 5.3 from the django-bootstrap-static wheel, whose full
stylesheet (233 KB) blocked every page's first paint while 97% of it went unused.
This keeps, from that wheel's unminified bootstrap.css:

- every rule whose selectors name no class (Reboot: the element defaults) and, of the
  other rules, the selectors whose classes all occur in the project's markup: the
  templates, the string literals of the Python that writes HTML (renderers, forms,
  views) and of static/js; `[data-bs-*]` selectors (dark theme, Bootstrap's own
  JavaScript, which the site does not load) only where that attribute occurs too;
- the @media and @supports blocks that still hold a rule, the @keyframes still named;
- the custom properties (`--bs-*`) something still reads with var(), Bootstrap or the
  project's own stylesheets;

then writes it with comments and indentation removed. `make css` runs it; the output
is committed, and tests/site/test_css_build.py fails when it is out of date (a template
began using a Bootstrap class, or stopped; a project stylesheet changed), naming this
command.

Usage: python scripts/build_css.py [--check]
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import stylesheets  # noqa: E402 - after the checkout is on the path

STATIC = ROOT / "static"
OUTPUT = STATIC / stylesheets.BOOTSTRAP_SUBSET
BUNDLE = STATIC / stylesheets.BUNDLE
OUTPUT_RTL = STATIC / stylesheets.BOOTSTRAP_SUBSET_RTL
BUNDLE_RTL = STATIC / stylesheets.BUNDLE_RTL
BUILT = {OUTPUT.name, BUNDLE.name, OUTPUT_RTL.name, BUNDLE_RTL.name}
PYTHON_PACKAGES = ("accounts", "articles", "comments", "moderation", "core", "metoo_site")
PROJECT_CSS = ("static/css",)
# Classes the markup composes at run time, which no file spells whole: messages'
# `alert-{{ message.tags }}` (base.html) and comments/views.py's `alert-{kind}`.
COMPOSED = {"alert-success", "alert-info", "alert-warning", "alert-danger"}


def bootstrap_source(*, rtl: bool = False) -> Path:
    import bootstrap  # the django-bootstrap-static package

    name = "bootstrap.rtl.css" if rtl else "bootstrap.css"
    return Path(bootstrap.__file__).parent / "static" / "bootstrap" / "css" / name


# ---------------------------------------------------------------- parsing


@dataclass
class Rule:
    prelude: str  # selectors, or "@media ..." for a block
    body: str = ""  # declarations of a style rule, or the text of a leaf at-rule
    children: list[Rule] | None = None  # a block at-rule's rules
    is_statement: bool = False  # "@charset ...;"


@dataclass
class _Cursor:
    text: str
    pos: int = 0
    out: list[Rule] = field(default_factory=list)


_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def parse(css: str) -> list[Rule]:
    rules, _end = _parse_block(_COMMENT.sub("", css), 0)
    return rules


def _parse_block(text: str, pos: int) -> tuple[list[Rule], int]:
    rules: list[Rule] = []
    start = pos
    while pos < len(text):
        char = text[pos]
        if char in "\"'":
            pos = text.index(char, pos + 1) + 1
            continue
        if char == ";" and text[start:pos].strip().startswith("@"):
            rules.append(Rule(prelude=text[start:pos].strip(), is_statement=True))
            start = pos = pos + 1
            continue
        if char == "}":
            return rules, pos + 1
        if char == "{":
            prelude = text[start:pos].strip()
            if prelude.startswith(("@media", "@supports", "@container", "@layer")):
                children, pos = _parse_block(text, pos + 1)
                rules.append(Rule(prelude=prelude, children=children))
            else:
                body_end = _matching_brace(text, pos)
                rules.append(Rule(prelude=prelude, body=text[pos + 1 : body_end]))
                pos = body_end + 1
            start = pos
            continue
        pos += 1
    return rules, pos


def _matching_brace(text: str, pos: int) -> int:
    depth = 0
    while True:
        char = text[pos]
        if char in "\"'":
            pos = text.index(char, pos + 1)
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1


def split_selectors(prelude: str) -> list[str]:
    """Split a selector list at its top-level commas (not those inside :not(...))."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:i].strip())
            start = i + 1
    parts.append(prelude[start:].strip())
    return [p for p in parts if p]


# ---------------------------------------------------------------- what the site uses

_WORD = re.compile(r"[A-Za-z0-9_-]+")
_TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
_JS_STRING = re.compile(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'")


def used_words(root: Path = ROOT) -> set[str]:
    """Every word that may name a class or attribute in the site's markup."""
    words: set[str] = set(COMPOSED)
    for path in sorted((root / "templates").rglob("*.html")):
        words |= set(_WORD.findall(_TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))))
    for package in PYTHON_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            words |= _python_string_words(path.read_text(encoding="utf-8"))
    for path in sorted((root / "static" / "js").rglob("*.js")):
        for match in _JS_STRING.finditer(path.read_text(encoding="utf-8")):
            words |= set(_WORD.findall(match.group(1) or match.group(2) or ""))
    return words


def _python_string_words(source: str) -> set[str]:
    """Words in the string literals of a module, docstrings left out."""
    words: set[str] = set()
    previous = tokenize.NEWLINE
    string_parts = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    statement_start = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.NL}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in string_parts and not (
            token.type == tokenize.STRING and previous in statement_start
        ):
            words |= set(_WORD.findall(token.string))
        if token.type not in {tokenize.COMMENT, tokenize.NL}:
            previous = token.type
    return words


# ---------------------------------------------------------------- pruning

_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_BS_ATTRIBUTE = re.compile(r"\[(data-bs-[\w-]+)")


def selector_used(selector: str, words: set[str]) -> bool:
    needed = _CLASS.findall(selector) + _BS_ATTRIBUTE.findall(selector)
    return all(name in words for name in needed)


def prune(rules: list[Rule], words: set[str]) -> list[Rule]:
    kept: list[Rule] = []
    for rule in rules:
        if rule.is_statement:
            kept.append(rule)
        elif rule.children is not None:
            children = prune(rule.children, words)
            if children:
                kept.append(Rule(prelude=rule.prelude, children=children))
        elif rule.prelude.startswith("@keyframes"):
            kept.append(rule)  # dropped later unless an animation names it
        else:
            selectors = [s for s in split_selectors(rule.prelude) if selector_used(s, words)]
            if selectors:
                kept.append(Rule(prelude=",".join(selectors), body=rule.body))
    return kept


_DECLARATION_SPLIT = re.compile(r";(?![^(]*\))")
_VAR = re.compile(r"var\((--[\w-]+)")


def _declarations(body: str) -> list[str]:
    return [d.strip() for d in _DECLARATION_SPLIT.split(body) if d.strip()]


def _walk(rules: list[Rule]) -> list[Rule]:
    out: list[Rule] = []
    for rule in rules:
        out.append(rule)
        if rule.children is not None:
            out += _walk(rule.children)
    return out


def drop_unread(rules: list[Rule], project_css: str) -> list[Rule]:
    """Remove custom properties nothing reads and keyframes no animation names, until
    nothing more goes (a property may be read only by another unread one)."""
    while True:
        leaves = [r for r in _walk(rules) if r.children is None and not r.is_statement]
        styles = [r for r in leaves if not r.prelude.startswith("@keyframes")]
        text = project_css + "".join(r.body for r in leaves)
        read = set(_VAR.findall(text))
        changed = False
        for rule in styles:
            declarations = _declarations(rule.body)
            keep = [d for d in declarations if not d.startswith("--") or d.split(":")[0] in read]
            if len(keep) != len(declarations):
                rule.body = ";".join(keep)
                changed = True
        animations = " ".join(
            d for r in styles for d in _declarations(r.body) if d.startswith("animation")
        )
        for rule in leaves:
            if rule.prelude.startswith("@keyframes"):
                name = rule.prelude.split()[1]
                if not re.search(rf"(^|[\s:,]){re.escape(name)}($|[\s;,])", animations):
                    rule.body, changed = "", changed or bool(rule.body)
        rules = _without_empty(rules)
        if not changed:
            return rules


def _without_empty(rules: list[Rule]) -> list[Rule]:
    out = []
    for rule in rules:
        if rule.children is not None:
            children = _without_empty(rule.children)
            if children:
                out.append(Rule(prelude=rule.prelude, children=children))
        elif rule.is_statement or rule.body.strip():
            out.append(rule)
    return out


# ---------------------------------------------------------------- writing

_SPACES = re.compile(r"\s+")
# Not around + - * / : calc() needs those spaces.
_AROUND = re.compile(r"\s*([{}:;,])\s*")
_STRING = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')")


def _tight(text: str) -> str:
    """Declarations without needless spaces; quoted strings (SVG data URIs) as written."""
    parts = _STRING.split(text.strip())
    return "".join(
        part if n % 2 else _AROUND.sub(r"\1", _SPACES.sub(" ", part))
        for n, part in enumerate(parts)
    )


def _tight_selector(selector: str) -> str:
    # Not around ":" here: ".a :hover" and ".a:hover" differ.
    return re.sub(r"\s*([{},>~+])\s*", r"\1", _SPACES.sub(" ", selector).strip())


def write(rules: list[Rule]) -> str:
    out = []
    for rule in rules:
        if rule.is_statement:
            out.append(_SPACES.sub(" ", rule.prelude) + ";")
        elif rule.children is not None:
            out.append(_SPACES.sub(" ", rule.prelude) + "{" + write(rule.children) + "}")
        elif rule.prelude.startswith("@keyframes"):
            out.append(_SPACES.sub(" ", rule.prelude) + "{" + _tight(rule.body) + "}")
        else:
            out.append(_tight_selector(rule.prelude) + "{" + _tight(rule.body) + "}")
    return "".join(out)


def minify(css: str) -> str:
    """A stylesheet without comments and needless spaces, rule for rule."""
    return write(parse(css))


def build_all(root: Path = ROOT) -> dict[Path, str]:
    """Every built file by path: the Bootstrap subset and the bundle, left to right
    and right to left."""
    words = used_words(root)
    project = {
        path: minify((root / "static" / path).read_text(encoding="utf-8"))
        for path in stylesheets.PROJECT
    }
    built: dict[Path, str] = {}
    for rtl, subset_path, bundle_path, sources in (
        (False, OUTPUT, BUNDLE, stylesheets.SOURCES),
        (True, OUTPUT_RTL, BUNDLE_RTL, stylesheets.SOURCES_RTL),
    ):
        subset = build(root, rtl=rtl, words=words)
        parts = [subset if path == sources[0] else project[path] for path in sources]
        note = (
            f"/* {', '.join(sources)}: built by scripts/build_css.py (make css); do not edit. */\n"
        )
        built[subset_path] = subset
        built[bundle_path] = note + "\n".join(parts)
    return built


def build(root: Path = ROOT, *, rtl: bool = False, words: set[str] | None = None) -> str:
    """Bootstrap's rules the markup uses, from bootstrap.css or (rtl) bootstrap.rtl.css."""
    source = bootstrap_source(rtl=rtl)
    version = re.search(r"Bootstrap\s+v([\d.]+)", source.read_text(encoding="utf-8"))
    project_css = "".join(
        p.read_text(encoding="utf-8")
        for folder in PROJECT_CSS
        for p in sorted((root / folder).glob("*.css"))
        if p.name not in BUILT
    )
    rules = prune(
        parse(source.read_text(encoding="utf-8")), words if words is not None else used_words(root)
    )
    rules = drop_unread(rules, project_css)
    header = (
        f"/*! Bootstrap v{version.group(1) if version else '?'}{' RTL' if rtl else ''}"
        " (MIT, https://getbootstrap.com/): the rules this site's pages use."
        " Generated by scripts/build_css.py (make css); do not edit. */\n"
    )
    return header + write(rules) + "\n"


def main(argv: list[str]) -> int:
    stale = 0
    for path, css in build_all().items():
        name = path.relative_to(ROOT)
        if "--check" in argv:
            if not path.exists() or path.read_text(encoding="utf-8") != css:
                print(f"{name} is out of date: run `make css`.", file=sys.stderr)
                stale += 1
            continue
        path.write_text(css, encoding="utf-8")
        print(f"{name}: {len(css.encode()):,} bytes")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
