"""gunicorn's settings for metoo in production, `scripts/cluster.sh` and `make bench`:

    gunicorn metoo_site.wsgi -c deploy/gunicorn.conf.py

Every value can be moved by an environment variable (GUNICORN_<NAME>), so a deployment
changes numbers without editing this file."""

from __future__ import annotations

import gc
import os

from django.urls import get_resolver


def _int(name: str, default: int) -> int:
    raw = os.environ.get(f"GUNICORN_{name}", "")
    return int(raw) if raw.strip() else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request is short and mostly waits on PostgreSQL. Two per core is
# the usual start; the bench machine has 2 cores.
workers = _int("WORKERS", 2)
worker_class = "sync"
# A request that takes longer than this is a bug or an outage: the worker is replaced
# rather than left to hold a connection. The site answers a database outage with a 503
# in about a second (metoo_site/middleware.py), far inside this.
timeout = _int("TIMEOUT", 30)
graceful_timeout = _int("GRACEFUL_TIMEOUT", 20)
keepalive = _int("KEEPALIVE", 5)
# Workers are replaced after this many requests (plus up to the jitter, so they do not
# all restart at once): memory a large request made a worker take is given back.
max_requests = _int("MAX_REQUESTS", 2000)
max_requests_jitter = _int("MAX_REQUESTS_JITTER", 200)
# Request line and header limits; bodies are limited by Django
# (DATA_UPLOAD_MAX_MEMORY_SIZE) and, in front, by nginx's client_max_body_size.
limit_request_line = _int("LIMIT_REQUEST_LINE", 4094)
limit_request_fields = _int("LIMIT_REQUEST_FIELDS", 60)
limit_request_field_size = _int("LIMIT_REQUEST_FIELD_SIZE", 8190)
# Logs to stderr; the process manager (systemd, the cluster script) keeps them.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
# The app is loaded in each worker, not in the master: a worker restarted by
# max_requests starts clean, and the connection pool is never shared across a fork.
preload_app = False
proc_name = os.environ.get("GUNICORN_PROC_NAME", "metoo")
# gunicorn's control socket would be one path in $HOME for every node on a machine;
# nothing here uses it.
control_socket_disable = True

# The garbage collector, once a worker has loaded the site. A Django process holds
# over 100,000 long-lived objects (modules, classes, URL patterns, templates), and
# every full collection walked them all; a page of 2,000 comments holds thousands of
# rows at once, which set off a young collection every 2,000 allocations (Python's
# default) and moved its rows into the older generations to be walked again. Frozen,
# the start-up objects are never walked; with the young generation's threshold at
# 10,000, a request's rows are freed by their reference counts before any collection
# sees them. Collections cost 2.3 ms of CPU in each request for the whole thread of
# 2,000 comments before, about 0.1 ms after (docs/PERFORMANCE.md). Cycles are still
# collected: after 10,000 more allocations than frees instead of 2,000.
gc_threshold = _int("GC_THRESHOLD", 10_000)


def post_worker_init(worker: object) -> None:
    # Every view and template tag the URLs name is imported now, not on the first
    # request, so that it is among the objects frozen.
    get_resolver().url_patterns  # noqa: B018 - imported for its side effect
    gc.freeze()
    if gc_threshold > 0:
        gc.set_threshold(gc_threshold, *gc.get_threshold()[1:])
