"""What moderators hid stays hidden: pending, rejected and removed comments,
drafts, other readers' data, moderator notes and the audit log are shown only to
the people entitled to them, on every page that could leak them."""

from __future__ import annotations

import json
from itertools import product

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.urlmap import url_names

pytestmark = pytest.mark.django_db

NON_MODERATORS = ("anonymous", "reader", "sanctioned", "editor")
HIDDEN_BODIES = ("Pending words", "Rejected words", "Removed words")
MODERATOR_ONLY = (
    "Private moderator note about this author",
    "Reporter&#x27;s private note",
    "Reporter's private note",
)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _public_pages(world) -> list[str]:
    article = world.article
    pages = [
        reverse("article", args=[article.slug]),
        reverse("article", args=[article.slug]) + "?sort=newest",
        reverse("article", args=[article.slug]) + "?sort=recommended",
        reverse("articles:home"),
        reverse("articles:section", args=[world.section.slug]),
        reverse("articles:search") + "?q=words",
        reverse("articles:rss"),
        reverse("articles:atom"),
        reverse("articles:section_rss", args=[world.section.slug]),
        reverse("sitemap"),
    ]
    if "article_all" in url_names():
        # The whole-thread page, where the site has one.
        pages.append(reverse("article_all", args=[article.slug]))
    return pages


def test_hidden_comment_bodies_appear_on_no_page_a_non_moderator_can_open(world):
    for persona in NON_MODERATORS:
        client = _client(world.users[persona])
        for url in _public_pages(world):
            html = client.get(url).content.decode()
            for body in HIDDEN_BODIES:
                assert body not in html, f"{body!r} leaked on {url} to {persona}"
        assert "Published words" in client.get(reverse("article", args=["open-article"])).text


def test_a_permalink_to_a_hidden_comment_does_not_show_it_to_another_reader(world):
    for comment, persona in product((world.pending, world.rejected, world.removed), NON_MODERATORS):
        response = _client(world.users[persona]).get(
            reverse("comments:permalink", args=[comment.pk]), follow=True
        )
        assert response.status_code == 200
        assert comment.body not in response.text


def test_the_in_place_forms_of_a_hidden_comment_do_not_show_its_text(world):
    client = _client(world.users["reader"])
    for comment, kind in product(
        (world.pending, world.rejected, world.removed), ("reply", "edit", "delete", "report")
    ):
        response = client.get(
            reverse("comments:action", args=[comment.pk, kind]), headers={"HX-Request": "true"}
        )
        assert comment.body not in response.text


def test_the_author_sees_their_own_held_comment_and_nobody_else_does(world):
    url = reverse("article", args=[world.article.slug])
    assert "Pending words" in _client(world.author).get(url).text
    assert "Pending words" not in _client(world.users["reader"]).get(url).text


def test_my_comments_lists_only_the_signed_in_readers_own_comments(world):
    html = _client(world.users["reader"]).get(reverse("accounts:my_comments")).text
    for body in ("Published words", *HIDDEN_BODIES):
        assert body not in html
    # The author does see all of theirs, with the status.
    own = _client(world.author).get(reverse("accounts:my_comments")).text
    assert all(body in own for body in HIDDEN_BODIES)


def test_my_comments_ignores_a_user_id_smuggled_in_the_query(world):
    url = reverse("accounts:my_comments") + f"?user={world.author.pk}&author={world.author.pk}"
    html = _client(world.users["reader"]).get(url).text
    assert "Pending words" not in html and "Published words" not in html


def test_the_data_export_holds_only_the_signed_in_readers_data(world):
    url = reverse("accounts:export") + f"?user={world.author.pk}"
    data = json.loads(_client(world.users["reader"]).get(url).content)
    assert data["profile"]["email"] == world.users["reader"].email
    assert data["comments"] == []
    dumped = json.dumps(data)
    assert world.author.email not in dumped
    assert all(body not in dumped for body in ("Published words", *HIDDEN_BODIES))


def test_the_data_export_holds_no_moderator_internals(world):
    data = json.loads(_client(world.author).get(reverse("accounts:export")).content)
    dumped = json.dumps(data)
    assert "Private moderator note about this author" not in dumped
    assert "Reporter's private note" not in dumped
    assert "hold_reasons" not in dumped and "ip_hash" not in dumped


def test_a_draft_is_hidden_from_everyone_but_editors(world):
    for persona in ("anonymous", "reader", "sanctioned", "moderator"):
        client = _client(world.users[persona])
        assert client.get(reverse("article", args=[world.draft.slug])).status_code == 404
        for url in [*_public_pages(world), reverse("articles:search") + "?q=Secret+draft"]:
            assert "Secret draft headline" not in client.get(url).text, (url, persona)


def test_an_editor_previews_the_draft_on_its_page(world):
    response = _client(world.users["editor"]).get(reverse("article", args=[world.draft.slug]))
    assert response.status_code == 200
    assert "Secret draft headline" in response.text


def test_commenting_on_a_draft_by_guessing_its_slug_is_404(world):
    from tests.factories import comment_form

    client = _client(world.users["reader"])
    response = client.post(reverse("comments:post", args=[world.draft.slug]), comment_form("Hi"))
    assert response.status_code == 404


def test_moderator_notes_and_the_audit_log_are_for_moderators_only(world):
    for persona in NON_MODERATORS:
        _no_moderator_secrets_for(world, persona)


def _no_moderator_secrets_for(world, persona: str) -> None:
    client = _client(world.users[persona])
    pages = [
        reverse("moderation:audit"),
        reverse("moderation:audit_csv"),
        reverse("moderation:user", args=[world.author.pk]),
        reverse("moderation:queue") + "?tab=reported",
        reverse("article", args=[world.article.slug]),
        reverse("accounts:my_comments"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in {200, 302, 403}
        for secret in MODERATOR_ONLY:
            assert secret not in response.content.decode(), f"{secret!r} on {url} ({persona})"


def test_moderators_do_see_the_notes_and_the_audit_log(world):
    client = _client(world.users["moderator"])
    user_page = client.get(reverse("moderation:user", args=[world.author.pk])).text
    assert "Private moderator note about this author" in user_page
    audit = client.get(reverse("moderation:audit")).text
    assert "moderation.comment.removed" in audit or "Removed" in audit


def test_a_comments_author_sees_the_decision_note_meant_for_them_but_not_report_notes(world):
    html = _client(world.author).get(reverse("accounts:my_comments")).text
    assert "Moderator-only removal note" in html  # the note_to_author of a removal
    assert "Reporter" not in html
