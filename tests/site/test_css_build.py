"""The committed stylesheets scripts/build_css.py makes (static/css/bootstrap-site.css,
Bootstrap's rules the markup uses, and static/css/metoo.css, the bundle production
pages link) are what it makes from today's templates and stylesheets; pages link the
bundle alone when CSS_BUNDLED is on."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

import pytest
from django.test import Client

from core import stylesheets

ROOT = Path(__file__).resolve().parents[2]


@cache
def _builder():
    # scripts/ is not a package: load the script as a module (registered first, as
    # its dataclasses need).
    spec = importlib.util.spec_from_file_location("build_css", ROOT / "scripts" / "build_css.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_committed_stylesheets_are_up_to_date():
    for path, css in _builder().build_all().items():
        assert path.read_text(encoding="utf-8") == css, (
            f"{path.relative_to(ROOT)} is out of date: run `make css` and commit it"
        )


@pytest.mark.django_db
def test_bundled_pages_link_one_stylesheet_and_others_its_sources(settings):
    settings.CSS_BUNDLED = True
    html = Client().get("/").content.decode()
    assert html.count('rel="stylesheet"') == 1 and "/static/css/metoo.css" in html
    settings.CSS_BUNDLED = False
    html = Client().get("/").content.decode()
    assert html.count('rel="stylesheet"') == len(stylesheets.SOURCES)
    assert "bootstrap.min.css" not in html


def test_site_wide_stylesheets_are_listed_in_one_place():
    # A <link> added to the frame by hand would block rendering beside the bundle.
    for frame in ("base.html", "errors/_static_page.html"):
        assert 'rel="stylesheet"' not in (ROOT / "templates" / frame).read_text(), frame


def test_subset_keeps_what_the_pages_use_and_drops_the_rest():
    builder = _builder()
    rules = builder.parse(
        ":root{--bs-a:1px;--bs-b:var(--bs-a);--bs-unread:2px}"
        ".btn{padding:var(--bs-b)}.btn-dark{color:#000}.carousel{display:block}"
        "[data-bs-theme=dark] .btn{color:#fff}p{margin:0}"
        "@media (min-width: 576px){.carousel{x:1}.btn{width:calc(1rem + 2vw)}}"
        "@keyframes spin{to{transform:rotate(1turn)}}"
    )
    kept = builder.write(builder.drop_unread(builder.prune(rules, {"btn", "btn-dark"}), ""))
    assert kept == (
        ":root{--bs-a:1px;--bs-b:var(--bs-a)}.btn{padding:var(--bs-b)}.btn-dark{color:#000}"
        "p{margin:0}@media (min-width: 576px){.btn{width:calc(1rem + 2vw)}}"
    )


def test_words_come_from_templates_python_strings_and_scripts_not_docstrings(tmp_path):
    builder = _builder()
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "a.html").write_text(
        '<p class="lead">{# card #}{% comment %}table{% endcomment %}</p>'
    )
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "a.js").write_text('el.classList.add("show"); // fade')
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "a.py").write_text(
        '"""Module docstring: collapse."""\n\ndef f():\n    """navbar"""\n'
        "    return f'<b class=\"badge {x}\">'  # spinner\n"
    )
    words = builder.used_words(tmp_path)
    assert {"lead", "show", "badge"} <= words
    assert not {"card", "table", "fade", "collapse", "navbar", "spinner"} & words
