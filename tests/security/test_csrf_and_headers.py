"""CSRF on every POST; in production the cookies are Secure, HttpOnly where a
script never needs them, SameSite=Lax; HSTS; a Content Security Policy without
'unsafe-inline'. (`check --deploy` clean: tests/site/test_settings.py.)"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.security.conftest import unsubscribe_for
from tests.security.production import production_env, run_probe
from tests.security.urlmap import concrete_url, url_names

pytestmark = pytest.mark.django_db

# Mail clients send RFC 8058 one-click unsubscribe POSTs without our cookie; the
# signed token authorises it and it can only turn email off.
# A visitor's comment is kept before they sign in (comments.views.comment_draft):
# the page every visitor shares has no token, and a forged one only fills a box.
# The language switch sits on that shared page too: a forged one changes a language.
CSRF_EXEMPT = {"accounts:unsubscribe", "comments:draft", "accounts:set_language"}


def test_every_post_without_a_csrf_token_is_refused_for_every_persona(world):
    token = unsubscribe_for(world.users["reader"])
    refused = []
    for persona in ("anonymous", "reader", "moderator", "admin"):
        client = Client(enforce_csrf_checks=True)
        if world.users[persona] is not None:
            client.force_login(world.users[persona])
        for name in url_names():
            if name in CSRF_EXEMPT:
                continue
            status = client.post(concrete_url(name, world, token), {"body": "x"}).status_code
            if status != 403:
                refused.append(f"{name} as {persona}: {status}")
    assert refused == [], "POST without a CSRF token was not refused"


def test_a_forged_csrf_token_is_refused_too(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["reader"])
    client.cookies["csrftoken"] = "a" * 32
    response = client.post(
        reverse("comments:post", args=[world.article.slug]),
        {"body": "Forged", "csrfmiddlewaretoken": "b" * 32},
    )
    assert response.status_code == 403


def test_the_same_post_with_the_pages_token_goes_through(world):
    # The positive control: the refusals above are about the token, not the URL.
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["reader"])
    client.get(reverse("article", args=[world.article.slug]))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("comments:recommend", args=[world.published.pk]),
        {"csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_the_unsubscribe_exemption_only_turns_email_off(world):
    reader = world.users["reader"]
    client = Client(enforce_csrf_checks=True)
    client.post(reverse("accounts:unsubscribe", args=[unsubscribe_for(reader)]))
    reader.refresh_from_db()
    assert reader.notify_replies is False


def test_the_language_exemption_only_changes_the_language_and_stays_on_the_site(world):
    reader = world.users["reader"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    before = {f.attname: getattr(reader, f.attname) for f in reader._meta.concrete_fields}
    response = client.post(
        reverse("accounts:set_language"), {"language": "ur", "next": "https://evil.example/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/")
    reader.refresh_from_db()
    after = {f.attname: getattr(reader, f.attname) for f in reader._meta.concrete_fields}
    assert {k for k in after if after[k] != before[k]} == {"language"}
    assert reader.language == "ur"


def test_the_content_security_policy_allows_no_inline_script_or_style(client, world):
    header = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "'none'" in directives["object-src"]


def test_pages_send_the_hardening_headers(client, world):
    response = client.get(reverse("article", args=[world.article.slug]))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_samesite_lax_and_the_session_cookie_httponly():
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


_PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
from django.test import Client
client = Client(HTTP_HOST="news.example.com")
page = client.get("/accounts/login/", secure=True)
plain = client.get("/accounts/login/")
cookie = page.cookies["csrftoken"]
print(json.dumps({
    "session_secure": s.SESSION_COOKIE_SECURE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "session_samesite": s.SESSION_COOKIE_SAMESITE,
    "csrf_secure": s.CSRF_COOKIE_SECURE,
    "csrf_httponly": s.CSRF_COOKIE_HTTPONLY,
    "csrf_samesite": s.CSRF_COOKIE_SAMESITE,
    "hsts": page.headers.get("Strict-Transport-Security", ""),
    "csp": page.headers.get("Content-Security-Policy", ""),
    "cookie_secure": bool(cookie["secure"]),
    "cookie_httponly": bool(cookie["httponly"]),
    "cookie_samesite": cookie["samesite"],
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
}))
"""


@pytest.mark.django_db
def test_production_cookies_are_secure_httponly_lax_with_hsts_and_https_redirect(tmp_path):
    seen = run_probe(_PRODUCTION_PROBE, env=production_env(tmp_path))
    assert seen["session_secure"] and seen["session_httponly"]
    assert seen["session_samesite"] == "Lax"
    # The CSRF cookie is HttpOnly too: forms carry the token, no script reads it.
    assert seen["csrf_secure"] and seen["csrf_httponly"]
    assert seen["csrf_samesite"] == "Lax"
    assert seen["cookie_secure"] and seen["cookie_httponly"]
    assert seen["cookie_samesite"] == "Lax"
    assert "max-age=31536000" in seen["hsts"] and "includeSubDomains" in seen["hsts"]
    assert "'unsafe-inline'" not in seen["csp"] and "script-src 'self'" in seen["csp"]
    assert seen["plain_status"] == 301
    assert seen["plain_location"].startswith("https://news.example.com/")
