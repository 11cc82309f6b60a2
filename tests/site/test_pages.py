from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from articles.models import ArticleStatus
from comments.services import comment_post
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_articles_only(client):
    ArticleFactory(title="A published piece")
    ArticleFactory(title="A secret draft", status=ArticleStatus.DRAFT, published_at=None)
    html = client.get("/").content.decode()
    assert "A published piece" in html
    assert "A secret draft" not in html


def test_every_page_carries_a_strict_csp_and_no_inline_script_or_style(client, article):
    for url in ["/", article.get_absolute_url(), reverse("guidelines"), "/search/?q=x"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_layout_has_landmarks_skip_link_and_guidelines(client):
    html = client.get("/").content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert 'role="banner"' in html and 'role="contentinfo"' in html
    assert reverse("guidelines") in html
    assert "css/bootstrap-site.css" in html and "bootstrap.min.css" not in html
    assert "cdn" not in html.lower()


def test_role_links_shown_by_role(client, reader, moderator, editor):
    client.force_login(reader)
    html = client.get("/").content.decode()
    assert "Moderation" not in html and ">Desk<" not in html
    client.force_login(moderator)
    assert "Moderation</a>" in client.get("/").content.decode()
    client.force_login(editor)
    assert ">Desk<" in client.get("/").content.decode()


def test_times_are_shown_newspaper_style_in_karachi_time():
    when = datetime(2018, 11, 13, 4, 47, tzinfo=UTC)  # 09:47 in Asia/Karachi
    out = Template("{{ t|newsdate }}|{% timestamp t %}").render(Context({"t": when}))
    assert out.startswith("Nov 13, 2018 09:47am|")
    assert '<time datetime="2018-11-13T04:47:00+00:00">Nov 13, 2018 09:47am</time>' in out


def test_unpublished_article_is_404_for_readers_and_visible_to_editors(client, reader, editor):
    draft = ArticleFactory(status=ArticleStatus.DRAFT, published_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(reader)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview" in response.content.decode()


def test_missing_article_is_a_friendly_404(client):
    response = client.get("/articles/no-such-thing/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_article_page_shows_published_comments_and_own_pending_only(
    client, reader, other_reader, moderator, premod_article
):
    mine = comment_post(author=reader, article=premod_article, body="My pending words")
    comment_post(author=other_reader, article=premod_article, body="Their pending words")

    client.force_login(reader)
    html = client.get(premod_article.get_absolute_url()).content.decode()
    assert "My pending words" in html
    assert "Awaiting moderation" in html
    assert "Their pending words" not in html
    assert f'id="c{mine.pk}"' in html
    assert 'dir="auto"' in html

    client.logout()
    html = client.get(premod_article.get_absolute_url()).content.decode()
    assert "My pending words" not in html
    assert "reviewed by a moderator" not in html  # the form notice is for signed-in readers
