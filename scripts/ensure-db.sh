#!/usr/bin/env bash
# Find or start PostgreSQL and make sure the project's database exists.
# Prints the DATABASE_URL to use on stdout; everything else goes to stderr.
#   1. DATABASE_URL, if set.
#   2. A server answering on 127.0.0.1:5432.
#   3. Otherwise, if PostgreSQL is installed, a project-local cluster in .pgdata/
#      (created once, started when needed, reused after).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${VENV_PY:-.venv/bin/python}
DBNAME=${METOO_DB_NAME:-metoo}
LOCAL_PORT=${METOO_LOCAL_PG_PORT:-5439}

log() { echo "$*" >&2; }

answers() {  # host port
  "$PY" - "$1" "$2" <<'PYEOF'
import socket, sys
s = socket.socket()
s.settimeout(1)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
except OSError:
    sys.exit(1)
PYEOF
}

pg_bin() {
  for d in /usr/lib/postgresql/*/bin /usr/local/pgsql/bin /usr/pgsql-*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

start_local_cluster() {
  local bin; bin=$(pg_bin) || {
    log "error: no PostgreSQL server answers on 127.0.0.1:5432 and PostgreSQL is not installed."
    log "Install it (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL."
    exit 1
  }
  local data="$PWD/.pgdata"
  local run_as=()
  if [ "$(id -u)" = 0 ]; then
    # initdb and postgres refuse to run as root; use the postgres system user.
    id postgres >/dev/null 2>&1 || useradd --system --home "$data" postgres
    run_as=(runuser -u postgres --)
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "Creating a project-local PostgreSQL cluster in .pgdata/ ..."
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    "${run_as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ! answers 127.0.0.1 "$LOCAL_PORT"; then
    log "Starting the project-local PostgreSQL on port $LOCAL_PORT ..."
    "${run_as[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-p $LOCAL_PORT -k $data -c listen_addresses=127.0.0.1" start >/dev/null
  fi
  echo "postgres://postgres@127.0.0.1:$LOCAL_PORT/$DBNAME"
}

if [ -n "${DATABASE_URL:-}" ]; then
  url=$DATABASE_URL
elif answers 127.0.0.1 5432; then
  url="postgres://postgres@127.0.0.1:5432/$DBNAME"
else
  url=$(start_local_cluster)
fi

# Create the database if it is missing (connect to the maintenance database).
"$PY" - "$url" <<'PYEOF'
import sys
import dj_database_url
import psycopg
from psycopg import sql

cfg = dj_database_url.parse(sys.argv[1])
kw = dict(host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
          password=cfg["PASSWORD"] or None, autocommit=True, connect_timeout=5)
try:
    conn = psycopg.connect(dbname=cfg["NAME"], **kw)
    conn.close()
except psycopg.OperationalError as exc:
    if "does not exist" not in str(exc):
        sys.exit(f"error: cannot connect to PostgreSQL: {exc}")
    with psycopg.connect(dbname="postgres", **kw) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
    print(f"Created database {cfg['NAME']}.", file=sys.stderr)
PYEOF
echo "$url"
