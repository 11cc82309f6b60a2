"""Search over published articles: PostgreSQL full-text search, ranked, stemmed, with
highlighted snippets, and calm in the face of any query text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import selectors, services
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(editor):
    section = SectionFactory(name="News", slug="news")
    start = timezone.now() - timedelta(days=30)

    def make(title, body="", standfirst="", days=0, live=True):
        article = services.article_create(
            by=editor, title=title, body=body, standfirst=standfirst, section=section, now=start
        )
        if live:
            when = start + timedelta(days=days)
            article = services.article_publish(article=article, by=editor, at=when, now=when)
        return article

    return make


def _titles(query: str) -> list[str]:
    return [a.title for a in selectors.article_search(query)]


def test_metoo_pakistan_puts_the_pieces_about_it_first(publish):
    publish("Cricket season opens in Lahore", "Pakistan beat England.", days=9)
    publish("Hollywood after Weinstein", "The #MeToo movement in the United States.", days=8)
    about = publish(
        "How #MeToo reached Pakistan",
        "Women in Pakistan used #MeToo to name harassers; the movement spread.",
        standfirst="MeToo in Pakistan, a year on",
        days=1,
    )
    second = publish(
        "Harassment law review",
        "Lawyers say the MeToo wave in Pakistan forced the review.",
        days=5,
    )
    publish("Weather", "Rain in Karachi.", days=10)
    titles = _titles("metoo pakistan")
    assert titles[:2] == [about.title, second.title]
    # Pieces about only one of the words follow; unrelated ones never appear.
    assert set(titles[2:]) == {"Cricket season opens in Lahore", "Hollywood after Weinstein"}
    assert "Weather" not in titles


def test_search_uses_english_stemming_and_highlights(client, publish):
    publish("Inquiry ordered", "The committee inquiries continue into harassment cases.")
    response = client.get(reverse("articles:search"), {"q": "inquiry harass"})
    html = response.content.decode()
    assert "Inquiry ordered" in html
    assert "<mark>inquiries</mark>" in html and "<mark>harassment</mark>" in html


def test_snippets_cannot_inject_markup(client, publish):
    publish("Escaping", "A <b>bold</b> claim about escaping <script>x</script> tags.")
    html = client.get(reverse("articles:search"), {"q": "escaping"}).content.decode()
    snippet = html.split('class="snippet"')[1].split(">", 1)[1].split("</p>")[0]
    assert "<b>" not in snippet and "<script" not in snippet
    assert "<mark>escaping</mark>" in snippet


def test_websearch_syntax_quotes_and_exclusions(publish):
    publish("Phrase", "sexual harassment at work", days=1)
    publish("Scattered", "harassment was sexual in nature at work", days=2)
    assert _titles('"sexual harassment"') == ["Phrase"]
    assert _titles("harassment -scattered") == ["Phrase"]


def test_drafts_and_scheduled_pieces_are_never_found(publish, editor):
    publish("Quarterly draft report", "quarterly", live=False)
    later = publish("Quarterly scheduled report", "quarterly", live=False)
    services.article_publish(article=later, by=editor, at=timezone.now() + timedelta(days=1))
    assert _titles("quarterly") == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "'",
        '"',
        "\\",
        "&|!():*<>",
        "pakistan & | ! metoo",
        "a:* | b",
        "-",
        "or or or",
        "'; DROP TABLE articles_article; --",
        "<script>alert(1)</script>",
        "%_%",
        "\x00\x01null bytes\x7f",
        "ہراسانی کے خلاف",
        "🙂" * 50,
        "metoo " * 2000,
        "x" * 100_000,
    ],
)
def test_hostile_and_odd_queries_are_handled(client, publish, query):
    publish("MeToo Pakistan", "metoo pakistan")
    response = client.get(reverse("articles:search"), {"q": query})
    # A null byte is refused before any view runs (core.middleware), with a message.
    assert response.status_code == (400 if "\x00" in query else 200)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert len(selectors.clean_query(query)) <= selectors.MAX_QUERY_LENGTH


def test_results_are_paged_and_the_pager_keeps_the_encoded_query(client, publish):
    for n in range(14):
        publish(f"Piece {n:02} on accountability", "accountability", days=n)
    response = client.get(reverse("articles:search"), {"q": "accountability & co"})
    html = response.content.decode()
    assert "14 results" in html
    assert 'href="?page=2&amp;q=accountability+%26+co"' in html
    second = client.get(reverse("articles:search"), {"q": "accountability & co", "page": 2})
    assert len(second.context["page"].object_list) == 2


def test_search_uses_the_gin_index(publish):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_gin'")
        assert "USING gin (search_vector)" in cursor.fetchone()[0]
