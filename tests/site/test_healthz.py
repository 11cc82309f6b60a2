from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_is_503_when_the_database_does_not_answer():
    # A real process whose database is a closed port: no mocks.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps([r.status_code, r.json()]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "metoo_site.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nothing",
        "DB_POOL": "0",
        "CACHE_URL": "locmem",
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
    status, body = json.loads(out.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["status"] == "unavailable"


# The same probe as above, with the settings a deployment runs: the pool on and the
# database cache, so the database being down takes the cache with it.
_TIMED_PROBE = (
    "import django, json, time; django.setup();"
    "from django.test import Client; from django.urls import resolve;"
    "resolve('/healthz');"  # the URLconf's imports are not what is timed
    "started = time.monotonic(); r = Client().get('/healthz');"
    "print(json.dumps([r.status_code, time.monotonic() - started, r.json()]))"
)


def test_healthz_says_within_a_second_that_the_database_is_down_and_the_cache_with_it():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "metoo_site.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nothing",
        "CACHE_URL": "db",
    }
    env.pop("DB_POOL", None)
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", _TIMED_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    status, seconds, body = json.loads(out.stdout.strip().splitlines()[-1])

    assert status == 503
    assert seconds < 1.0
    assert body["status"] == "unavailable"
    assert body["database"] == "down" and body["cache"] == "down"
    assert body["errors"] == {"database": "PoolTimeout", "cache": "kept in the database"}
    assert time.monotonic() - started < 30


@pytest.mark.django_db
def test_healthz_says_the_cache_is_down_when_redis_does_not_answer(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.caches.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }

    started = time.monotonic()
    response = client.get("/healthz")

    assert time.monotonic() - started < 1.0
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["cache"] == "down"
    assert body["errors"] == {"cache": "no answer"}
