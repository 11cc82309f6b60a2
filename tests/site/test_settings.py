from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "Zq9#xP2!mL7@vB4$nC8%" + "r" * 20


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    out = _manage("check", METOO_ENV="production", ALLOWED_HOSTS="news.example.com")
    assert out.returncode != 0
    assert "SECRET_KEY must be set" in out.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    out = _manage("check", METOO_ENV="production", SECRET_KEY=GOOD_KEY)
    assert out.returncode != 0
    assert "ALLOWED_HOSTS must be set" in out.stderr


def test_check_deploy_is_clean_under_production_settings():
    out = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        METOO_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="news.example.com",
    )
    assert out.returncode == 0, out.stderr + out.stdout
    assert "no issues" in out.stdout


def test_bad_boolean_in_environment_fails_loudly():
    out = _manage("check", DEBUG="maybe")
    assert out.returncode != 0
    assert "DEBUG must be a boolean" in out.stderr


def test_debug_is_off_unless_asked():
    out = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", DEBUG=""
    )
    assert out.stdout.strip().endswith("False")
