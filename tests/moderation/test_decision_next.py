"""A decision returns to the queue page it was made on (`next`), and `next` is checked
before anything is written: anything but a page of the moderation desk (another site, a
script, a view name, a header split, a mangled value) answers 400 with a message and
changes nothing. Before, such a `next` saved the decision and then failed with a 500
(NoReverseMatch) on the redirect."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comments.models import CommentStatus
from comments.services import comment_post
from moderation.models import ModerationAction

pytestmark = pytest.mark.django_db

BAD_NEXT = [
    "approve",
    "moderation:queue",
    "!",
    "9999-12-31",
    "//evil.example/moderation/",
    "/\\evil.example/",
    "https://evil.example/moderation/",
    "javascript:alert(1)",
    "/moderation/\r\nSet-Cookie: x=1",
    "/moderation/ spaced",
    "/accounts/me/",
    "/no/such/page/",
    "\u202e/moderation/",
    "/moderation/" + "x" * 3000,
]
HTMX = {"HX-Request": "true"}


@pytest.fixture
def pending(reader, premod_article):
    return comment_post(author=reader, article=premod_article, body="Please publish me")


def _decide(client, comment, next_value, **headers):
    return client.post(
        reverse("moderation:approve", args=[comment.pk]),
        {"version": comment.version, "next": next_value},
        headers=headers,
    )


def _nothing_changed(comment) -> bool:
    status = comment.status
    comment.refresh_from_db()
    return (
        comment.status == status
        and not ModerationAction.objects.filter(
            comment=comment, action="moderation.comment.approved"
        ).exists()
    )


@pytest.mark.parametrize("next_value", BAD_NEXT)
def test_a_decision_with_a_bad_next_is_refused_before_anything_is_saved(
    client, moderator, pending, next_value
):
    client.force_login(moderator)
    response = _decide(client, pending, next_value)
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    assert _nothing_changed(pending)


def test_a_bad_next_is_refused_for_htmx_decisions_too(client, moderator, pending):
    client.force_login(moderator)
    response = _decide(client, pending, "approve", **HTMX)
    assert response.status_code == 400
    assert _nothing_changed(pending)


@pytest.mark.parametrize("next_value", ["approve", "//evil.example", "javascript:alert(1)"])
def test_a_bulk_decision_with_a_bad_next_is_refused_before_anything_is_saved(
    client, moderator, pending, next_value
):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:bulk"),
        {"action": "approve", "items": [f"{pending.pk}:{pending.version}"], "next": next_value},
    )
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    assert _nothing_changed(pending)


def test_a_decision_returns_to_the_queue_page_it_was_made_on(client, moderator, pending):
    client.force_login(moderator)
    # As the queue writes it: request.get_full_path(), non-ASCII percent-encoded.
    back = "/moderation/?tab=pending&q=%D8%A8%D8%A7%D8%AA&order=newest"
    response = _decide(client, pending, back)
    assert response.status_code == 302
    assert response["Location"] == back
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PUBLISHED


def test_a_decision_from_the_user_page_returns_there(client, moderator, pending):
    client.force_login(moderator)
    back = reverse("moderation:user", args=[pending.author_id])
    assert _decide(client, pending, back)["Location"] == back


def test_a_decision_without_next_returns_to_the_queue(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:approve", args=[pending.pk]), {"version": pending.version}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:queue")


def test_a_bulk_decision_returns_to_its_queue_page(client, moderator, pending):
    client.force_login(moderator)
    back = "/moderation/?tab=pending"
    response = client.post(
        reverse("moderation:bulk"),
        {"action": "approve", "items": [f"{pending.pk}:{pending.version}"], "next": back},
    )
    assert response["Location"] == back
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PUBLISHED


def test_the_queue_page_sends_its_own_address_as_next(client, moderator, pending):
    # The value the check accepts is the one the queue puts in every form.
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue"), {"tab": "pending"}).content.decode()
    assert 'name="next" value="/moderation/?tab=pending"' in html
