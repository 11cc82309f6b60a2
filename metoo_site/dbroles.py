"""The two database roles: an owner that runs the migrations, and the app's role,
which owns nothing.

The app connects as `metoo_app`: it may read and write rows (SELECT, INSERT, UPDATE,
DELETE on the tables, USAGE on the sequences) and nothing else. It cannot create,
alter, empty or drop a table, disable a trigger or set `session_replication_role`,
all of which PostgreSQL leaves to a table's owner or a superuser. On the append-only
tables (the moderation audit log and the article log: every table guarded by a
trigger named `..._no_update_delete`) it has no UPDATE, DELETE or TRUNCATE either,
so the trigger is not the only thing in the way. `metoo_owner` owns the database and
every table in it and runs `manage.py migrate` (MIGRATE_DATABASE_URL).

Used by `scripts/ensure-db.sh roles` (`make run`, `make test`) on the local server as
its superuser:

    python -m metoo_site.dbroles ADMIN_URL

creates both roles if missing, makes the owner own the database (and everything an
earlier setup created in it, and any leftover test databases), grants the app's role
its rights, and prints the app's URL and the owner's (no passwords: the local server
trusts 127.0.0.1). After every migration `manage.py migrate` grants again, as the
owner, so new tables are covered (with ALTER DEFAULT PRIVILEGES as well).
docs/OPERATIONS.md ("Database roles") has the same steps as SQL for production.

Only psycopg here, no Django: the script runs before Django is set up.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

OWNER_ROLE = "metoo_owner"
APP_ROLE = "metoo_app"

# The app's rights on every table, and on every sequence (nextval for ids).
TABLE_PRIVILEGES = sql.SQL("SELECT, INSERT, UPDATE, DELETE")
SEQUENCE_PRIVILEGES = sql.SQL("USAGE, SELECT")
# Taken back on the append-only tables: what a row writer could use to rewrite or
# empty them, or to point a foreign key at them.
APPEND_ONLY_REVOKED = sql.SQL("UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER")
# Append-only tables whose text may be blanked, and nothing else: a comment's
# earlier texts are redacted when its author deletes it and no legal hold keeps
# them (comments 0002_comment_revisions: the trigger lets through only a redaction).
REDACTABLE_COLUMNS = {"comments_commentrevision": ("body", "redacted_at")}

Connection = psycopg.Connection[Any]


def append_only_tables(conn: Connection) -> list[str]:
    """The tables a trigger named `<something>_no_update_delete` guards (moderation
    0002_audit_append_only, articles 0003_article_event_append_only, comments
    0002_comment_revisions)."""
    rows = conn.execute(
        "SELECT DISTINCT c.relname FROM pg_trigger t"
        " JOIN pg_class c ON c.oid = t.tgrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND NOT t.tgisinternal"
        " AND t.tgname ~ '_no_update_delete$'"
        " ORDER BY 1"
    ).fetchall()
    return [row[0] for row in rows]


def ensure_role(conn: Connection, name: str, *, createdb: bool = False) -> None:
    """The role exists, may log in, and has no power beyond CREATEDB (for the owner in
    development: the test runner creates its test databases). Needs CREATEROLE."""
    role = sql.Identifier(name)
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone() is None:
        # Another command may make it meanwhile.
        with contextlib.suppress(psycopg.errors.DuplicateObject):
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
    attributes = "LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS " + (
        "CREATEDB" if createdb else "NOCREATEDB"
    )
    conn.execute(sql.SQL("ALTER ROLE {} " + attributes).format(role))


def hand_over(conn: Connection, *, owner: str) -> None:
    """Make `owner` own the database `conn` is connected to and everything in its
    public schema: a database set up before the roles (by the superuser) keeps working.
    Needs a superuser."""
    role = sql.Identifier(owner)
    database = conn.execute("SELECT current_database()").fetchone()
    assert database is not None
    conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(database[0]), role))
    # Only the owner creates objects; on PostgreSQL before 15 everyone could.
    conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    schema_owner = conn.execute(
        "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public'"
    ).fetchone()
    if schema_owner is not None and schema_owner[0] != "pg_database_owner":
        conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(role))
    kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
    # Tables first: a table takes the sequences of its identity columns with it.
    for kinds_now in (("r", "p", "v", "m"), ("S",)):
        rows = conn.execute(
            "SELECT c.relname, c.relkind FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = ANY(%s)"
            " AND c.relowner <> %s::regrole"
            " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
            "   AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))"
            " ORDER BY 1",
            [list(kinds_now), owner],
        ).fetchall()
        for name, kind in rows:
            conn.execute(
                sql.SQL("ALTER {} {} OWNER TO {}").format(
                    sql.SQL(kinds[kind]), sql.Identifier(name), role
                )
            )
    functions = conn.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p"
        " JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = 'public' AND p.proowner <> %s::regrole"
        " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass"
        "   AND d.objid = p.oid AND d.deptype = 'e')",
        [owner],
    ).fetchall()
    for (signature,) in functions:
        # regprocedure's text is already a quoted, qualified signature.
        conn.execute(sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(sql.SQL(signature), role))


def grant_app_role(conn: Connection, *, app: str, owner: str) -> list[str]:
    """Give the app's role its rights in the database `conn` is connected to: on every
    table and sequence now, on those `owner` creates later (default privileges), and
    none of UPDATE, DELETE, TRUNCATE on the append-only tables. Run by the owner (after
    each migration) or a superuser. Returns the append-only tables."""
    app_role, owner_role = sql.Identifier(app), sql.Identifier(owner)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(app_role),
        sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA public TO {}").format(TABLE_PRIVILEGES, app_role),
        sql.SQL("GRANT {} ON ALL SEQUENCES IN SCHEMA public TO {}").format(
            SEQUENCE_PRIVILEGES, app_role
        ),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT {} ON TABLES TO {}"
        ).format(owner_role, TABLE_PRIVILEGES, app_role),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT {} ON SEQUENCES TO {}"
        ).format(owner_role, SEQUENCE_PRIVILEGES, app_role),
    ]
    with conn.transaction():
        for statement in statements:
            conn.execute(statement)
        tables = append_only_tables(conn)
        for table in tables:
            conn.execute(
                sql.SQL("REVOKE {} ON {} FROM {}").format(
                    APPEND_ONLY_REVOKED, sql.Identifier(table), app_role
                )
            )
            if table in REDACTABLE_COLUMNS:
                conn.execute(
                    sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
                        sql.SQL(", ").join(map(sql.Identifier, REDACTABLE_COLUMNS[table])),
                        sql.Identifier(table),
                        app_role,
                    )
                )
    return tables


def url_for(url: str, user: str) -> str:
    """The same server and database as `url`, as `user`, without a password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{quote(user)}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def set_up(admin_url: str, *, owner: str = OWNER_ROLE, app: str = APP_ROLE) -> tuple[str, str]:
    """Everything `make run` and `make test` need, as the superuser of `admin_url`
    (whose database must exist). Returns the app's URL and the owner's."""
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        ensure_role(conn, owner, createdb=True)
        ensure_role(conn, app)
        database = conn.execute("SELECT current_database()").fetchone()
        assert database is not None
        # Test databases left by an interrupted run: the owner's test runner must be
        # able to drop them.
        leftovers = conn.execute(
            "SELECT datname FROM pg_database WHERE datname ~ %s AND datdba <> %s::regrole",
            [f"^test_{database[0]}(_gw[0-9]+)?$", owner],
        ).fetchall()
        for (name,) in leftovers:
            conn.execute(
                sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                    sql.Identifier(name), sql.Identifier(owner)
                )
            )
        hand_over(conn, owner=owner)
        grant_app_role(conn, app=app, owner=owner)
    return url_for(admin_url, app), url_for(admin_url, owner)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m metoo_site.dbroles ADMIN_URL", file=sys.stderr)
        return 2
    try:
        app_url, owner_url = set_up(argv[0])
    except psycopg.Error as exc:
        print(f"error: could not set up the database roles: {exc}", file=sys.stderr)
        return 1
    print(app_url)
    print(owner_url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
