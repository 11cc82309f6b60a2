from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from core import ratelimit
from core.ratelimit import Rate

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "limit", "period"),
    [("10/m", 10, 60), ("30/10m", 30, 600), ("5/s", 5, 1), ("2/d", 2, 86400)],
)
def test_rates_parse(text, limit, period):
    assert Rate.parse(text) == Rate(limit, period)


@pytest.mark.parametrize("text", ["", "ten/m", "10", "10/y", "-1/m"])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError, match="Bad rate"):
        Rate.parse(text)


@pytest.mark.django_db
def test_limit_allows_n_hits_per_window_then_refuses():
    rate = Rate(3, 60)
    results = [ratelimit.hit("t", "ip:1", rate, now=1000.0) for _ in range(4)]
    assert results == [True, True, True, False]
    # A new window starts counting again; another address has its own count.
    assert ratelimit.hit("t", "ip:1", rate, now=1061.0)
    assert ratelimit.hit("t", "ip:2", rate, now=1000.0)


@pytest.mark.django_db
@override_settings(RATE_LIMITS={"comment": {"user": "2/m", "ip": "100/m"}})
def test_view_decorator_answers_429_with_a_readable_page(reader):
    @ratelimit.ratelimit("comment")
    def view(request):
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().post("/x")
    request.user = reader
    assert [view(request).status_code for _ in range(3)] == [200, 200, 429]
    response = view(request)
    assert response["Retry-After"] == "60"
    assert b"Slow down" in response.content


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
