"""A display name that names someone on the site-wide protected list is refused at
sign-up and on the profile page, in words that do not confirm who is on the list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.lifecycle import PROTECTED_NAME_REFUSAL, display_name_refusal, profile_update
from accounts.models import User
from accounts.services import ProfileError
from articles import people

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def court_order(editor):
    return people.person_list(
        article=None, by=editor, name="Zoya Haider", role="protected", variants=["زویا حیدر"]
    ).person


def signup(client, name: str):
    return client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "display_name": name,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


@pytest.mark.parametrize("name", ["Zoya Haider", "zoya  HAIDER", "#ZoyaHaider fan", "زویا حیدر"])
def test_sign_up_with_a_protected_name_is_refused_without_saying_why(client, court_order, name):
    response = signup(client, name)
    assert response.status_code == 200
    html = response.content.decode()
    assert "That display name cannot be used here" in html
    assert "protected list" not in html and "newsroom protects" not in html
    assert not User.objects.filter(email="new@example.org").exists()


def test_sign_up_with_another_name_goes_through(client, court_order):
    assert signup(client, "Zoya Farooq").status_code == 302


def test_the_profile_refuses_a_protected_name_and_keeps_the_old_one(client, reader, court_order):
    client.force_login(reader)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "Zoya Haider", "notify_replies": "on"}
    )
    assert PROTECTED_NAME_REFUSAL in response.content.decode()
    reader.refresh_from_db()
    assert reader.display_name == "Sana Reader"


def test_the_profile_service_checks_the_list_for_every_caller(reader, court_order):
    with pytest.raises(ProfileError, match="cannot be used here"):
        profile_update(
            user=reader, display_name="زویا حیدر", notify_replies=True, notify_moderation=True
        )


def test_a_name_protected_for_one_article_only_is_not_refused_as_a_display_name(editor, article):
    people.person_list(article=article, by=editor, name="Ayesha Khan", role="protected")
    assert display_name_refusal("Ayesha Khan") is None
