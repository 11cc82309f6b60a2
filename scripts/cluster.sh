#!/usr/bin/env bash
# More than one app node, on this machine: nginx in front of two gunicorn nodes
# (deploy/gunicorn.conf.py), a shared PostgreSQL and Redis, and a task worker. What
# production looks like, small, for trying the site as several processes and for
# `make faults`.
#
#   scripts/cluster.sh start           start everything (idempotent), print the address
#   scripts/cluster.sh stop            stop everything it started
#   scripts/cluster.sh status          what runs
#   scripts/cluster.sh stop-node N     kill app node N (1 or 2) at once, as a crash would
#   scripts/cluster.sh start-node N    start app node N again
#   scripts/cluster.sh stop-redis | start-redis
#   scripts/cluster.sh start-nginx | stop-nginx   nginx alone, in front of nodes that
#                                      run already (make bench uses it so)
#
# Settings (environment): CLUSTER_DIR (.cluster), CLUSTER_PORT (nginx, 8080),
# CLUSTER_NODE_PORTS ("8101 8102"), CLUSTER_REDIS_PORT (6391), DATABASE_URL (default:
# scripts/ensure-db.sh with the database metoo_cluster), VENV_PY (.venv/bin/python),
# CLUSTER_STATIC (the folder collectstatic wrote; $CLUSTER_DIR/static).
# nginx and redis-server come from Debian's packages (installed with apt-get when
# missing and the script runs as root). Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=${CLUSTER_DIR:-.cluster}
[[ $DIR = /* ]] || DIR="$ROOT/$DIR"
PORT=${CLUSTER_PORT:-8080}
read -r -a NODE_PORTS <<< "${CLUSTER_NODE_PORTS:-8101 8102}"
REDIS_PORT=${CLUSTER_REDIS_PORT:-6391}
STATIC=${CLUSTER_STATIC:-$DIR/static}
PY=${VENV_PY:-.venv/bin/python}
GUNICORN="$(dirname "$PY")/gunicorn"

log() { printf '==> %s\n' "$*" >&2; }

need() {  # need COMMAND PACKAGE
  type -P "$1" >/dev/null && return 0
  for d in /usr/sbin /sbin; do [ -x "$d/$1" ] && return 0; done
  if [ "$(id -u)" = 0 ] && type -P apt-get >/dev/null; then
    log "Installing $2 (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
    # Debian starts the packaged service at once; this script runs its own.
    service "$2" stop >/dev/null 2>&1 || true
  else
    echo "error: the cluster needs $1 (Debian: sudo apt-get install $2)." >&2
    exit 1
  fi
}

bin() { type -P "$1" || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || echo "/sbin/$1"; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

answers() {  # port
  "$PY" - "$1" <<'PYEOF'
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PYEOF
}

wait_for() {  # port seconds
  for _ in $(seq 1 $(( $2 * 5 ))); do answers "$1" && return 0; sleep 0.2; done
  echo "error: nothing answered on 127.0.0.1:$1 after $2 s; see $DIR/*.log" >&2
  return 1
}

site_env() {
  # $DIR/env is written below; $DIR/env.local, when present, adds or overrides
  # settings (make faults lifts the per-address limits there: one client drives all).
  set -a
  # shellcheck disable=SC1091
  source "$DIR/env"
  # shellcheck disable=SC1091
  [ -f "$DIR/env.local" ] && source "$DIR/env.local"
  set +a
}

write_env() {
  local url=${DATABASE_URL:-}
  if [ -z "$url" ]; then
    url=$(METOO_DB_NAME=metoo_cluster VENV_PY="$PY" scripts/ensure-db.sh | head -1)
  fi
  local secret
  secret=$([ -f "$DIR/secret" ] && cat "$DIR/secret" || "$PY" -c 'import secrets; print(secrets.token_urlsafe(60))')
  echo "$secret" > "$DIR/secret"
  cat > "$DIR/env" <<EOF
METOO_ENV=production
DEBUG=0
SECRET_KEY='$secret'
ALLOWED_HOSTS=127.0.0.1,localhost
SECURE_SSL_REDIRECT=0
SECURE_HSTS_SECONDS=0
SITE_URL=http://127.0.0.1:$PORT
DATABASE_URL='$url'
CACHE_URL=redis://127.0.0.1:$REDIS_PORT/0
CACHE_PREFIX=metoo-cluster
TASKS_IMMEDIATE=0
EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
TRUSTED_PROXY_COUNT=1
STATIC_ROOT='$DIR/static'
LOG_LEVEL=WARNING
EOF
}

start_redis() {
  alive "$DIR/redis.pid" && return 0
  need redis-server redis-server
  log "Redis on 127.0.0.1:$REDIS_PORT"
  "$(bin redis-server)" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --dir "$DIR"
  wait_for "$REDIS_PORT" 10
}

stop_redis() {
  alive "$DIR/redis.pid" || return 0
  kill "$(cat "$DIR/redis.pid")"
  for _ in $(seq 1 50); do alive "$DIR/redis.pid" || break; sleep 0.1; done
  rm -f "$DIR/redis.pid"
}

start_node() {  # N
  local n=$1 port=${NODE_PORTS[$(( $1 - 1 ))]}
  alive "$DIR/node$n.pid" && return 0
  log "App node $n on 127.0.0.1:$port"
  (site_env; GUNICORN_BIND="127.0.0.1:$port" GUNICORN_PROC_NAME="metoo-node$n" \
    GUNICORN_ERRORLOG="$DIR/node$n.log" \
    "$GUNICORN" metoo_site.wsgi -c deploy/gunicorn.conf.py --pid "$DIR/node$n.pid" --daemon)
  wait_for "$port" 30
}

stop_node() {  # N [signal]
  local n=$1 sig=${2:-TERM}
  [ -f "$DIR/node$n.pid" ] || return 0
  local pid; pid=$(cat "$DIR/node$n.pid")
  if [ "$sig" = KILL ]; then
    # A crash: the master and its workers die at once, mid-request.
    pkill -KILL -P "$pid" 2>/dev/null || true
  fi
  kill "-$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$DIR/node$n.pid"
}

start_worker() {
  alive "$DIR/worker.pid" && return 0
  log "Task worker"
  (site_env; setsid "$PY" manage.py db_worker --no-startup-delay --no-reload \
    >> "$DIR/worker.log" 2>&1 < /dev/null & echo $! > "$DIR/worker.pid")
}

write_nginx_conf() {
  local servers="" p
  for p in "${NODE_PORTS[@]}"; do
    servers+="    server 127.0.0.1:$p max_fails=1 fail_timeout=2s;"$'\n'
  done
  mkdir -p "$DIR/nginx-tmp" "$DIR/errors" "$DIR/nginx-cache"
  cp deploy/errors/unavailable.html "$DIR/errors/unavailable.html"
  cat > "$DIR/nginx.conf" <<EOF
# Written by scripts/cluster.sh; edit the script, not this file.
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log warn;
$([ "$(id -u)" = 0 ] && echo "user root;")
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_max_body_size 1m;
  client_body_temp_path $DIR/nginx-tmp/body;
  proxy_temp_path $DIR/nginx-tmp/proxy;
  fastcgi_temp_path $DIR/nginx-tmp/fastcgi;
  uwsgi_temp_path $DIR/nginx-tmp/uwsgi;
  scgi_temp_path $DIR/nginx-tmp/scgi;
  upstream metoo {
$servers    keepalive 32;
  }

  # Article pages for visitors without a session, kept a few seconds (docs/OPERATIONS.md,
  # "More than one app node"). The site says which responses may be kept:
  # "Cache-Control: public, max-age=0, s-maxage=5, stale-while-revalidate=5" on a
  # stranger's article page, "private" on everyone else's.
  proxy_cache_path $DIR/nginx-cache levels=1:2 keys_zone=metoo_pages:10m max_size=512m
                   inactive=10m use_temp_path=off;
  # One copy per encoding the site sends (brotli, gzip, none), whatever else the
  # browser lists; an encoding refused with q=0 is not taken.
  map \$http_accept_encoding \$metoo_encoding {
    default "";
    "~*\\bbr\\b(?!\\s*;\\s*q=0(\\.0*)?(\\s|,|\$))" br;
    "~*\\bgzip\\b(?!\\s*;\\s*q=0(\\.0*)?(\\s|,|\$))" gzip;
  }
  # The interface language of a stranger without its cookie: only headers naming
  # Urdu can get anything but English (accounts.language).
  map \$http_accept_language \$metoo_accept_language {
    default "";
    "~*(^|[\\s,])ur\\b" \$http_accept_language;
  }
  # A session or a message waiting for the reader: their own page, never a kept one.
  map "\$cookie_sessionid\$cookie_messages" \$metoo_personal {
    default 1;
    "" 0;
  }

  server {
    listen 127.0.0.1:$PORT;
    # Static files straight from collectstatic's folder, also when no node answers;
    # the .gz copies collectstatic made go to browsers that take gzip, and names
    # with a content hash in them never change, so browsers keep those a year.
    location /static/ {
      alias $STATIC/;
      gzip_static on;
      expires 30d;
      location ~ "\.[0-9a-f]{12}\.[A-Za-z0-9]+\$" {
        gzip_static on;
        add_header Cache-Control "public, max-age=31536000, immutable";
      }
    }
    location / {
      proxy_pass http://metoo;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # A node that refuses or dies is skipped; a request already sent to it is not
      # sent again unless it was a read (nginx never repeats a POST it delivered).
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 1s;
      proxy_read_timeout 30s;
    }
    # Article pages: as above, and kept for strangers as the site allows.
    location /articles/ {
      proxy_pass http://metoo;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 1s;
      proxy_read_timeout 30s;
      # The site compresses; it is told only the one encoding this copy is for.
      proxy_set_header Accept-Encoding \$metoo_encoding;
      proxy_cache metoo_pages;
      # What a stranger's page depends on besides its address: the encoding, the
      # order they chose last time (a cookie), whether htmx asks for a fragment.
      # These stand in for the Vary header, which would keep a copy per spelling of
      # Accept-Encoding and per Cookie header.
      proxy_cache_key "\$scheme://\$host\$request_uri|\$metoo_encoding|\$cookie_comment_sort|\$cookie_django_language|\$metoo_accept_language|\$http_hx_request";
      proxy_ignore_headers Vary;
      proxy_cache_bypass \$metoo_personal;
      proxy_no_cache \$metoo_personal;
      # An expired copy is checked with If-None-Match: when nothing changed the site
      # answers 304 without rendering, and the copy is good for 5 s more.
      proxy_cache_revalidate on;
      # While one request fetches a missing page the others wait for it; while one
      # checks an expired page the others get the copy (stale-while-revalidate).
      proxy_cache_lock on;
      proxy_cache_lock_timeout 5s;
      proxy_cache_background_update on;
      # When no node answers, a stranger still gets the last copy kept.
      proxy_cache_use_stale error timeout http_502 http_503 http_504;
      add_header X-Cache \$upstream_cache_status always;
    }
    # When no node answers, a page of our own, not nginx's.
    error_page 502 503 504 /_unavailable.html;
    location = /_unavailable.html {
      root $DIR/errors;
      rewrite ^ /unavailable.html break;
      add_header Retry-After 5 always;
      internal;
    }
  }
}
EOF
}

start_nginx() {
  need nginx nginx
  write_nginx_conf
  if alive "$DIR/nginx.pid"; then
    "$(bin nginx)" -c "$DIR/nginx.conf" -s reload
  else
    log "nginx on 127.0.0.1:$PORT"
    "$(bin nginx)" -c "$DIR/nginx.conf"
  fi
  wait_for "$PORT" 10
}

cmd=${1:-}
mkdir -p "$DIR"
case "$cmd" in
  start)
    [ -x "$PY" ] || { echo "error: run 'make setup' first (no $PY)." >&2; exit 1; }
    [ -f "$DIR/env" ] || write_env
    start_redis
    (site_env; "$PY" manage.py migrate --noinput -v 0; "$PY" manage.py collectstatic --noinput -v 0)
    start_node 1; start_node 2; start_worker; start_nginx
    echo "metoo cluster: http://127.0.0.1:$PORT/ (nodes ${NODE_PORTS[*]}, Redis $REDIS_PORT)" ;;
  stop)
    alive "$DIR/nginx.pid" && "$(bin nginx)" -c "$DIR/nginx.conf" -s quit 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$DIR/nginx.pid" || break; sleep 0.1; done
    stop_node 1; stop_node 2
    alive "$DIR/worker.pid" && kill "$(cat "$DIR/worker.pid")" 2>/dev/null || true
    rm -f "$DIR/worker.pid"
    stop_redis ;;
  status)
    for f in nginx node1 node2 worker redis; do
      if alive "$DIR/$f.pid"; then echo "$f: running"; else echo "$f: stopped"; fi
    done ;;
  stop-node) stop_node "${2:?node number}" KILL ;;
  start-node) start_node "${2:?node number}" ;;
  stop-redis) stop_redis ;;
  start-redis) start_redis ;;
  start-nginx) start_nginx ;;
  stop-nginx)
    alive "$DIR/nginx.pid" && "$(bin nginx)" -c "$DIR/nginx.conf" -s quit 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$DIR/nginx.pid" || break; sleep 0.1; done ;;
  *)
    echo "usage: scripts/cluster.sh start|stop|status|stop-node N|start-node N|stop-redis|start-redis|start-nginx|stop-nginx" >&2
    exit 2 ;;
esac
