"""How the site is served in production: gunicorn's configuration in the repository
(workers replaced after a bounded number of requests, timeouts, header limits), the
documented command using it, and request bodies bounded before a view reads them."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "gunicorn.conf.py"


def _config(**env: str) -> Config:
    config = Config()
    namespace: dict[str, object] = {"__file__": str(CONF)}
    # The configuration reads the environment when it runs.
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        exec(compile(CONF.read_text(), str(CONF), "exec"), namespace)  # noqa: S102
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_workers_are_replaced_after_a_bounded_number_of_requests_with_jitter():
    config = _config()
    assert 0 < config.max_requests <= 10_000
    assert 0 < config.max_requests_jitter < config.max_requests
    assert config.timeout <= 60 and config.graceful_timeout <= config.timeout
    assert config.limit_request_line <= 8190 and config.limit_request_fields <= 100
    assert config.worker_class_str == "sync" and not config.preload_app


def test_the_configuration_moves_with_the_environment():
    config = _config(GUNICORN_BIND="127.0.0.1:9123", GUNICORN_WORKERS="3")
    assert config.bind == ["127.0.0.1:9123"] and config.workers == 3


def test_the_documented_production_command_uses_the_configuration():
    operations = (ROOT / "docs" / "OPERATIONS.md").read_text()
    commands = re.findall(r"`(gunicorn [^`]+)`", operations)
    assert commands and all("-c deploy/gunicorn.conf.py" in c for c in commands)
    bench = (ROOT / "bench" / "run.py").read_text()
    cluster = (ROOT / "scripts" / "cluster.sh").read_text()
    assert "deploy/gunicorn.conf.py" in bench and "deploy/gunicorn.conf.py" in cluster


@pytest.mark.django_db
def test_a_body_larger_than_the_limit_is_refused_before_any_view_reads_it(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    response = client.post(reverse("account_login"), {"login": "x" * (128 * 1024), "password": "y"})
    assert response.status_code == 400
