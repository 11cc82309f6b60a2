"""The committed stylesheets scripts/build_css.py makes (static/css/bootstrap-site.css,
Bootstrap's rules the markup uses, and static/css/metoo.css, the bundle production
pages link, with their right-to-left twins bootstrap-site.rtl.css and metoo.rtl.css)
are what it makes from today's templates and stylesheets; pages link the bundle alone
when CSS_BUNDLED is on, the right-to-left one in Urdu."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from core import stylesheets
from tests.site.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]


def _builder():
    return load_script("build_css")


def test_committed_stylesheets_are_up_to_date():
    built = _builder().build_all()
    assert {path.relative_to(ROOT / "static").as_posix() for path in built} == {
        stylesheets.BOOTSTRAP_SUBSET,
        stylesheets.BUNDLE,
        stylesheets.BOOTSTRAP_SUBSET_RTL,
        stylesheets.BUNDLE_RTL,
    }
    for path, css in built.items():
        assert path.read_text(encoding="utf-8") == css, (
            f"{path.relative_to(ROOT)} is out of date: run `make css` and commit it"
        )


def test_the_right_to_left_subset_is_cut_from_bootstraps_mirrored_stylesheet():
    static = ROOT / "static"
    ltr = (static / stylesheets.BOOTSTRAP_SUBSET).read_text(encoding="utf-8")
    rtl = (static / stylesheets.BOOTSTRAP_SUBSET_RTL).read_text(encoding="utf-8")
    assert "ol,ul{padding-left:2rem;" in ltr and "ol,ul{padding-right:2rem;" in rtl
    assert "background-position:right 0.75rem center" in ltr
    assert "background-position:left 0.75rem center" in rtl
    # The bundle is that subset and the same project stylesheets, in order.
    bundle = (static / stylesheets.BUNDLE_RTL).read_text(encoding="utf-8")
    assert rtl in bundle and ltr not in bundle
    assert bundle.index(rtl) < bundle.index(".masthead{")


@pytest.mark.django_db
@pytest.mark.parametrize("bundled", [True, False])
def test_an_urdu_page_links_the_right_to_left_stylesheets_and_an_english_one_not(settings, bundled):
    settings.CSS_BUNDLED = bundled
    english = Client().get("/").content.decode()
    urdu = Client(HTTP_ACCEPT_LANGUAGE="ur").get("/").content.decode()
    assert '<html lang="ur" dir="rtl">' in urdu
    first, rtl_first = (
        (stylesheets.BUNDLE, stylesheets.BUNDLE_RTL)
        if bundled
        else (stylesheets.BOOTSTRAP_SUBSET, stylesheets.BOOTSTRAP_SUBSET_RTL)
    )
    assert f'href="/static/{rtl_first}"' in urdu and f'href="/static/{first}"' not in urdu
    assert f'href="/static/{first}"' in english and ".rtl.css" not in english
    assert urdu.count('rel="stylesheet"') == english.count('rel="stylesheet"')


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
