"""The desk's preview keeps what the form does not send (a published piece's
slug) and brings the editor back to the preview; the desk links each role only
where it may go (issue 16, part 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_preview_of_a_published_article_keeps_its_slug(client, editor, article):
    client.force_login(editor)
    response = client.post(
        reverse("desk:edit", args=[article.pk]),
        {"title": article.title, "body": "**New** words", "action": "preview"},
    )
    html = response.content.decode()
    assert f'value="{article.slug}"' in html
    assert "<strong>New</strong>" in html


def test_the_preview_button_returns_to_the_preview(client, editor, article):
    client.force_login(editor)
    html = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    assert f'formaction="{reverse("desk:edit", args=[article.pk])}#preview-heading"' in html


def test_an_editors_desk_links_to_the_articles_comments_not_the_queue(client, editor, article):
    client.force_login(editor)
    listing = client.get(reverse("desk:list") + "?view=published").content.decode()
    editing = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    for html in (listing, editing):
        assert "/moderation/" not in html.split("<main", 1)[1]
        assert reverse("comments:desk_comments", args=[article.pk]) in html
    # And the place it leads is one an editor may open.
    assert client.get(reverse("comments:desk_comments", args=[article.pk])).status_code == 200
