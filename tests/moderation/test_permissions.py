"""Every moderation URL, for every role: anonymous visitors are sent to sign in,
readers and editors are refused (and nothing changes), moderators get through."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comments.models import CommentStatus
from comments.services import comment_post
from moderation import services
from moderation.models import ModerationAction, Sanction, WordListEntry

pytestmark = pytest.mark.django_db

PAGES = ["queue", "audit", "audit_csv", "dashboard", "words", "user", "comment_history"]
ACTIONS = [
    "approve",
    "reject",
    "remove",
    "restore",
    "dismiss",
    "bulk",
    "user_sanction",
    "user_note",
    "sanction_lift",
    "word_add",
    "word_remove",
]


@pytest.fixture
def world(reader, other_reader, moderator, premod_article):
    held = comment_post(author=reader, article=premod_article, body="Waiting here")
    ban = services.sanction_apply(user=other_reader, by=moderator, kind="ban", reason="x")
    entry = services.wordlist_add(term="liar", kind="hold", by=moderator)
    return {"comment": held, "user": reader, "sanction": ban, "entry": entry}


def url_for(name: str, world) -> str:
    match name:
        case "approve" | "reject" | "remove" | "restore" | "dismiss" | "comment_history":
            return reverse(f"moderation:{name}", args=[world["comment"].pk])
        case "user" | "user_sanction" | "user_note":
            return reverse(f"moderation:{name}", args=[world["user"].pk])
        case "sanction_lift":
            return reverse("moderation:sanction_lift", args=[world["sanction"].pk])
        case "word_remove":
            return reverse("moderation:word_remove", args=[world["entry"].pk])
        case _:
            return reverse(f"moderation:{name}")


def payload(name: str, world) -> dict:
    c = world["comment"]
    return {
        "version": c.version,
        "reason": "spam",
        "action": "approve",
        "items": [f"{c.pk}:{c.version}"],
        "kind": "hold" if name == "word_add" else "ban",
        "note": "n",
        "term": "newterm",
    }


def snapshot(world) -> tuple:
    world["comment"].refresh_from_db()
    return (
        world["comment"].status,
        ModerationAction.objects.count(),
        Sanction.objects.filter(lifted_at__isnull=True).count(),
        WordListEntry.objects.count(),
    )


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in_from_every_page(client, world, name):
    response = client.get(url_for(name, world))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", ACTIONS)
def test_anonymous_post_to_every_action_changes_nothing(client, world, name):
    before = snapshot(world)
    response = client.post(url_for(name, world), payload(name, world))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert snapshot(world) == before


@pytest.mark.parametrize("persona", ["reader", "editor"])
@pytest.mark.parametrize("name", PAGES)
def test_readers_and_editors_are_refused_every_page(client, request, world, persona, name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url_for(name, world)).status_code == 403


@pytest.mark.parametrize("persona", ["reader", "editor"])
@pytest.mark.parametrize("name", ACTIONS)
def test_readers_and_editors_are_refused_every_action(client, request, world, persona, name):
    client.force_login(request.getfixturevalue(persona))
    before = snapshot(world)
    assert client.post(url_for(name, world), payload(name, world)).status_code == 403
    assert snapshot(world) == before


@pytest.mark.parametrize("name", PAGES)
def test_moderator_opens_every_page(client, moderator, world, name):
    client.force_login(moderator)
    assert client.get(url_for(name, world)).status_code == 200


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_refuse_get(client, moderator, world, name):
    client.force_login(moderator)
    assert client.get(url_for(name, world)).status_code == 405


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        ("approve", lambda w: w["comment"].status == CommentStatus.PUBLISHED),
        ("reject", lambda w: w["comment"].status == CommentStatus.REJECTED),
        ("bulk", lambda w: w["comment"].status == CommentStatus.PUBLISHED),
        ("user_sanction", lambda w: w["user"].sanctions.filter(kind="ban").exists()),
        (
            "user_note",
            lambda w: ModerationAction.objects.filter(action="moderation.user.noted").exists(),
        ),
        (
            "sanction_lift",
            lambda w: Sanction.objects.get(pk=w["sanction"].pk).lifted_at is not None,
        ),
        ("word_add", lambda w: WordListEntry.objects.filter(term="newterm").exists()),
        ("word_remove", lambda w: not WordListEntry.objects.filter(term="liar").exists()),
    ],
)
def test_moderator_action_goes_through(client, moderator, world, name, changed):
    client.force_login(moderator)
    response = client.post(url_for(name, world), payload(name, world))
    assert response.status_code == 302
    world["comment"].refresh_from_db()
    assert changed(world)


def test_admin_can_do_everything_a_moderator_can(client, admin_user, world):
    client.force_login(admin_user)
    assert client.get(reverse("moderation:queue")).status_code == 200
