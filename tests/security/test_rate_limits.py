"""Rate limits per account and per IP on posting, replying, reporting and
recommending (core/ratelimit.py), and allauth's on sign-up, login, failed
logins and password reset, all counted in the shared cache. Running out answers
429 with a readable page. (Counts shared across processes:
tests/site/test_ratelimit.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.services import comment_post
from tests.factories import UserFactory, comment_form

pytestmark = pytest.mark.django_db

TIGHT = {
    "comment": {"user": "2/m", "ip": "5/m"},
    "recommend": {"user": "2/m", "ip": "5/m"},
    "report": {"user": "2/m", "ip": "5/m"},
}


def _signed_in(user, ip: str = "203.0.113.7") -> Client:
    client = Client(REMOTE_ADDR=ip)
    client.force_login(user)
    return client


def _assert_readable_429(response, *, ours: bool = True) -> None:
    assert response.status_code == 429
    if ours:  # allauth answers with the same page, without the header
        assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "Slow down" in html and "<html" in html
    # The page says what to do, in words.
    assert "try again" in html


@override_settings(RATE_LIMITS=TIGHT)
def test_posting_is_limited_per_account_with_a_readable_429(reader, article):
    client = _signed_in(reader)
    url = reverse("comments:post", args=[article.slug])
    statuses = [client.post(url, comment_form(f"Comment {i}")).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert Comment.objects.filter(author=reader).count() == 2
    _assert_readable_429(client.post(url, comment_form("Once more")))


@override_settings(RATE_LIMITS=TIGHT)
def test_replying_counts_against_the_same_limit(reader, other_reader, article):
    parent = comment_post(author=other_reader, article=article, body="Reply to me")
    client = _signed_in(reader)
    url = reverse("comments:post", args=[article.slug])
    statuses = [
        client.post(url, comment_form(f"Reply {i}", parent=parent.pk)).status_code for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert parent.replies.count() == 2


@override_settings(RATE_LIMITS=TIGHT)
def test_posting_is_limited_per_ip_across_accounts(article):
    readers = [UserFactory() for _ in range(3)]
    url = reverse("comments:post", args=[article.slug])
    statuses = []
    for i in range(6):
        client = _signed_in(readers[i % 3], ip="198.51.100.9")
        statuses.append(client.post(url, comment_form(f"From one address {i}")).status_code)
    # No account reached its own limit of 2; the address reached its 5.
    assert statuses == [302, 302, 302, 302, 302, 429]
    # Another address is not affected.
    other = _signed_in(UserFactory(), ip="198.51.100.10")
    assert other.post(url, comment_form("Elsewhere")).status_code == 302


@override_settings(RATE_LIMITS=TIGHT)
def test_reporting_is_limited_per_account(reader, other_reader, article):
    comments = [
        comment_post(author=other_reader, article=article, body=f"Report me {i}") for i in range(3)
    ]
    client = _signed_in(reader)
    statuses = [
        client.post(
            reverse("comments:report", args=[c.pk]), {"reason": "spam", "note": ""}
        ).status_code
        for c in comments
    ]
    assert statuses == [302, 302, 429]


@override_settings(RATE_LIMITS=TIGHT)
def test_recommending_is_limited_per_account(reader, other_reader, article):
    comment = comment_post(author=other_reader, article=article, body="Recommend me")
    client = _signed_in(reader)
    url = reverse("comments:recommend", args=[comment.pk])
    assert [client.post(url).status_code for _ in range(3)] == [302, 302, 429]
    _assert_readable_429(client.post(url, headers={"HX-Request": "true"}))


def test_the_configured_limits_cover_every_scope_the_issue_names():
    assert set(settings.RATE_LIMITS) >= {"comment", "recommend", "report"}
    for scope in settings.RATE_LIMITS.values():
        assert scope["user"] and scope["ip"]
    allauth = settings.ACCOUNT_RATE_LIMITS
    assert {"signup", "login", "login_failed", "reset_password"} <= set(allauth)
    assert "key" in allauth["login_failed"]  # per account, not only per address


def test_sign_up_is_limited_per_ip():
    client = Client(REMOTE_ADDR="192.0.2.50")
    url = reverse("account_signup")
    statuses = []
    for i in range(12):
        response = client.post(
            url,
            {
                "email": f"new{i}@example.com",
                "display_name": f"New Person {i}",
                "password1": "a long enough passphrase 42",
                "password2": "a long enough passphrase 42",
            },
        )
        statuses.append(response.status_code)
        client.logout()
    limit = int(settings.ACCOUNT_RATE_LIMITS["signup"].split("/")[0])
    assert statuses[:limit] == [302] * limit
    assert statuses[limit] == 429


def _login(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_repeated_failed_logins_lock_the_account_out_for_a_while(reader):
    # Each attempt from a different address: the lock is on the account.
    for i in range(5):
        response = _login(Client(REMOTE_ADDR=f"192.0.2.{i + 1}"), reader.email, "wrong")
        assert response.status_code == 200
        assert "not correct" in response.text or "incorrect" in response.text.lower()
    locked = _login(Client(REMOTE_ADDR="192.0.2.99"), reader.email, "correct horse battery")
    assert locked.status_code == 200
    assert "_auth_user_id" not in locked.wsgi_request.session
    assert "Too many failed login attempts" in locked.text
    # After the window the right password works again.
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        later = Client(REMOTE_ADDR="192.0.2.99")
        assert _login(later, reader.email, "correct horse battery").status_code == 302


def test_failed_logins_from_one_address_are_limited_across_accounts():
    emails = [UserFactory().email for _ in range(11)]
    client = Client(REMOTE_ADDR="192.0.2.77")
    texts = [_login(client, email, "wrong").text for email in emails]
    assert "Too many failed login attempts" not in texts[0]
    assert "Too many failed login attempts" in texts[-1]


def test_password_reset_requests_for_one_account_are_limited_with_our_429_page(reader):
    # Each request from another address: the limit is on the account ("5/m/key"),
    # so nobody can flood a reader's inbox.
    url = reverse("account_reset_password")
    statuses = [
        Client(REMOTE_ADDR=f"192.0.2.{60 + i}").post(url, {"email": reader.email}).status_code
        for i in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    again = Client(REMOTE_ADDR="192.0.2.99").post(url, {"email": reader.email})
    _assert_readable_429(again, ours=False)


def test_the_limits_live_in_the_shared_cache_not_process_memory():
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.CACHE_URL == "locmem":
        pytest.fail("CACHE_URL=locmem counts per process; tests run with the shared cache")
    assert backend.endswith(("DatabaseCache", "RedisCache"))
