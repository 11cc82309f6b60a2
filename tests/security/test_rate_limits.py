"""Rate limits per account and per IP on posting, replying, reporting and
recommending (core/ratelimit.py), sign-up limits that a mobile carrier's shared
address does not run into (per address per minute, a higher hourly allowance, per
email domain), and allauth's on login, failed logins and password reset. Running
out answers 429 with a page that says how long to wait. (Exact counts when requests
arrive at once, and counts shared across processes: tests/site/test_ratelimit.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from comments.models import Comment
from comments.services import comment_post
from core.ratelimit import parse_rates, wait_words
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


def _assert_readable_429(response, *, wait: int) -> None:
    """A 429 page, in words, with the real wait in the header and on the page."""
    assert response.status_code == 429
    assert response["Retry-After"] == str(wait)
    html = response.content.decode()
    assert "Slow down" in html and "<html" in html
    assert f"Please try again in {wait_words(wait)}." in html


def _second(n: int):
    """`n` seconds into the next minute: a fixed point on the clock, so a test knows
    what is left of the minute's window."""
    return timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1, seconds=n)


@override_settings(RATE_LIMITS=TIGHT)
def test_posting_is_limited_per_account_with_a_readable_429(reader, article):
    client = _signed_in(reader)
    url = reverse("comments:post", args=[article.slug])
    with time_machine.travel(_second(16), tick=False):
        statuses = [client.post(url, comment_form(f"Comment {i}")).status_code for i in range(3)]
        assert statuses == [302, 302, 429]
        assert Comment.objects.filter(author=reader).count() == 2
        # 44 seconds are left of the minute the limit counts in; the page says so.
        _assert_readable_429(client.post(url, comment_form("Once more")), wait=44)


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
    with time_machine.travel(_second(50), tick=False):
        assert [client.post(url).status_code for _ in range(3)] == [302, 302, 429]
        _assert_readable_429(client.post(url, headers={"HX-Request": "true"}), wait=10)


def test_the_configured_limits_cover_every_scope_the_issue_names():
    assert set(settings.RATE_LIMITS) >= {"comment", "recommend", "report"}
    for scope in settings.RATE_LIMITS.values():
        assert scope["user"] and scope["ip"]
    allauth = settings.ACCOUNT_RATE_LIMITS
    assert {"signup", "login", "login_failed", "reset_password"} <= set(allauth)
    assert "key" in allauth["login_failed"]  # per account, not only per address
    # Sign-up is counted by core.ratelimit, not allauth: a per-minute limit under a
    # script's 30 a minute, an hourly allowance over a busy story's 200 an hour.
    assert allauth["signup"] == ""
    per_minute, per_hour = parse_rates(settings.SIGNUP_RATE_LIMITS["ip"])
    assert per_minute.period == 60 and per_minute.limit < 30
    assert per_hour.period == 3600 and per_hour.limit >= 200
    assert parse_rates(settings.SIGNUP_RATE_LIMITS["domain"])


# ---------------------------------------------------------------- sign-up

PASSWORD = "a long enough passphrase 42"
CARRIER = "39.32.0.17"  # one mobile carrier's shared (CGNAT) address


def _sign_up(client: Client, n: int, email: str = ""):
    return client.post(
        reverse("account_signup"),
        {
            "email": email or f"reader{n}@gmail.com",
            "display_name": f"New Person {n}",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_two_hundred_readers_behind_one_carrier_address_all_sign_up_within_an_hour():
    # A busy story: 200 readers on one carrier's shared address join in an hour, one
    # every 18 seconds. "10 an hour per address" let the first 10 in.
    statuses = []
    with time_machine.travel(_second(0), tick=False) as clock:
        for n in range(200):
            statuses.append(_sign_up(Client(REMOTE_ADDR=CARRIER), n).status_code)
            clock.shift(18)
    assert statuses == [302] * 200
    assert User.objects.filter(email__endswith="@gmail.com").count() == 200


def test_a_script_signing_up_thirty_times_a_minute_from_one_address_is_stopped():
    statuses = []
    with time_machine.travel(_second(0), tick=False) as clock:
        for n in range(30):
            response = _sign_up(Client(REMOTE_ADDR="198.51.100.66"), n)
            statuses.append(response.status_code)
            clock.shift(1.5)
    assert statuses == [302] * 10 + [429] * 20
    assert User.objects.count() == 10
    # The last try came 43.5 s into the minute: 16.5 s left, said as 17.
    _assert_readable_429(response, wait=17)


def test_a_burst_of_sign_ups_from_one_unusual_email_domain_is_stopped():
    # Six addresses at one small domain within a minute, each from its own address:
    # no per-address limit sees it, the per-domain limit does.
    with time_machine.travel(_second(16), tick=False):
        statuses = [
            _sign_up(Client(REMOTE_ADDR=f"203.0.113.{n}"), n, f"user{n}@burst-domain.example")
            for n in range(6)
        ]
        assert [r.status_code for r in statuses[:5]] == [302] * 5
        refused = statuses[5]
        assert refused.status_code == 200
        assert (
            "Many accounts have just been made with addresses at burst-domain.example"
            in refused.text
        )
        assert "Please try again in 44 seconds, or use another address." in refused.text
        assert not User.objects.filter(email="user5@burst-domain.example").exists()
        # The same reader with another address gets in.
        again = _sign_up(Client(REMOTE_ADDR="203.0.113.5"), 5, "user5@gmail.com")
        assert again.status_code == 302


def test_the_large_free_providers_are_not_limited_per_domain():
    with time_machine.travel(_second(16), tick=False):
        statuses = [
            _sign_up(Client(REMOTE_ADDR=f"203.0.113.{n}"), n, f"fan{n}@gmail.com").status_code
            for n in range(12)
        ]
    assert statuses == [302] * 12


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_each_reader_is_counted_by_their_own_address():
    # Every request reaches the app from the proxy (REMOTE_ADDR); the reader's address
    # is the last hop of X-Forwarded-For. allauth looked at REMOTE_ADDR, so all
    # readers shared one count: the 11th failed login anywhere locked out everyone.
    def via_proxy(client_address: str) -> Client:
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address)

    emails = [UserFactory().email for _ in range(12)]
    with time_machine.travel(_second(0), tick=False):
        texts = [
            _login(via_proxy(f"192.0.2.{n + 1}"), email, "wrong").text
            for n, email in enumerate(emails)
        ]
        assert not any("Too many failed login attempts" in text for text in texts)
        # One reader behind the proxy failing again and again is still stopped.
        own = [_login(via_proxy("192.0.2.200"), e, "wrong").text for e in emails[:11]]
        assert "Too many failed login attempts" in own[-1]
        signups = [_sign_up(via_proxy(f"198.51.100.{n}"), n).status_code for n in range(12)]
        assert signups == [302] * 12


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
    statuses = []
    with time_machine.travel(_second(0), tick=False) as clock:
        for i in range(6):
            client = Client(REMOTE_ADDR=f"192.0.2.{60 + i}")
            statuses.append(client.post(url, {"email": reader.email}).status_code)
            clock.shift(5)
        assert statuses == [302] * 5 + [429]
        # allauth's window slides: the first request (30 s ago) ages out in 30 s.
        again = Client(REMOTE_ADDR="192.0.2.99").post(url, {"email": f" {reader.email.upper()}"})
        _assert_readable_429(again, wait=30)


def test_logins_from_one_address_are_limited_with_the_wait_on_the_page():
    client = Client(REMOTE_ADDR="192.0.2.150")
    with time_machine.travel(_second(0), tick=False) as clock:
        statuses = []
        for _ in range(30):  # allauth's "30/m/ip"
            statuses.append(_login(client, "nobody@example.com", "wrong").status_code)
            clock.shift(1)
        assert 429 not in statuses
        # 30 logins in the last 30 s: the first ages out in 30 s.
        _assert_readable_429(_login(client, "nobody@example.com", "wrong"), wait=30)


def test_the_limits_live_in_the_shared_cache_not_process_memory():
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.CACHE_URL == "locmem":
        pytest.fail("CACHE_URL=locmem counts per process; tests run with the shared cache")
    assert backend.endswith(("DatabaseCache", "RedisCache"))
