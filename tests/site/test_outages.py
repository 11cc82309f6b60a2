"""PostgreSQL restarting and stopping under the real server: gunicorn, the connection
pool, the outage middleware, /healthz. On a PostgreSQL cluster of this module's own
(the embedded server in a temporary folder, never the shared one), set up as
`make run` sets it up: scripts/ensure-db.sh with its two roles, migrations as the
owner, the site as the app's role.

The cluster is first set up the old way (everything owned by the superuser) and then
handed over to the roles, as on a machine that ran `make run` before the roles came."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from metoo_site.dbroles import APP_ROLE, OWNER_ROLE

ROOT = Path(__file__).resolve().parents[2]
ENSURE_DB = ROOT / "scripts" / "ensure-db.sh"
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Response:
    status: int
    seconds: float
    headers: dict[str, str]
    body: str


@dataclass
class Site:
    port: int
    db_env: dict[str, str]
    app_url: str
    owner_url: str
    admin_url: str

    def get(self, path: str) -> Response:
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request("GET", path)
            answer = conn.getresponse()
            body = answer.read().decode(errors="replace")
        finally:
            conn.close()
        headers = {k.lower(): v for k, v in answer.getheaders()}
        return Response(answer.status, time.monotonic() - started, headers, body)

    def database(self, *args: str) -> str:
        result = subprocess.run(
            [str(ENSURE_DB), *args],
            env=self.db_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("outages")
    base = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MIGRATE_DATABASE_URL"}
    }
    db_env = base | {
        "METOO_POSTGRES": "embedded",
        "METOO_PGDATA": str(folder / "pgdata"),
        "METOO_LOCAL_PG_PORT": str(_free_port()),
        "VENV_PY": sys.executable,
    }
    site = Site(port=_free_port(), db_env=db_env, app_url="", owner_url="", admin_url="")
    server = None
    try:
        # The old setup: one superuser owns everything.
        site.admin_url = site.database().splitlines()[0]
        manage = [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
        _run(manage, base | {"DATABASE_URL": site.admin_url})
        # `make run` now: the roles, the database handed to the owner, migrations as it.
        lines = dict(
            line.split("=", 1) for line in site.database("roles").splitlines() if "=" in line
        )
        site.app_url, site.owner_url = lines["DATABASE_URL"], lines["MIGRATE_DATABASE_URL"]
        _run(manage, base | lines)
        server_env = base | {
            "DATABASE_URL": site.app_url,
            "CACHE_URL": "db",
            "DEBUG": "0",
            "METOO_ENV": "development",
            # Three connections resting in the pool, all dead after a restart.
            "DB_POOL_MIN": "3",
            "LOG_LEVEL": "CRITICAL",
        }
        server = subprocess.Popen(
            [
                str(GUNICORN),
                "metoo_site.wsgi",
                *("-b", f"127.0.0.1:{site.port}", "-w", "1", "--timeout", "60"),
                *("--log-level", "warning"),
            ],
            cwd=ROOT,
            env=server_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if site.get("/healthz").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield site
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        site.database("stop")


def test_after_postgresql_restarts_no_request_fails_for_a_dead_pooled_connection(site):
    for _ in range(3):
        assert site.get("/").status == 200

    site.database("stop")
    site.database()  # started again: every pooled connection is now dead

    answers = [site.get(path) for path in ["/", "/guidelines/", "/", "/healthz", "/"]]
    assert [a.status for a in answers] == [200] * 5
    assert max(a.seconds for a in answers) < 1.0


def test_with_postgresql_stopped_pages_answer_503_within_a_second_and_healthz_names_it(site):
    assert site.get("/").status == 200
    site.database("stop")
    try:
        page = site.get("/")
        health = site.get("/healthz")
        stylesheet = site.get("/static/css/site.css")
    finally:
        site.database()
    back = time.monotonic()

    assert page.status == 503 and page.seconds < 1.0
    assert page.headers["retry-after"] == "10"
    assert "We will be back in a moment" in page.body
    assert "/static/css/site.css" in page.body
    assert stylesheet.status == 200
    assert health.status == 503 and health.seconds < 1.0
    body = json.loads(health.body)
    assert body["database"] == "down" and body["cache"] == "down"
    # Back as soon as PostgreSQL is: within a second of it answering again.
    while site.get("/").status != 200:
        assert time.monotonic() - back < 1.0
        time.sleep(0.05)


def test_the_site_connects_as_a_role_that_owns_nothing_and_cannot_empty_the_audit_log(site):
    assert site.app_url.startswith(f"postgres://{APP_ROLE}@")
    assert site.owner_url.startswith(f"postgres://{OWNER_ROLE}@")
    with psycopg.connect(site.admin_url, autocommit=True) as admin:
        owners = admin.execute(
            "SELECT DISTINCT relowner::regrole::text FROM pg_class"
            " WHERE relnamespace = 'public'::regnamespace"
        ).fetchall()
        database_owner = admin.execute(
            "SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()"
        ).fetchone()
        app = admin.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls"
            " FROM pg_roles WHERE rolname = %s",
            [APP_ROLE],
        ).fetchone()
    # Everything the superuser made before is the owner's now, and nothing the app's.
    assert owners == [(OWNER_ROLE,)]
    assert database_owner == (OWNER_ROLE,)
    assert app == (False, False, False, False, False)

    with psycopg.connect(site.app_url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM moderation_moderationaction").fetchone()
        for statement in [
            "TRUNCATE moderation_moderationaction",
            "ALTER TABLE articles_articleevent DISABLE TRIGGER USER",
            "SET session_replication_role = replica",
            "CREATE TABLE scratch (id int)",
        ]:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
