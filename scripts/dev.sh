#!/usr/bin/env bash
# The steps behind `make run`, `make test` and friends. Idempotent: a second run
# skips whatever is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

venv() {
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    local py; py=$(scripts/find-python.sh)
    log "Creating .venv with $py"
    rm -rf .venv
    "$py" -m venv .venv
  fi
  if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    log "Installing Python packages"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet ".[test,lint,redis]"
    rm -rf build ./*.egg-info
    touch .venv/.installed
  fi
}

database() {
  log "Finding PostgreSQL"
  DATABASE_URL=$(VENV_PY=.venv/bin/python scripts/ensure-db.sh)
  export DATABASE_URL
  echo "    using ${DATABASE_URL}" >&2
}

migrate() {
  log "Migrating"
  .venv/bin/python manage.py migrate --noinput -v 0
}

# apt_install PKG...: install Debian packages when we are root and can; returns 1
# (having said nothing) when we cannot, so the caller decides how to fail.
apt_install() {
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "Installing $* (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "$@" >/dev/null
  else
    return 1
  fi
}

chromium() {
  local need=()
  command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || need+=(chromium)
  # Urdu script in screenshots needs a Nastaliq/Naskh font.
  if command -v fc-list >/dev/null 2>&1 && ! fc-list 2>/dev/null | grep -qi "Noto.*Arabic\|Nastaliq"; then
    need+=(fonts-noto-core)
  fi
  [ ${#need[@]} -eq 0 ] && return 0
  if ! apt_install "${need[@]}" && [[ " ${need[*]} " == *" chromium "* ]]; then
    echo "error: the browser tests need Chromium. Install it, e.g.:" >&2
    echo "  sudo apt-get install chromium fonts-noto-core" >&2
    echo "or set CHROMIUM_PATH to a Chromium/Chrome binary." >&2
    exit 1
  fi
}

bench_tools() {
  local need=()
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
  command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
  command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
  [ ${#need[@]} -eq 0 ] && return 0
  if ! apt_install "${need[@]}"; then
    echo "error: make bench needs ${need[*]}. Install it, e.g.:" >&2
    echo "  sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  setup)
    venv; database; migrate ;;
  run)
    venv; database; migrate
    log "Demo content"
    .venv/bin/python manage.py load_demo --quiet-logins
    log "Collecting static files"
    .venv/bin/python manage.py collectstatic --noinput -v 0
    .venv/bin/python manage.py load_demo | sed -n '/Demo logins/,$p'
    log "Serving on http://127.0.0.1:8000 (Ctrl-C stops)"
    DEBUG=${DEBUG:-1} exec .venv/bin/python manage.py runserver 127.0.0.1:8000 "$@" ;;
  test)
    venv; database; chromium
    export METOO_ENV=test
    log "ruff check"
    .venv/bin/ruff check .
    log "ruff format --check"
    .venv/bin/ruff format --check .
    log "makemigrations --check"
    .venv/bin/python manage.py makemigrations --check --dry-run
    log "pytest"
    .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "$@" ;;
  bench)
    venv; database; bench_tools
    exec .venv/bin/python bench/run.py "$@" ;;
  *)
    echo "usage: scripts/dev.sh setup|run|test|bench" >&2; exit 2 ;;
esac
