#!/usr/bin/env bash
# The steps behind `make run`, `make test` and friends. Idempotent: a second run
# skips whatever is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

UV_VERSION=0.13.9  # keep in step with scripts/uv-requirements.txt
UV=.tools/uv-$UV_VERSION/bin/uv
# Bytecode compiled at install: the first `make run` or import starts as fast as the next.
export UV_PROJECT_ENVIRONMENT=.venv UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1 UV_COMPILE_BYTECODE=1

# uv installs from uv.lock. It comes from PyPI itself, pinned by hash, into .tools/
# (outside .venv, which uv keeps exactly as the lock says).
ensure_uv() {
  [ -x "$UV" ] && return 0
  local py; py=$(scripts/find-python.sh)
  log "Installing uv $UV_VERSION into .tools/ (pip, pinned by hash)"
  rm -rf ".tools/uv-$UV_VERSION"
  PIP_ROOT_USER_ACTION=ignore "$py" -m pip install -qq --disable-pip-version-check \
    --no-warn-script-location --require-hashes --target ".tools/uv-$UV_VERSION" \
    -r scripts/uv-requirements.txt
}

# Refuse to go on when pyproject.toml and uv.lock disagree: what is tested must be what
# the lock says. Works offline once uv's cache knows the packages.
lock_check() {
  ensure_uv
  local py out status
  py=$(scripts/find-python.sh)
  # Offline first: no network is needed when the lock matches. A new machine's uv cache holds
  # only what was installed, so when uv cannot decide from it alone, ask the registry.
  if out=$("$UV" lock --check --offline --quiet --python "$py" 2>&1); then status=0; else status=$?; fi
  if [ "$status" -ne 0 ] && [[ $out != *"needs to be updated"* ]]; then
    if out=$("$UV" lock --check --quiet --python "$py" 2>&1); then status=0; else status=$?; fi
  fi
  if [ "$status" -ne 0 ]; then
    if [[ $out == *"needs to be updated"* ]]; then
      echo "error: uv.lock does not match pyproject.toml (a dependency was added, removed or" >&2
      echo "its range changed without updating the lock). Run 'make lock' to update uv.lock," >&2
      echo "then commit both files." >&2
    else
      echo "error: could not check uv.lock against pyproject.toml:" >&2
      echo "$out" >&2
    fi
    exit 1
  fi
}

venv() {
  lock_check
  if [ ! -x .venv/bin/python ] || [ ! -f .venv/.installed ] \
     || [ uv.lock -nt .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    local py; py=$(scripts/find-python.sh)
    log "Installing the locked Python packages into .venv (uv sync, $py)"
    "$UV" sync --locked --all-extras --python "$py" --quiet
    touch .venv/.installed
  fi
}

STOP_DB=0
# `database`: the superuser's URL (make bench creates and drops its own database).
# `database roles`: the site connects as a role that owns nothing (DATABASE_URL) and
# migrates as the owner (MIGRATE_DATABASE_URL; metoo_site/dbroles.py), unless the user
# set DATABASE_URL, which is then used for both as it is.
database() {
  log "Finding PostgreSQL"
  local out line; out=$(VENV_PY=.venv/bin/python scripts/ensure-db.sh "$@")
  if [ "${1:-}" = roles ]; then
    while IFS= read -r line; do
      case $line in
        DATABASE_URL=*|MIGRATE_DATABASE_URL=*) export "${line?}" ;;
      esac
    done <<< "$out"
  else
    DATABASE_URL=${out%%$'\n'*}
    export DATABASE_URL
  fi
  # A project-local server this command started is stopped when the command ends;
  # one that was already running is left running.
  [[ $out == *$'\n'started ]] && STOP_DB=1
  echo "    using ${DATABASE_URL}${MIGRATE_DATABASE_URL:+ (migrating as ${MIGRATE_DATABASE_URL})}" >&2
}

stop_db() {
  if [ "$STOP_DB" = 1 ]; then
    VENV_PY=.venv/bin/python scripts/ensure-db.sh stop || true
    STOP_DB=0
  fi
}
trap stop_db EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# As the owner when MIGRATE_DATABASE_URL is set (metoo_site/management/commands/migrate.py).
migrate() {
  log "Migrating"
  .venv/bin/python manage.py migrate --noinput -v 0
}

# Tests run as the owner: the test runner creates the test databases and empties
# tables between tests, which the app's role may not (tests/site/test_database_roles.py
# connects as the app's role to show what it cannot do).
as_owner() {
  if [ -n "${MIGRATE_DATABASE_URL:-}" ]; then
    export DATABASE_URL=$MIGRATE_DATABASE_URL
    unset MIGRATE_DATABASE_URL
  fi
}

bench_tools() {
  local need=()
  type -P wrk >/dev/null || need+=(wrk)
  type -P psql >/dev/null || need+=(postgresql-client)
  type -P redis-cli >/dev/null || need+=(redis-tools)
  # nginx (in front of the site, and the static baseline) and a Redis (the shared cache).
  { type -P nginx || [ -x /usr/sbin/nginx ]; } >/dev/null || need+=(nginx)
  { type -P redis-server || [ -x /usr/bin/redis-server ]; } >/dev/null || need+=(redis-server)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && type -P apt-get >/dev/null; then
      log "Installing ${need[*]} (apt-get)"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      apt-get install -y -qq "${need[@]}" >/dev/null
      # Debian starts the packaged nginx at once; the bench runs its own.
      service nginx stop >/dev/null 2>&1 || true
    else
      echo "error: make bench needs ${need[*]}. Install it, e.g.:" >&2
      echo "  sudo apt-get install ${need[*]}" >&2
      exit 1
    fi
  fi
  # The bench's cache is a database of the Redis on 127.0.0.1:6379 (bench/run.py).
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    log "Starting Redis on 127.0.0.1:6379 for the bench"
    redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --logfile /tmp/metoo-bench-redis.log >/dev/null
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  setup)
    venv; database roles; migrate ;;
  run)
    venv; database roles; migrate
    log "Demo content"
    .venv/bin/python manage.py load_demo --quiet-logins
    .venv/bin/python manage.py collectstatic --noinput -v 0
    log "Serving (Ctrl-C stops)"
    DEBUG=${DEBUG:-1} .venv/bin/python manage.py serve 127.0.0.1:8000 "$@" ;;
  test)
    venv; database roles; as_owner; scripts/ensure-chromium.sh; scripts/ensure-gettext.sh
    export METOO_ENV=test
    log "ruff check"
    .venv/bin/ruff check .
    log "ruff format --check"
    .venv/bin/ruff format --check .
    log "import contracts (lint-imports; the layers of docs/ARCHITECTURE.md)"
    .venv/bin/lint-imports --no-cache
    log "mypy"
    .venv/bin/mypy
    log "makemigrations --check"
    .venv/bin/python manage.py makemigrations --check --dry-run
    log "pytest"
    .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "$@" ;;
  check-html)
    # The Nu Html Checker over every page of tests/html/pages.py, rendered as its
    # persona from demo content in a throwaway database (scripts/check_html.py).
    venv; database roles; as_owner
    jar=$(scripts/ensure-html-checker.sh)
    log "Rendering the pages and checking them (Nu Html Checker)"
    METOO_ENV=test .venv/bin/python scripts/check_html.py "$jar" test-artifacts/html ;;
  bench)
    venv; database; bench_tools
    .venv/bin/python bench/run.py "$@" ;;
  faults)
    venv
    .venv/bin/python bench/faults.py "$@" ;;
  check-lock)
    lock_check ;;
  lock)
    ensure_uv
    log "Updating uv.lock from pyproject.toml (pins that still fit are kept)"
    "$UV" lock --python "$(scripts/find-python.sh)" ;;
  upgrade)
    ensure_uv
    log "Upgrading every locked package to the newest release pyproject.toml allows"
    "$UV" lock --upgrade --python "$(scripts/find-python.sh)" ;;
  db-stop)
    VENV_PY=.venv/bin/python scripts/ensure-db.sh stop ;;
  *)
    echo "usage: scripts/dev.sh setup|run|test|check-html|bench|faults|lock|upgrade|check-lock|db-stop" >&2; exit 2 ;;
esac
