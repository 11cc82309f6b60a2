from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.unsubscribe import read_token, unsubscribe_token

pytestmark = pytest.mark.django_db


def url_for(user, kind="replies"):
    return reverse("accounts:unsubscribe", args=[unsubscribe_token(user_id=user.pk, kind=kind)])


def test_unsubscribe_link_shows_a_confirm_button_and_changes_nothing_on_get(client, reader):
    response = client.get(url_for(reader))
    assert response.status_code == 200
    assert ">Unsubscribe</button>" in response.content.decode()
    reader.refresh_from_db()
    assert reader.notify_replies is True


def test_one_click_post_unsubscribes_without_signing_in(client, reader):
    response = client.post(url_for(reader), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You will no longer get emails about replies" in response.content.decode()
    reader.refresh_from_db()
    assert reader.notify_replies is False
    assert reader.notify_moderation is True


def test_one_click_post_works_without_a_csrf_token(reader):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url_for(reader, "moderation")).status_code == 200
    reader.refresh_from_db()
    assert reader.notify_moderation is False


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ:forged:sig", "a" * 300])
def test_forged_token_is_refused_and_changes_nothing(client, reader, token):
    response = client.post(reverse("accounts:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    reader.refresh_from_db()
    assert reader.notify_replies is True


def test_token_names_the_reader_and_the_kind():
    assert read_token(unsubscribe_token(user_id=7, kind="replies")) == (7, "replies")
    with pytest.raises(ValueError):
        unsubscribe_token(user_id=7, kind="everything")
