"""Running code under production settings in a process of its own, against the test
database: what the cookie and header probes share."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.processes import database_url

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "Zq9#xP2!mL7@vB4$nC8%" + "r" * 20


def production_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a production process, with the hashed static files a
    deployment builds by `collectstatic` (in a scratch folder under tmp_path)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    }
    env.update(
        METOO_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="news.example.com",
        CACHE_URL="locmem",
        DJANGO_SETTINGS_MODULE="metoo_site.settings",
        DATABASE_URL=database_url(),
        DB_POOL="0",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert collected.returncode == 0, collected.stderr
    return env


def run_probe(probe: str, *args: str, env: dict[str, str]) -> Any:
    """Run `probe` (Python source that prints one JSON line last) with `args`; what it printed."""
    out = subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])
