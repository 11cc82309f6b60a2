from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.lifecycle import ProfileError, profile_update

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_reader_sees_their_name_and_preferences(client, reader):
    client.force_login(reader)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'value="Sana Reader"' in html
    assert "Email me when someone replies to my comment" in html


def test_reader_turns_off_reply_emails_and_changes_name(client, reader):
    client.force_login(reader)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Sana R.", "notify_moderation": "on"},
        follow=True,
    )
    assert "Your settings are saved." in response.content.decode()
    reader.refresh_from_db()
    assert reader.display_name == "Sana R."
    assert reader.notify_replies is False
    assert reader.notify_moderation is True


def test_reader_keeps_their_own_name_in_another_case(client, reader):
    client.force_login(reader)
    client.post(reverse("accounts:profile"), {"display_name": "sana reader"})
    reader.refresh_from_db()
    assert reader.display_name == "sana reader"


def test_taken_name_is_refused_and_nothing_changes(client, reader, other_reader):
    client.force_login(reader)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "M. Emad", "notify_replies": "on"}
    )
    assert "That display name is taken" in response.content.decode()
    reader.refresh_from_db()
    assert reader.display_name == "Sana Reader"


def test_profile_service_checks_the_name_for_every_caller(reader, other_reader):
    with pytest.raises(ProfileError, match="taken"):
        profile_update(
            user=reader, display_name="m. emad", notify_replies=True, notify_moderation=True
        )
