"""Least privilege (metoo_site.dbroles): the site's role reads and writes rows and
nothing more. Connected as that role to the test database, TRUNCATE, ALTER TABLE ...
DISABLE TRIGGER and SET session_replication_role = replica all fail on the audit log
and the article log, as do UPDATE and DELETE, while INSERT and SELECT work.

The tests run as the database's owner (`make test`) or a superuser; the app's role is
the one scripts/ensure-db.sh makes for `make run` and `make test`, made here when a
superuser runs the tests on a server that does not have it yet. The local server
trusts 127.0.0.1, so the role connects without a password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from comments.models import CommentRevision
from comments.services import comment_edit, comment_post
from metoo_site.dbroles import APP_ROLE, append_only_tables, ensure_role, grant_app_role, url_for
from tests.factories import ArticleFactory, UserFactory
from tests.processes import database_url

ROOT = Path(__file__).resolve().parents[2]
APPEND_ONLY = ["articles_articleevent", "comments_commentrevision", "moderation_moderationaction"]

pytestmark = pytest.mark.django_db(transaction=True)  # rows the other connection can see


@pytest.fixture
def as_app():
    """A connection to the test database as the app's role, granted what
    `manage.py migrate` grants it."""
    connection.ensure_connection()
    tests_role = connection.connection
    if (
        tests_role.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE]).fetchone()
        is None
    ):
        ensure_role(tests_role, APP_ROLE)
    current = tests_role.execute("SELECT current_user").fetchone()
    assert current is not None
    grant_app_role(tests_role, app=APP_ROLE, owner=current[0])
    cfg = connection.settings_dict
    conn = psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        dbname=cfg["NAME"],
        user=APP_ROLE,
        autocommit=True,
    )
    yield conn
    conn.close()


def _refused(conn: psycopg.Connection, statement: str | sql.Composable) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refusal:
        conn.execute(statement)
    return str(refusal.value)


def test_the_append_only_tables_are_the_ones_their_triggers_guard():
    connection.ensure_connection()
    assert append_only_tables(connection.connection) == APPEND_ONLY


def test_the_app_role_cannot_truncate_disable_triggers_or_skip_them_on_the_append_only_tables(
    as_app,
):
    for table in APPEND_ONLY:
        assert "permission denied" in _refused(as_app, f"TRUNCATE {table}")
        assert "must be owner" in _refused(as_app, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    # The replica role would skip every trigger, the append-only ones included.
    assert "permission denied to set parameter" in _refused(
        as_app, "SET session_replication_role = replica"
    )
    assert "permission denied" in _refused(as_app, "CREATE TABLE scratch (id int)")


def test_the_app_role_writes_and_reads_the_logs_but_cannot_rewrite_them(as_app):
    editor = UserFactory()
    article = ArticleFactory(author=editor)

    action = as_app.execute(
        "INSERT INTO moderation_moderationaction"
        " (action, from_status, to_status, reason, note, data, created_at, actor_id)"
        " VALUES ('import.disqus', '', '', '', 'by the app', '{}', now(), %s) RETURNING id",
        [editor.pk],
    ).fetchone()
    event = as_app.execute(
        "INSERT INTO articles_articleevent (action, changes, created_at, actor_id, article_id)"
        " VALUES ('article.edited', '{}', now(), %s, %s) RETURNING id",
        [editor.pk, article.pk],
    ).fetchone()
    assert action is not None and event is not None
    assert as_app.execute(
        "SELECT note FROM moderation_moderationaction WHERE id = %s", [action[0]]
    ).fetchone() == ("by the app",)

    # Refused by the grants themselves ("permission denied"), before any trigger runs.
    for table in APPEND_ONLY:
        name = sql.Identifier(table)
        column = "replaced_at" if table == "comments_commentrevision" else "created_at"
        update = sql.SQL("UPDATE {} SET {} = now()").format(name, sql.Identifier(column))
        assert "permission denied" in _refused(as_app, update)
        assert "permission denied" in _refused(as_app, sql.SQL("DELETE FROM {}").format(name))
    # Other tables it reads and writes as the site does.
    as_app.execute("UPDATE articles_article SET title = 'Renamed' WHERE id = %s", [article.pk])


def test_a_database_url_set_by_the_user_is_used_as_it_is():
    url = database_url()
    env = {k: v for k, v in os.environ.items() if k != "MIGRATE_DATABASE_URL"}
    result = subprocess.run(
        [str(ROOT / "scripts" / "ensure-db.sh"), "roles"],
        env=env | {"DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"DATABASE_URL={url}"]


def test_the_roles_urls_name_the_same_server_and_database_without_a_password():
    assert (
        url_for("postgres://postgres:secret@db.example.com:5433/metoo?sslmode=require", APP_ROLE)
        == "postgres://metoo_app@db.example.com:5433/metoo?sslmode=require"
    )
    assert url_for("postgres://postgres@[::1]/metoo", "metoo_owner") == (
        "postgres://metoo_owner@[::1]/metoo"
    )


def test_a_migrate_url_for_another_database_stops_start_up():
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "metoo_site.settings",
        "DATABASE_URL": "postgres://metoo_app@127.0.0.1:5432/metoo",
        "MIGRATE_DATABASE_URL": "postgres://metoo_owner@127.0.0.1:5432/elsewhere",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "MIGRATE_DATABASE_URL must name DATABASE_URL's database" in result.stderr


def test_the_app_role_may_only_redact_a_comments_earlier_text(as_app):
    reader = UserFactory()
    comment = comment_post(author=reader, article=ArticleFactory(), body="First text")
    comment_edit(comment=comment, by=reader, body="Second text")
    revision = CommentRevision.objects.get(comment=comment)
    # Rewriting the text is refused by the trigger (the column grant lets it reach it).
    assert "append-only" in _refused(
        as_app,
        sql.SQL("UPDATE comments_commentrevision SET body = 'Never said' WHERE id = {}").format(
            sql.Literal(revision.pk)
        ),
    )
    as_app.execute(
        "UPDATE comments_commentrevision SET body = '', redacted_at = now() WHERE id = %s",
        [revision.pk],
    )
    revision.refresh_from_db()
    assert revision.body == "" and revision.redacted_at is not None
