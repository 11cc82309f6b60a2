"""The 500 and 503 pages cannot fail (metoo_site.views, metoo_site.middleware): they
need no database, cache, session or signed-in user, and an outage anywhere in a
request answers the 503 page with Retry-After within a second instead of a bare
"Internal Server Error" after ten."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path
from psycopg_pool import PoolTimeout
from redis.exceptions import ConnectionError as RedisConnectionError

from metoo_site import views
from metoo_site.middleware import is_outage

ROOT = Path(__file__).resolve().parents[2]


# A URLconf of this module's own (pytest.mark.urls): views that fail as an outage would.
def _database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def _pool_timeout(request: HttpRequest) -> HttpResponse:
    try:
        raise PoolTimeout("couldn't get a connection after 0.50 sec")
    except PoolTimeout as exc:  # as Django's wrapper raises it
        raise OperationalError(str(exc)) from exc


def _redis_down(request: HttpRequest) -> HttpResponse:
    raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _bug(request: HttpRequest) -> HttpResponse:
    raise ValueError("a plain bug")


urlpatterns = [
    path("database-down/", _database_down),
    path("pool-timeout/", _pool_timeout),
    path("redis-down/", _redis_down),
    path("bug/", _bug),
]
handler500 = "metoo_site.views.error_500"


def _bare_request():
    # No session, no user, no messages: what is left when the middleware that makes
    # them has failed. A page that touched any of them would raise AttributeError.
    return RequestFactory().get("/anything/")


def test_the_500_page_needs_no_database_cache_session_or_user():
    with CaptureQueriesContext(connection) as queries:  # the cache is the database here
        response = views.error_500(_bare_request())

    assert response.status_code == 500
    assert len(queries) == 0
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "css/site.css" in html and "css/bootstrap-site.css" in html
    assert 'lang="ur" dir="rtl"' in html


def test_the_503_page_needs_nothing_either_and_says_when_to_come_back():
    with CaptureQueriesContext(connection) as queries:
        response = views.error_503(_bare_request())

    assert response.status_code == 503
    assert len(queries) == 0
    assert response["Retry-After"] == str(views.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f"try again in {views.RETRY_AFTER_SECONDS} seconds" in html
    assert "css/site.css" in html


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/database-down/", "/pool-timeout/", "/redis-down/"])
def test_an_outage_in_a_view_answers_the_503_page_with_retry_after(client, url):
    client.raise_request_exception = False

    response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == str(views.RETRY_AFTER_SECONDS)
    assert "We will be back in a moment" in response.content.decode()
    # The security headers of the response it replaces are kept.
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.urls(__name__)
def test_a_bug_that_is_not_an_outage_still_answers_the_static_500_page(client):
    client.raise_request_exception = False

    response = client.get("/bug/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()


def test_outages_are_told_from_bugs_through_the_chain_of_causes():
    wrapped = OperationalError("wrapped")
    wrapped.__cause__ = PoolTimeout("timeout")
    assert is_outage(wrapped)
    assert is_outage(psycopg.OperationalError("server closed the connection unexpectedly"))
    assert is_outage(RedisConnectionError("refused"))
    assert not is_outage(ValueError("bug"))
    assert not is_outage(psycopg.errors.DataError("invalid byte sequence"))
    assert not is_outage(None)


# A real process whose database is a port nothing listens on: the session, the signed-in
# user, the database cache of the section links and the view itself all fail for real.
_OUTAGE_PROBE = """
import json, time, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
client.cookies["sessionid"] = "a-session-the-database-would-hold"
requests = [("get", "/"), ("get", "/guidelines/"), ("get", "/no-such-page/"),
            ("post", "/comments/post/some-article/"), ("get", "/static/css/site.css")]
for method, url in requests:  # a first round loads the code and templates: not timed
    getattr(client, method)(url)
out = []
for method, url in requests:
    started = time.monotonic()
    response = getattr(client, method)(url)
    body = b"".join(response) if response.streaming else response.content
    out.append([url, response.status_code, time.monotonic() - started,
                response.get("Retry-After"), body.decode(errors="replace")[:2000]])
print(json.dumps(out))
"""


def test_with_the_database_down_every_page_answers_503_within_a_second_and_styles_still_load():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "metoo_site.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nothing",
        "CACHE_URL": "db",
        "DEBUG": "0",
    }
    result = subprocess.run(
        [sys.executable, "-c", _OUTAGE_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pages = {url: rest for url, *rest in json.loads(result.stdout.strip().splitlines()[-1])}

    for url in ["/", "/guidelines/", "/no-such-page/", "/comments/post/some-article/"]:
        status, seconds, retry_after, html = pages[url]
        assert status == 503, (url, html)
        assert seconds < 1.0, (url, seconds)
        assert retry_after == str(views.RETRY_AFTER_SECONDS)
        assert "We will be back in a moment" in html
        assert "css/site.css" in html
    status, _, _, css = pages["/static/css/site.css"]
    assert status == 200 and "{" in css
