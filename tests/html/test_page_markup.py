"""Markup that audit tools check, on every page `make check-html` covers: headings in
order (Lighthouse `heading-order`), htmx written as valid `data-hx-*` attributes,
`<time datetime>` values HTML accepts; and the sign-up form's password rules where the
field's description points. The Nu Html Checker itself runs in `make check-html`."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from articles.services import render_markdown
from core.dates import time_element
from tests.html.outline import TIME_VALUE, heading_problems, read
from tests.html.pages import build_site, pages, persona_clients, render_pages


@pytest.mark.django_db
def test_every_audited_page_has_its_headings_in_order_and_valid_htmx_and_times():
    build_site()
    found = pages()
    html = render_pages(found, client_for=persona_clients())
    problems = {}
    for page in found:
        markup = read(html[page.name])
        found_problems = heading_problems(html[page.name])
        found_problems += [f"{tag}: write it data-hx-*" for tag in markup.bare_htmx]
        found_problems += [
            f"<time datetime={value!r}>"
            for value in markup.times
            if not TIME_VALUE.fullmatch(value)
        ]
        if page.language == "ur" and '<html lang="ur" dir="rtl">' not in html[page.name]:
            found_problems.append("not in the Urdu interface")
        if found_problems:
            problems[f"{page.name} ({page.url})"] = found_problems
    assert not problems
    assert len(found) >= 20  # every page the issue lists, each queue tab on its own


def test_heading_problems_name_a_skipped_level_and_a_missing_title():
    assert heading_problems("<h1>Title</h1><h2>A</h2><h3>B</h3><h2>C</h2><h2>D</h2>") == []
    assert heading_problems("<h1>Title</h1><h3>Sub</h3>") == ["h3 'Sub' follows h1 'Title'"]
    assert heading_problems("<h2>Only</h2>") == ["first heading is h2 'Only', not h1"]


def test_article_headings_sit_under_the_headline_without_skipping_a_level():
    html = render_markdown("## Why\n\ntext\n\n#### Detail\n\n### Aside\n\n## Next\n\n# Big")
    assert re.findall(r"<(h\d)>", html) == ["h2", "h3", "h3", "h2", "h2"]
    assert heading_problems(f"<h1>Headline</h1>{html}<h2>Comments</h2>") == []
    # Six levels written in reverse still never skip one.
    deep = render_markdown("###### six\n\n##### five\n\n# one\n\n###### six again")
    assert re.findall(r"<(h\d)>", deep) == ["h2", "h2", "h2", "h3"]


def test_time_element_carries_whole_seconds():
    when = datetime(2018, 11, 13, 4, 47, 5, 123456, tzinfo=UTC)
    assert time_element(when).startswith('<time datetime="2018-11-13T04:47:05+00:00">')
    assert TIME_VALUE.fullmatch("2018-11-13T04:47:05+00:00")
    assert not TIME_VALUE.fullmatch("2018-11-13T04:47:05.123456+00:00")


@pytest.mark.django_db
def test_signup_password_rules_are_in_the_element_the_field_points_at(client):
    html = client.get(reverse("account_signup")).content.decode()
    field = re.search(r'<input [^>]*id="id_password1"[^>]*>', html)
    assert field and 'aria-describedby="id_password1_helptext"' in field.group(0)
    # A <div>, which may hold the list, not a <span> inside a <p> the parser closes early.
    rules = re.search(r'<div class="helptext" id="id_password1_helptext">(.*?)</div>', html, re.S)
    assert rules and "<li>" in rules.group(1) and "8 characters" in rules.group(1)
    assert "<p>" not in html.split('id="id_password1_helptext"')[0].rsplit("<form", 1)[1]
