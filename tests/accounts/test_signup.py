from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"


def signup(client, **fields):
    data = {"email": "zara@example.com", "display_name": "Zara K.", "password1": PASSWORD}
    data["password2"] = data["password1"]
    data.update(fields)
    return client.post("/accounts/signup/", data)


def test_signup_form_asks_for_a_display_name(client):
    html = client.get("/accounts/signup/").content.decode()
    assert 'name="display_name"' in html


def test_reader_signs_up_with_a_display_name_and_gets_a_confirmation_email(client):
    response = signup(client)

    assert response.status_code == 302
    user = User.objects.get(email="zara@example.com")
    assert user.display_name == "Zara K."
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_following_the_confirmation_link_verifies_the_address(client):
    signup(client)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body)
    client.post(link.group(1))
    assert EmailAddress.objects.get(email="zara@example.com").verified


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Z", "at least 2 characters"),
        ("x" * 41, "at most 40 characters"),
        ("   ", "This field is required"),
        ("1234", "at least one letter"),
        ("Site Moderator", "mistaken for the newsroom"),
        ("ADMIN", "mistaken for the newsroom"),
        ("the_editor", "mistaken for the newsroom"),
        ("MeToo Team", "mistaken for the newsroom"),
        ("Ｍｏｄｅｒａｔｏｒ", "mistaken for the newsroom"),
    ],
)
def test_unsuitable_display_names_are_refused_with_a_reason(client, name, message):
    response = signup(client, display_name=name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="zara@example.com").exists()


def test_display_name_must_be_unique_ignoring_case(client, other_reader):
    response = signup(client, display_name="m. EMAD")

    assert "That display name is taken" in response.content.decode()
    assert not User.objects.filter(email="zara@example.com").exists()


def test_display_name_may_not_imitate_a_staff_members_name(client, moderator):
    moderator.display_name = "Farah Q"
    moderator.save()

    response = signup(client, display_name="farah-q")

    assert "mistaken for the newsroom" in response.content.decode()


def test_a_readers_name_that_differs_only_in_punctuation_is_allowed(client):
    UserFactory(display_name="Farah Q")  # not staff

    response = signup(client, display_name="Farah Q.")

    assert response.status_code == 302
    assert User.objects.filter(display_name="Farah Q.").exists()


def test_display_name_is_normalised_before_storing(client):
    signup(client, display_name="  Zara\u200b   Khan  ")
    assert User.objects.get(email="zara@example.com").display_name == "Zara Khan"
