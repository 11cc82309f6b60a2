"""A reader's profile page: public by default with their name, when they joined,
their published comments and their editors' picks; private when they choose,
then shown to them alone; names in threads link to a public one only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import lifecycle
from comments.services import comment_feature, comment_post
from moderation.services import comment_remove

pytestmark = pytest.mark.django_db


def profile_url(user):
    return reverse("accounts:reader", args=[user.pk])


def test_a_profile_shows_name_joined_published_comments_and_picks(
    client, other_reader, editor, moderator, article
):
    kept = comment_post(author=other_reader, article=article, body="The minutes exist.")
    picked = comment_post(author=other_reader, article=article, body="Ask the members.")
    gone = comment_post(author=other_reader, article=article, body="Out of line")
    comment_remove(comment=gone, by=moderator, reason="off_topic", expected_version=gone.version)
    comment_feature(comment=picked, by=editor, featured=True)

    html = client.get(profile_url(other_reader)).content.decode()
    assert "M. Emad" in html
    assert f"Joined {other_reader.date_joined:%B %Y}" in html
    assert "2 published comments" in html and "1 editors’ pick" in html
    assert kept.body in html and picked.body in html
    assert "Out of line" not in html
    assert html.count('class="pick-mark"') == 2  # in the picks, and on the comment


def test_a_private_profile_is_404_for_others_and_shown_to_its_owner(client, reader, other_reader):
    lifecycle.profile_update(
        user=reader,
        display_name=reader.display_name,
        notify_replies=True,
        notify_moderation=True,
        profile_public=False,
    )
    assert client.get(profile_url(reader)).status_code == 404
    client.force_login(other_reader)
    assert client.get(profile_url(reader)).status_code == 404
    client.force_login(reader)
    response = client.get(profile_url(reader))
    assert response.status_code == 200
    assert "Your profile is private" in response.content.decode()


def test_the_settings_page_makes_the_profile_private(client, reader):
    client.force_login(reader)
    client.post(
        reverse("accounts:profile"),
        {"display_name": reader.display_name, "notify_replies": "on"},
    )
    reader.refresh_from_db()
    assert reader.profile_public is False


def test_names_in_threads_link_to_public_profiles_only(client, reader, other_reader, article):
    comment_post(author=reader, article=article, body="Public me")
    comment_post(author=other_reader, article=article, body="Private me")
    lifecycle.profile_update(
        user=other_reader,
        display_name=other_reader.display_name,
        notify_replies=True,
        notify_moderation=True,
        profile_public=False,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{profile_url(reader)}"' in html
    assert f'href="{profile_url(other_reader)}"' not in html


def test_a_deleted_account_has_no_profile(client, reader):
    reader.is_active = False
    reader.save(update_fields=["is_active"])
    assert client.get(profile_url(reader)).status_code == 404
