"""Every cookie the site sets is Secure under production settings, HttpOnly (no script
reads any of them: htmx takes the CSRF token from the page) and SameSite=Lax.

The probe runs in its own process with METOO_ENV=production and walks the paths that
set each cookie: the sign-in page (csrftoken), signing in (sessionid, and the "signed
in" message: messages), an anonymous reader choosing a comment order (comment_sort)
and the interface language (django_language). A second test keeps that list whole:
any other place in the code that sets a cookie must say whether it is Secure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.factories import ArticleFactory, UserFactory
from tests.security.production import production_env, run_probe

ROOT = Path(__file__).resolve().parents[2]
EVERY_COOKIE = {"csrftoken", "sessionid", "messages", "comment_sort", "django_language"}
APP_PACKAGES = ("accounts", "articles", "comments", "moderation", "core", "metoo_site")

_PROBE = """
import json, sys, django
django.setup()
from django.test import Client
email, password, article = sys.argv[1:4]
seen = {}
def note(response):
    for name, morsel in response.cookies.items():
        if morsel.value or morsel["max-age"] != 0:
            seen[name] = {
                "secure": bool(morsel["secure"]),
                "httponly": bool(morsel["httponly"]),
                "samesite": morsel["samesite"],
            }
    return response
reader = Client(HTTP_HOST="news.example.com")
note(reader.get("/accounts/login/", secure=True))
signed_in = note(reader.post(
    "/accounts/login/", {"login": email, "password": password}, secure=True
))
assert signed_in.status_code == 302, signed_in.status_code
note(reader.get(signed_in.headers["Location"], secure=True))
stranger = Client(HTTP_HOST="news.example.com")
sorted_page = note(stranger.get(article + "?sort=newest", secure=True))
assert sorted_page.status_code == 200, sorted_page.status_code
switched = note(
    stranger.post("/accounts/language/", {"language": "ur", "next": article}, secure=True)
)
assert switched.status_code == 302, switched.status_code
print(json.dumps(seen))
"""


# Committed rows: the probe is another process reading the test database.
@pytest.mark.django_db(transaction=True)
def test_every_cookie_is_secure_httponly_and_lax_in_production(tmp_path):
    # Hashed as production checks it (the tests' fast MD5 hasher is not configured there).
    hashed = PBKDF2PasswordHasher().encode("correct horse battery", "cookiesalt", iterations=1000)
    user = UserFactory(email="cookies@example.com")
    type(user).objects.filter(pk=user.pk).update(password=hashed)
    article = ArticleFactory()
    seen = run_probe(
        _PROBE,
        "cookies@example.com",
        "correct horse battery",
        article.get_absolute_url(),
        env=production_env(tmp_path),
    )
    assert set(seen) == EVERY_COOKIE
    for name, flags in seen.items():
        assert flags == {"secure": True, "httponly": True, "samesite": "Lax"}, name


def test_every_cookie_the_code_sets_says_whether_it_is_secure():
    """The probe covers the framework's cookies; a cookie set by our own code must
    pass `secure=` (and be added to the probe's walk and EVERY_COOKIE)."""
    calls = []
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            # A response's own method (accounts.language.set_cookie, a helper that
            # calls it, is found through its body).
            pattern = r"(?<![\w.])response\.set(?:_signed)?_cookie\((.*?)\n\s*\)"
            for match in re.finditer(pattern, text, re.S):
                calls.append((path.relative_to(ROOT), match.group(1)))
    assert calls, "the sort cookie is set somewhere"
    assert [str(path) for path, args in calls if "secure=" not in args] == []
    assert sorted(str(path) for path, _ in calls) == ["accounts/language.py", "comments/views.py"]
