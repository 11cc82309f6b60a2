"""core.ratelimit: rates, exact counts when requests arrive at once on every cache the
settings allow (the database cache, Redis, local memory), counts shared between
processes, and the 429 page that says how long to wait."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core import ratelimit
from core.ratelimit import COUNTER_TABLE, Rate, parse_rates, wait_words

ROOT = Path(__file__).resolve().parents[2]
# Redis databases of this file's own: 12 for the exactness tests, 15 for the
# two-process test (each test uses keys of its own, so parallel workers agree).
REDIS_DB = "redis://127.0.0.1:6379/12"
DB_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "metoo_cache"}
}
REDIS_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_DB}
}
LOCMEM_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl-test"}
}
# 16 s into a minute (and into an hour): 44 s left in the minute's window.
AT = datetime(2030, 1, 7, 5, 0, 16, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "limit", "period"),
    [("10/m", 10, 60), ("30/10m", 30, 600), ("5/s", 5, 1), ("2/d", 2, 86400)],
)
def test_rates_parse(text, limit, period):
    assert Rate.parse(text) == Rate(limit, period)


@pytest.mark.parametrize("text", ["", "ten/m", "10", "10/y", "-1/m", "10/0m"])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError, match="Bad rate"):
        Rate.parse(text)


def test_several_rates_parse_shortest_period_first():
    assert parse_rates("300/h, 10/m") == (Rate(10, 60), Rate(300, 3600))
    with pytest.raises(ValueError, match="Bad rate"):
        parse_rates(" , ")


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0.2, "1 second"),
        (44, "44 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (179.5, "3 minutes"),
        (3600, "1 hour"),
        (3900, "1 hour and 5 minutes"),
        (7200 + 60, "2 hours and 1 minute"),
    ],
)
def test_a_wait_reads_as_words_rounded_up(seconds, words):
    assert wait_words(seconds) == words


@pytest.mark.django_db
def test_limit_allows_n_hits_per_window_then_refuses():
    rate = Rate(3, 60)
    results = [ratelimit.hit("t", "ip:1", rate, now=1000.0) for _ in range(4)]
    assert results == [True, True, True, False]
    # A new window starts counting again; another address has its own count.
    assert ratelimit.hit("t", "ip:1", rate, now=1061.0)
    assert ratelimit.hit("t", "ip:2", rate, now=1000.0)


@pytest.mark.django_db
def test_a_refusal_says_when_the_window_closes():
    rate = Rate(1, 60)
    assert ratelimit.take("w", "ip:1", rate, now=1016.0).allowed  # window 960..1020
    assert ratelimit.take("w", "ip:1", rate, now=1016.0) == ratelimit.Verdict(False, 4)


@pytest.mark.django_db
def test_a_script_refused_per_minute_does_not_use_up_the_hourly_allowance():
    rates = parse_rates("2/m,5/h")
    now = 7200.0  # the start of an hour and of a minute
    first_minute = [ratelimit.take("s", "ip:9", rates, now=now + i).allowed for i in range(30)]
    assert first_minute.count(True) == 2
    # 28 refusals later, the hour still has 3 of its 5 left for the next minutes.
    assert [ratelimit.take("s", "ip:9", rates, now=now + 60 + i).allowed for i in range(3)] == [
        True,
        True,
        False,
    ]
    assert ratelimit.take("s", "ip:9", rates, now=now + 120).allowed
    # Now the hour is full: the wait is until the hour's window closes, not the minute's.
    refused = ratelimit.take("s", "ip:9", rates, now=now + 121)
    assert not refused.allowed and refused.retry_after == 3600 - 121


@pytest.mark.parametrize(
    ("ip", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:aa:bb:1:2:3:4", "2001:db8:aa:bb::"),
        ("2001:db8:aa:bb:ffff::9", "2001:db8:aa:bb::"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("unknown", "unknown"),
    ],
)
def test_an_ipv6_address_counts_with_its_64(ip, counted_as):
    assert ratelimit.address_key(ip) == counted_as


@pytest.mark.django_db
@override_settings(RATE_LIMITS={"comment": {"user": "2/m", "ip": "100/m"}})
def test_view_decorator_answers_429_saying_the_real_wait(reader):
    @ratelimit.ratelimit("comment")
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().post("/x")
    request.user = reader
    with time_machine.travel(AT, tick=False):
        assert [view(request).status_code for _ in range(3)] == [200, 200, 429]
        response = view(request)
    assert response["Retry-After"] == "44"
    assert response["Cache-Control"] == "no-store"
    assert "Slow down" in response.text
    assert "Please try again in 44 seconds." in response.text


def test_the_429_page_needs_no_database_session_or_user():
    # No django_db mark: any query here would fail the test.
    request = RequestFactory().post("/comments/post/x/")
    response = ratelimit.too_many(request, "comment", retry_after=170)
    assert response.status_code == 429
    assert response["Retry-After"] == "170"
    assert "Please try again in 3 minutes." in response.text
    assert "<html" in response.text and "Sign in" not in response.text


def _hits_at_once(caches_setting: dict, n: int, rate: Rate) -> list[bool]:
    """`n` threads, each with its own database connection, hit one counter at the same
    moment (a barrier releases them together)."""
    scope = f"race-{uuid.uuid4().hex[:12]}"
    now = 7200.0 + 16
    barrier = threading.Barrier(n)
    results: list[bool] = []
    lock = threading.Lock()

    def one() -> None:
        try:
            barrier.wait()
            allowed = ratelimit.hit(scope, "ip:203.0.113.1", rate, now=now)
            with lock:
                results.append(allowed)
        finally:
            connection.close()

    # Each thread builds its own cache backend from these settings.
    with override_settings(CACHES=caches_setting):
        threads = [threading.Thread(target=one) for _ in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "caches_setting", [DB_CACHE, REDIS_CACHE, LOCMEM_CACHE], ids=["database", "redis", "locmem"]
)
def test_forty_hits_at_once_at_a_limit_of_ten_let_exactly_ten_through(caches_setting):
    # Django's cache reads then writes (`incr` is a get and a set on the database
    # cache): 37 of 40 got through here before the counter had its own upsert.
    for attempt in range(3):  # three rounds: a lucky interleaving must not pass
        results = _hits_at_once(caches_setting, 40, Rate(10, 3600))
        assert len(results) == 40
        assert results.count(True) == 10, f"round {attempt}"


# One app process: ten threads released together at a given moment, each counting
# one hit; prints how many were let through.
CHILD = """
import sys, threading, time
import django
django.setup()
from django.db import connection
from core import ratelimit
scope, start, now = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
barrier = threading.Barrier(10)
allowed = []
def one():
    try:
        barrier.wait()
        allowed.append(ratelimit.hit(scope, "ip:203.0.113.2", ratelimit.Rate(10, 3600), now=now))
    finally:
        connection.close()
threads = [threading.Thread(target=one) for _ in range(10)]
time.sleep(max(0.0, start - time.time()))
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sum(allowed))
"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cache_url", ["db", REDIS_DB], ids=["database", "redis"])
def test_forty_hits_from_four_app_processes_at_once_let_exactly_ten_through(cache_url):
    # Four processes configured from the environment as the site is (CACHE_URL), on
    # this test's database, hitting one counter at the same moment.
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "metoo_site.settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
        "DB_POOL": "0",
        "CACHE_URL": cache_url,
    }
    scope = f"procs-{uuid.uuid4().hex[:12]}"
    start = time.time() + 5  # every process set up by then
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, scope, str(start), "7216.0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0] * 4, outputs
    assert sum(int(out.split()[-1]) for out, _ in outputs) == 10


@pytest.mark.django_db(transaction=True)
def test_the_database_counter_is_one_row_per_window_and_ended_windows_are_tidied():
    with override_settings(CACHES=DB_CACHE):
        for _ in range(3):
            ratelimit.hit("tidy", "ip:1", Rate(5, 60), now=1000.0)
        ratelimit.hit("tidy", "ip:2", Rate(5, 60), now=1000.0)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT hits FROM {COUNTER_TABLE} ORDER BY hits")  # noqa: S608
            assert [row[0] for row in cursor.fetchall()] == [1, 3]
        # A hit in a later window starts a counter and deletes the ended ones.
        ratelimit.hit("tidy", "ip:3", Rate(5, 60), now=2000.0)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {COUNTER_TABLE}")  # noqa: S608
            assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_a_redis_counter_always_expires_even_one_left_without_an_expiry():
    with override_settings(CACHES=REDIS_CACHE):
        backend = caches["default"]
        client = backend._cache.get_client(write=True)
        scope = f"ttl-{uuid.uuid4().hex[:12]}"
        rate = Rate(10, 60)
        now = 7200.0 + 16
        key = backend.make_and_validate_key(ratelimit._bucket(scope, "ip:1", rate, now))
        assert ratelimit.hit(scope, "ip:1", rate, now=now)
        assert 0 < client.ttl(key) <= 44 + 5
        # A key that lost its expiry (written by older code, or by hand) gets one back.
        client.persist(key)
        assert client.ttl(key) == -1
        assert ratelimit.hit(scope, "ip:1", rate, now=now)
        assert int(client.get(key)) == 2 and client.ttl(key) > 0
        client.delete(key)


@pytest.mark.django_db
def test_with_redis_down_requests_are_let_through_and_the_log_says_so(caplog):
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    with override_settings(CACHES=down), caplog.at_level(logging.WARNING, "core.ratelimit"):
        started = time.monotonic()
        assert all(ratelimit.hit("down", "ip:1", Rate(1, 60)) for _ in range(5))
        # One connection attempt, then Redis is left alone for a moment: no request
        # waits a timeout per limit.
        assert time.monotonic() - started < 1
    assert caplog.text.count("Redis cache is unreachable") == 1


@pytest.mark.django_db
def test_counts_are_shared_between_processes_through_the_cache():
    # Two processes, one Redis: the second process continues the first one's count.
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    with override_settings(CACHES=redis_cache):
        caches["default"].clear()
        rate = Rate(3, 3600)
        assert ratelimit.hit("shared", "ip:9", rate)
        assert ratelimit.hit("shared", "ip:9", rate)
        code = (
            "import django; django.setup();"
            "from core import ratelimit;"
            "r = ratelimit.Rate(3, 3600);"
            "print(ratelimit.hit('shared', 'ip:9', r), ratelimit.hit('shared', 'ip:9', r))"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "metoo_site.settings",
            "CACHE_URL": "redis://127.0.0.1:6379/15",
            "CACHE_PREFIX": "",
        }
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert out.stdout.split() == ["True", "False"]
        caches["default"].clear()


def test_a_bad_sign_up_rate_in_the_environment_stops_start_up():
    env = {**os.environ, "SIGNUP_LIMITS_PER_DOMAIN": "many/m"}
    out = subprocess.run(
        [sys.executable, "-c", "import metoo_site.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode != 0
    assert "SIGNUP_LIMITS_PER_ADDRESS or _PER_DOMAIN: Bad rate 'many/m'" in out.stderr
