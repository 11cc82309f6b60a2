"""The in-place action forms (reply, edit, delete, report) name the comment's author and
may quote its text, so they open only on a comment the reader may read
(comments.access.may_read, the one rule): anything else is 404, with or without htmx,
and the no-JavaScript `?open=` path of the article page shows no form for it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comments.services import comment_post
from moderation import services as moderation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KINDS = ("reply", "edit", "delete", "report")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def held(other_reader, premod_article):
    comment = comment_post(author=other_reader, article=premod_article, body="Held words")
    assert comment.status == "pending"
    return comment


@pytest.fixture
def removed(other_reader, article, moderator):
    """Removed with a reply, so the thread shows it as a placeholder."""
    comment = comment_post(author=other_reader, article=article, body="Removed words")
    comment_post(
        author=UserFactory(display_name="Replying Reader"),
        article=article,
        body="A reply that stays",
        parent=comment,
    )
    comment.refresh_from_db()
    return moderation.comment_remove(
        comment=comment,
        by=moderator,
        reason="spam",
        expected_version=comment.version,
        note="",
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_held_comments_form_is_404_to_another_reader(client, reader, held, kind, htmx):
    client.force_login(reader)
    response = client.get(
        reverse("comments:action", args=[held.pk, kind]), headers=HTMX if htmx else {}
    )
    assert response.status_code == 404
    assert "M. Emad" not in response.content.decode()


@pytest.mark.parametrize("kind", KINDS)
def test_a_held_comments_form_is_404_to_anonymous_visitors_and_moderators_alike(
    client, moderator, held, kind
):
    url = reverse("comments:action", args=[held.pk, kind])
    assert client.get(url, headers=HTMX).status_code == 404
    # Moderators read held comments in the queue, not through a reader's form.
    client.force_login(moderator)
    assert client.get(url, headers=HTMX).status_code == 404


def test_a_removed_comments_form_is_404_even_to_its_author(client, other_reader, removed):
    client.force_login(other_reader)
    response = client.get(reverse("comments:action", args=[removed.pk, "edit"]), headers=HTMX)
    assert response.status_code == 404
    assert "Removed words" not in response.content.decode()


def test_the_author_of_a_held_comment_still_opens_its_forms(client, other_reader, held):
    client.force_login(other_reader)
    response = client.get(reverse("comments:action", args=[held.pk, "edit"]), headers=HTMX)
    assert response.status_code == 200
    assert "Held words" in response.content.decode()


def test_a_published_comments_reply_form_opens_for_any_reader(client, reader, article):
    published = comment_post(
        author=UserFactory(display_name="Zara Writer"), article=article, body="Out there"
    )
    client.force_login(reader)
    response = client.get(reverse("comments:action", args=[published.pk, "reply"]), headers=HTMX)
    assert response.status_code == 200
    assert "Reply to <strong>Zara Writer</strong>" in response.content.decode()
    plain = client.get(reverse("comments:action", args=[published.pk, "reply"]))
    assert plain.status_code == 302


@pytest.mark.parametrize("kind", KINDS)
def test_the_article_page_opens_no_form_on_a_placeholder(client, reader, removed, kind):
    client.force_login(reader)
    url = reverse("article", args=[removed.article.slug])
    response = client.get(url, {"open": kind, "on": removed.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This comment was removed by a moderator." in html
    assert 'class="action-form"' not in html
    assert "M. Emad" not in html and "Removed words" not in html
