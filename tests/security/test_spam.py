"""Spam without a captcha: a honeypot field, a signed time stamp (too fast or too
old is refused with a message), and disposable email domains refused at sign-up
(a shipped list admins extend in Django admin)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.sites import site as admin_site
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.domains import shipped_domains
from accounts.models import BlockedEmailDomain, User
from comments.forms import (
    REFUSED_MESSAGE,
    TOO_FAST_MESSAGE,
    TOO_OLD_MESSAGE,
    form_stamp,
)
from comments.models import Comment
from tests.factories import comment_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def human_speed(settings):
    settings.COMMENT_FORM_MIN_SECONDS = 2
    settings.COMMENT_FORM_MAX_AGE_HOURS = 24


def _post(client, article, data):
    return client.post(reverse("comments:post", args=[article.slug]), data, follow=True)


def test_a_filled_honeypot_is_refused_and_nothing_is_stored(client, reader, article):
    client.force_login(reader)
    response = _post(client, article, comment_form("Buy cheap pills", website="http://spam.test"))
    assert REFUSED_MESSAGE in response.text
    assert Comment.objects.count() == 0


def test_a_post_without_the_stamp_is_refused(client, reader, article):
    client.force_login(reader)
    response = _post(client, article, {"body": "Scripted post"})
    assert REFUSED_MESSAGE in response.text
    assert Comment.objects.count() == 0


def test_a_forged_stamp_is_refused(client, reader, article):
    client.force_login(reader)
    forged = form_stamp()[:-3] + "abc"
    response = _post(client, article, comment_form("Forged", ts=forged))
    assert REFUSED_MESSAGE in response.text
    assert Comment.objects.count() == 0


def test_a_form_sent_quicker_than_a_person_can_write_is_refused(
    client, reader, article, human_speed
):
    client.force_login(reader)
    response = _post(client, article, comment_form("Too quick"))
    assert TOO_FAST_MESSAGE in response.text
    assert Comment.objects.count() == 0


def test_a_form_sent_after_a_few_seconds_is_accepted(client, reader, article, human_speed):
    client.force_login(reader)
    data = comment_form("Took my time")
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        response = _post(client, article, data)
    assert "Your comment is published." in response.text
    assert Comment.objects.get().body == "Took my time"


def test_a_form_older_than_a_day_is_refused(client, reader, article, human_speed):
    client.force_login(reader)
    data = comment_form("Left the tab open")
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        client.force_login(reader)
        response = _post(client, article, data)
    assert TOO_OLD_MESSAGE in response.text
    assert Comment.objects.count() == 0


def test_the_article_page_form_carries_a_hidden_honeypot_and_a_stamp(client, reader, article):
    client.force_login(reader)
    html = client.get(reverse("article", args=[article.slug])).text
    assert 'name="website"' in html and 'aria-hidden="true"' in html
    assert 'name="ts"' in html


def test_the_reply_form_carries_them_too(client, reader, other_reader, article):
    from comments.services import comment_post

    parent = comment_post(author=other_reader, article=article, body="Answer me")
    client.force_login(reader)
    html = client.get(
        reverse("comments:action", args=[parent.pk, "reply"]), headers={"HX-Request": "true"}
    ).text
    assert 'name="website"' in html and 'name="ts"' in html


# ---------------------------------------------------------------- disposable email


def _sign_up(email: str, name: str = "Fresh Reader"):
    return Client().post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": name,
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )


@pytest.mark.parametrize(
    "email", ["someone@mailinator.com", "x@YOPMAIL.COM", "y@inbox.guerrillamail.com"]
)
def test_sign_up_with_a_disposable_address_is_refused(email):
    response = _sign_up(email)
    assert response.status_code == 200
    assert "disposable email services" in response.text
    assert not User.objects.filter(email=email.lower()).exists()


def test_a_domain_an_admin_added_is_refused_too():
    BlockedEmailDomain.objects.create(domain="throwaway.example")
    response = _sign_up("me@throwaway.example")
    assert "disposable email services" in response.text
    assert _sign_up("me@real.example", "Real Person").status_code == 302


def test_admins_add_blocked_domains_in_django_admin(admin_user):
    assert BlockedEmailDomain in admin_site._registry
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_blockedemaildomain_add"),
        {"domain": "@Spammy.Example.", "note": "seen in a flood"},
    )
    assert response.status_code == 302
    assert BlockedEmailDomain.objects.get().domain == "spammy.example"


def test_the_shipped_list_is_a_real_list():
    domains = shipped_domains()
    assert len(domains) >= 50
    assert "mailinator.com" in domains
    assert all(d == d.lower() and "." in d and " " not in d for d in domains)


def test_a_reader_cannot_add_a_disposable_address_after_signing_up(client, reader):
    client.force_login(reader)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "alt@mailinator.com"}
    )
    assert "disposable email services" in response.text
