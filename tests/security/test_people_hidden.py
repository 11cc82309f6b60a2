"""Readers see nothing of the lists of people in the story: not on public pages, not
in feeds, not in their data export; and a comment held for naming a protected person
never reaches another reader's page (anonymous, another reader, the feeds)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from articles import people
from comments.models import CommentStatus
from comments.services import comment_post
from tests.security.test_hidden_things import NON_MODERATORS, _public_pages
from tests.security.urlmap import url_names

pytestmark = pytest.mark.django_db

LIST_SECRETS = ("Listed Survivor", "Listed Spelling", "Newsroom-only note about the listed person")


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _feeds() -> list[str]:
    names = [n for n in url_names() if n.endswith(("rss", "atom"))]
    return [reverse(n) for n in names if "section" not in n]


def test_no_public_page_or_feed_shows_the_lists(world):
    people.person_list(
        article=None, by=world.users["editor"], name="Court Protected", role="protected"
    )
    for persona in (*NON_MODERATORS, "moderator"):
        client = _client(world.users[persona])
        for url in [*_public_pages(world), *_feeds()]:
            html = client.get(url).content.decode()
            for secret in (*LIST_SECRETS, "Court Protected"):
                assert secret not in html, f"{secret!r} on {url} to {persona}"


def test_the_desk_lists_are_for_editors_and_admins_only(world):
    pages = [reverse("desk:people", args=[world.article.pk]), reverse("desk:protected")]
    for persona in ("anonymous", "reader", "sanctioned", "moderator"):
        for url in pages:
            response = _client(world.users[persona]).get(url)
            assert response.status_code in {302, 403}
            assert "Listed Survivor" not in response.content.decode()
    for persona in ("editor", "admin"):
        html = _client(world.users[persona]).get(pages[0]).content.decode()
        assert "Listed Survivor" in html and "Listed Spelling" in html


def test_a_comment_held_for_naming_her_never_reaches_another_readers_page(world):
    reader = world.users["reader"]
    held = comment_post(
        author=reader, article=world.article, body="listed survivr? no: LISTED SURVIVOR"
    )
    assert held.status == CommentStatus.PENDING
    for persona in ("anonymous", "sanctioned", "editor"):
        client = _client(world.users[persona])
        for url in [*_public_pages(world), *_feeds()]:
            assert "LISTED SURVIVOR" not in client.get(url).content.decode(), (url, persona)
        permalink = client.get(reverse("comments:permalink", args=[held.pk]), follow=True)
        assert "LISTED SURVIVOR" not in permalink.content.decode()
    # Its author sees it, marked as awaiting moderation, and nothing of why.
    own = _client(reader).get(reverse("article", args=[world.article.slug])).content.decode()
    assert "LISTED SURVIVOR" in own
    assert "people.protected" not in own and "this newsroom protects" not in own


def test_the_readers_export_holds_no_list_and_no_reason(world):
    reader = world.users["reader"]
    comment_post(author=reader, article=world.article, body="About Listed Spelling again")
    data = json.loads(_client(reader).get(reverse("accounts:export")).content)
    dumped = json.dumps(data, ensure_ascii=False)
    assert "About Listed Spelling again" in dumped  # their own words are theirs
    assert "Newsroom-only note" not in dumped
    assert "people.protected" not in dumped and "Names Listed Survivor" not in dumped
