"""Feeds, sitemap, article meta tags, and the rule that unpublished and scheduled
pieces are 404 for everyone but editors, wherever they might show."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleStatus
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def news(db):
    return SectionFactory(name="News", slug="news", description="The day's reporting")


@pytest.fixture
def pieces(news):
    opinion = SectionFactory(name="Opinion", slug="opinion")
    return {
        "live": ArticleFactory(
            title="Live & well <b>", slug="live", section=news, standfirst="Seen by all"
        ),
        "opinion": ArticleFactory(title="An opinion", slug="an-opinion", section=opinion),
        "draft": ArticleFactory(
            title="Secret draft",
            slug="secret-draft",
            section=news,
            status=ArticleStatus.DRAFT,
            published_at=None,
        ),
        "scheduled": ArticleFactory(
            title="Embargoed scoop",
            slug="embargoed-scoop",
            section=news,
            published_at=timezone.now() + timedelta(hours=3),
        ),
        "unpublished": ArticleFactory(
            title="Pulled piece",
            slug="pulled-piece",
            section=news,
            status=ArticleStatus.DRAFT,
            published_at=timezone.now() - timedelta(days=1),
        ),
    }


def _xml(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 (the site's own output, in a test)


HIDDEN = ("draft", "scheduled", "unpublished")


def test_rss_feeds_parse_and_list_only_published_pieces(client, pieces):
    root = _xml(client.get(reverse("articles:rss")).content)
    channel = root.find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert sorted(titles) == ["An opinion", "Live & well <b>"]
    links = [item.findtext("link") for item in channel.findall("item")]
    assert "http://testserver/articles/live/" in links
    assert all(link.startswith("http://testserver/") for link in links)
    for item in channel.findall("item"):
        assert item.findtext("pubDate")

    section = _xml(client.get(reverse("articles:section_rss", args=["news"])).content)
    titles = [i.findtext("title") for i in section.find("channel").findall("item")]
    assert titles == ["Live & well <b>"]
    assert section.find("channel").findtext("description") == "The day's reporting"


def test_atom_feeds_parse_and_list_only_published_pieces(client, pieces):
    root = _xml(client.get(reverse("articles:atom")).content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert {e.findtext(f"{ATOM}title") for e in entries} == {"An opinion", "Live & well <b>"}
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/articles/")
        assert entry.findtext(f"{ATOM}updated")
    section = _xml(client.get(reverse("articles:section_atom", args=["news"])).content)
    assert [e.findtext(f"{ATOM}title") for e in section.findall(f"{ATOM}entry")] == [
        "Live & well <b>"
    ]


def test_feed_of_an_unknown_section_is_404(client):
    assert client.get(reverse("articles:section_rss", args=["nope"])).status_code == 404


def test_sitemap_lists_sections_and_published_articles_only(client, pieces):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = _xml(response.content)
    locs = [u.findtext(f"{SITEMAP}loc") for u in root.findall(f"{SITEMAP}url")]
    assert any(loc.endswith("/articles/live/") for loc in locs)
    assert any(loc.endswith("/section/news/") for loc in locs)
    for key in HIDDEN:
        assert not any(pieces[key].slug in loc for loc in locs)


def test_hidden_pieces_are_404_for_visitors_readers_and_moderators(
    client, pieces, reader, moderator
):
    for who in (None, reader, moderator):
        if who:
            client.force_login(who)
        for key in HIDDEN:
            assert client.get(pieces[key].get_absolute_url()).status_code == 404, (who, key)
        home = client.get("/").content.decode()
        section = client.get(reverse("articles:section", args=["news"])).content.decode()
        found = client.get(reverse("articles:search"), {"q": "secret embargoed pulled"})
        for key in HIDDEN:
            title = pieces[key].title
            assert title not in home and title not in section
            assert title not in found.content.decode()
        assert "Live &amp; well" in home


def test_editors_preview_hidden_pieces_at_their_address_but_not_in_public_lists(
    client, pieces, editor
):
    client.force_login(editor)
    for key in HIDDEN:
        response = client.get(pieces[key].get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert "Preview:" in html and 'name="robots" content="noindex' in html
    assert "Embargoed scoop" not in client.get("/").content.decode()
    assert b"Embargoed scoop" not in client.get(reverse("articles:rss")).content


def test_article_page_has_canonical_description_and_social_tags(client, news):
    article = ArticleFactory(
        title='Committees "explained"', slug="committees", section=news, standfirst="Why & how"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="http://testserver/articles/committees/">' in html
    assert '<meta name="description" content="Why &amp; how">' in html
    assert '<meta property="og:title" content="Committees &quot;explained&quot;">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:url" content="http://testserver/articles/committees/">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert 'property="article:published_time"' in html


def test_home_and_sections_page_through_published_articles(client, news):
    for n in range(14):
        ArticleFactory(
            title=f"Piece {n:02}",
            section=news,
            published_at=timezone.now() - timedelta(hours=n + 1),
        )
    first = client.get("/").content.decode()
    assert "Piece 00" in first and "Piece 13" not in first
    assert 'href="?page=2"' in first
    second = client.get("/?page=2").content.decode()
    assert "Piece 13" in second and "Piece 00" not in second
    section = client.get(reverse("articles:section", args=["news"]) + "?page=2").content.decode()
    assert "Piece 13" in section
    assert "teaser-lead" in first
