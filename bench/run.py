#!/usr/bin/env python3
"""`make bench`: the benchmark of issues 6 and 18, start to finish, in one command.

Generates the Disqus datasets with bench/disqus_export.py (the project's own
generator of Disqus exports), resets its own database (metoo_bench), imports them,
keeps their comments open (as a live story's are), and serves the site as in
production: gunicorn with deploy/gunicorn.conf.py (2 workers, DEBUG off) behind
the nginx of docs/OPERATIONS.md (scripts/cluster.sh writes its configuration),
beside a second gunicorn with the thread cache off and, as the peers' baseline,
nginx serving a saved copy of the same pages as static files. Measures with a
single sequential client, with wrk at 16 connections and with Chromium on a
throttled line, in interleaved rounds (--runs, 3 by default), and writes
docs/PERFORMANCE.md: every figure beside its target, with the spread of the rounds.
Only the standard library here; the site's own code runs in subprocesses
(manage.py, bench/setup_django.py, bench/browser.py).

Then the costs of screening a post (bench/model_costs.py, bench/people_costs.py).

Options: --runs N, --quick (one short round, for trying the harness; its report
goes to bench/out/PERFORMANCE-quick.md, not docs/), --port, --keep-db, --report
PATH. BENCH_DB_NAME and BENCH_REDIS_DB move the database and the Redis database it
uses (metoo_bench, 7). A full run (3 rounds) takes about 15-20 minutes on a quiet
machine, --quick about 4.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
STATIC = OUT / "static"  # collectstatic's folder for the bench's servers and nginx
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")
DISQUS_EXPORT = ROOT / "bench" / "disqus_export.py"
DB_NAME = os.environ.get("BENCH_DB_NAME", "metoo_bench")
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "7"))
# Enough that nobody reaches the flood limit (10 comments in 5 minutes) while
# posting for 30 s at up to 300 a second; each round has readers of its own (a
# round takes about 3 minutes, less than the flood window).
READERS = 1000
ACCEPT = "gzip, deflate, br, zstd"  # what Chromium sends

DATASETS = [  # (name, posts, slug, seed); 2,000 uses the generator's default seed
    ("d200", 200, "bench-200", 200),
    ("d2000", 2000, "bench-2000", 20240304),
    ("d10000", 10000, "bench-10000", 10000),
    ("dqueue", 10000, "bench-queue", 777),
]
LIVE = ["bench-200", "bench-2000", "bench-10000"]

# django-comments-xtd's figures, as issue 18 quotes them (one run on an earlier
# machine of this kind, the peers' harness): the ratios use them only when xtd is
# not measured here (--no-xtd). Otherwise bench/xtd/peer.py serves the same exports
# with xtd on this machine, measured in every round beside our figures.
XTD_WHOLE_2000_MS = 615
XTD_WHOLE_2000_RPS = 2.99
XTD_WHOLE_200_RPS = 28.4
XTD_PEER = ROOT / "bench" / "xtd" / "peer.py"
XTD_DB_NAME = f"{DB_NAME}_xtd"

ROUND_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]


def log(msg: str) -> None:
    print(f"[bench] {msg}", flush=True)


def run(cmd: list[str], env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, check=True, text=True, capture_output=True, **kw)


# ---------------------------------------------------------------- environment


def base_db_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/metoo")
    return url.rsplit("/", 1)[0] + "/" + DB_NAME


def psql(url: str, sql: str) -> str:
    admin = url.rsplit("/", 1)[0] + "/postgres"
    return run(["psql", admin, "-qAtc", sql]).stdout.strip()


def site_env(db_url: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "METOO", "CACHE"))}
    env.update(
        METOO_ENV="production",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SITE_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=db_url,
        CACHE_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
        CACHE_PREFIX="metoo-bench",
        TASKS_IMMEDIATE="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="ERROR",
        STATIC_ROOT=str(STATIC),
        # One client address drives every connection, and per-account/per-address
        # request limits are not screening: lifted here (RATE_LIMITS_OFF is meant for
        # benchmarks). Screening rules, flood rule included, stay on.
        RATE_LIMITS_OFF="1",
        TRUSTED_PROXY_COUNT="0",
    )
    return env


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
    }


def versions(env: dict[str, str]) -> dict[str, str]:
    out = run(
        [PY, "-c", "import sys, django, gunicorn, psycopg; "
         "print(sys.version.split()[0], django.get_version(), gunicorn.__version__, "
         "psycopg.__version__)"],
        env=env,
    ).stdout.split()  # fmt: skip
    pg = psql(env["DATABASE_URL"], "show server_version").split()[0]
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    wrk_v = (wrk.stdout + wrk.stderr).split()[1] if (wrk.stdout + wrk.stderr).strip() else "?"
    nginx = subprocess.run([nginx_bin(), "-v"], capture_output=True, text=True).stderr
    chromium = subprocess.run([chromium_bin(), "--version"], capture_output=True, text=True)
    return {
        "Python": out[0],
        "Django": out[1],
        "gunicorn": out[2],
        "psycopg": out[3],
        "PostgreSQL": pg,
        "Redis": run(["redis-cli", "info", "server"]).stdout.split("redis_version:")[1].split()[0],
        "nginx": nginx.strip().split("/")[-1],
        "Chromium": (chromium.stdout.split() or ["?", "?"])[1],
        "wrk": wrk_v,
    }


def nginx_bin() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def chromium_bin() -> str:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or "chromium"
    )


# ---------------------------------------------------------------- measuring


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        s = sorted(self.samples)
        return s[min(len(s) - 1, int(len(s) * 0.95))] * 1000


def get(
    conn: http.client.HTTPConnection, path: str, cookie: str = "", headers: dict | None = None
) -> tuple[int, bytes, http.client.HTTPResponse]:
    sent = dict(headers or {})
    if cookie:
        sent["Cookie"] = f"sessionid={cookie}"
    conn.request("GET", path, headers=sent)
    resp = conn.getresponse()
    return resp.status, resp.read(), resp


def single_client(
    port: int, path: str, n: int, cookie: str = "", before=None, headers: dict | None = None
) -> Timing:
    """n sequential requests on one keep-alive connection; `before` runs before
    each one, outside the timing (e.g. to empty the cache)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    timing = Timing()
    get(conn, path, cookie, headers)  # connect and warm the worker
    for _ in range(n):
        if before:
            before()
        start = time.perf_counter()
        status, _, _ = get(conn, path, cookie, headers)
        timing.samples.append(time.perf_counter() - start)
        timing.statuses.add(status)
    conn.close()
    return timing


@dataclass
class WrkResult:
    rps: float
    latency_p50: str
    non_2xx: int
    errors: int
    raw: str


def wrk(port: int, path: str, seconds: int, cookie: str = "", script: str = "", env=None):
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    if cookie:
        cmd += ["-H", f"Cookie: sessionid={cookie}"]
    if script:
        cmd += ["-s", script]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(cmd, capture_output=True, text=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return WrkResult(
        rps=rps,
        latency_p50=p50.group(1) if p50 else "?",
        non_2xx=int(non2xx.group(1)) if non2xx else 0,
        errors=sum(int(x) for x in errs.groups()) if errs else 0,
        raw=out,
    )


# ---------------------------------------------------------------- the run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="interleaved rounds (default 3)")
    ap.add_argument("--quick", action="store_true", help="one short round (harness check)")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--keep-db", action="store_true", help="leave the database afterwards")
    ap.add_argument(
        "--no-xtd",
        action="store_true",
        help="do not serve django-comments-xtd (bench/xtd); quote issue 18's xtd figures",
    )
    ap.add_argument(
        "--report",
        type=Path,
        help="where to write the report "
        "(docs/PERFORMANCE.md; bench/out/PERFORMANCE-quick.md with --quick)",
    )
    args = ap.parse_args()
    report = args.report or (
        OUT / "PERFORMANCE-quick.md" if args.quick else ROOT / "docs" / "PERFORMANCE.md"
    )
    runs = 1 if args.quick else max(1, args.runs)
    plan = Plan(
        secs=3 if args.quick else 10,
        post_secs=5 if args.quick else 30,
        n_fast=15 if args.quick else 100,
        n_slow=5 if args.quick else 20,
        loads=1 if args.quick else 2,
        xtd_single=3 if args.quick else 5,
        xtd_secs=10 if args.quick else 20,
    )

    for tool in ("wrk", "psql", "redis-cli"):
        if not shutil.which(tool):
            sys.exit(f"bench needs {tool} on the PATH (e.g. apt-get install wrk postgresql-client)")
    if not shutil.which(nginx_bin()):
        sys.exit(
            "bench needs nginx (apt-get install nginx; scripts/cluster.sh installs it as root)"
        )
    if not shutil.which(chromium_bin()):
        subprocess.run(["scripts/ensure-chromium.sh"], cwd=ROOT, check=True)

    db_url = base_db_url()
    env = site_env(db_url, args.port)
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {"machine": machine(), "runs": runs}

    log("generating datasets")
    imports_of_2000 = [
        (f"d2000-r{i}", 2000, f"bench-2000-r{i}", 20240304 + i) for i in range(2, runs + 1)
    ]
    for name, posts, slug, seed in DATASETS + imports_of_2000:
        path = OUT / f"{name}.xml"
        if not path.exists():
            run([sys.executable, str(DISQUS_EXPORT), "--posts-per-thread", str(posts),
                 "--slug", slug, "--seed", str(seed), "-o", str(path)])  # fmt: skip

    log(f"resetting database {DB_NAME}")
    psql(db_url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    psql(db_url, f"CREATE DATABASE {DB_NAME}")
    # What docs/OPERATIONS.md asks of a production database on SSD or in memory.
    psql(db_url, f"ALTER DATABASE {DB_NAME} SET random_page_cost = 1.1")
    flush_cache()  # entries of an earlier run name rows of the database just dropped
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT)
    run([PY, "manage.py", "createcachetable"], env=env, cwd=ROOT)
    run(
        [PY, "manage.py", "shell", "-c",
         "from articles.models import Section; "
         "Section.objects.get_or_create(slug='bench', defaults={'name': 'Bench'})"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    results["versions"] = versions(env)
    # A release compiles its Python once (docs/OPERATIONS.md); on a machine that
    # sets PYTHONDONTWRITEBYTECODE every process would compile the site again.
    run([PY, "-m", "compileall", "-q", "accounts", "articles", "comments", "moderation",
         "core", "metoo_site"], cwd=ROOT)  # fmt: skip

    log("importing")
    imports: dict[str, list[tuple[float, float]]] = {}
    for name, posts, _slug, _seed in DATASETS + imports_of_2000:
        wall, inner = import_export(OUT / f"{name}.xml", posts, env)
        imports.setdefault(name.split("-")[0], []).append((wall, inner))
        log(f"  {name}: {posts} posts in {wall:.2f} s ({inner:.2f} s without process start)")
    results["imports"] = imports
    run([PY, "bench/setup_django.py", "pending", "bench-queue"], env=env, cwd=ROOT)
    people = run([PY, "bench/setup_django.py", "people", str(OUT), str(READERS * runs)],
                 env=env, cwd=ROOT)  # fmt: skip
    log("  " + people.stdout.strip())
    log("  " + run([PY, "bench/setup_django.py", "live", *LIVE], env=env, cwd=ROOT).stdout.strip())
    moderator = (OUT / "moderator.txt").read_text().strip()
    sessions = (OUT / "sessions.txt").read_text().splitlines()
    reader_cookie = sessions[0].split()[0]
    for i in range(runs):
        (OUT / f"sessions-{i}.txt").write_text(
            "\n".join(sessions[i * READERS : (i + 1) * READERS]) + "\n"
        )
        # A stamp is good for one comment, and only from 2 s after it was made (a
        # form sent sooner is a bot's): each round's are made now, well before.
        run([PY, "bench/setup_django.py", "stamps", str(OUT / f"stamps-{i}.txt"), "20000"],
            env=env, cwd=ROOT)  # fmt: skip
    shutil.rmtree(STATIC, ignore_errors=True)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT)
    run(["psql", db_url, "-qc", "VACUUM ANALYZE"])
    xtd_url = db_url.rsplit("/", 1)[0] + "/" + XTD_DB_NAME
    xtd_paths: dict[str, str] = {}
    if not args.no_xtd:
        log(f"django-comments-xtd: the 200 and 2,000-post exports into {XTD_DB_NAME}")
        xtd_paths = xtd_setup(xtd_url)
        results["xtd_versions"] = xtd_versions()

    ports = Ports(app=args.port, uncached=args.port + 1, nginx=args.port + 10, xtd=args.port + 20)
    log("starting gunicorn (2 workers, cached), gunicorn (thread cache off) and nginx")
    try:
        with serving(env, ports.app), serving(dict(env, THREAD_CACHE="0"), ports.uncached), \
                nginx(ports), serving_xtd(xtd_url, ports.xtd, on=bool(xtd_paths)):  # fmt: skip
            save_baselines(ports.app)
            paths = find_pages(ports.app)
            rounds = []
            for i in range(runs):
                log(f"round {i + 1} of {runs}")
                if xtd_paths:
                    log("  django-comments-xtd: whole thread, 2,000 and 200 posts")
                    xtd = measure_xtd(plan, ports.xtd, xtd_paths)
                round_ = measure_round(i, plan, ports, paths, moderator, reader_cookie, env)
                if xtd_paths:
                    round_["xtd"] = xtd
                rounds.append(round_)
            results["rounds"] = rounds
            results["paths"] = paths
    finally:
        if not args.keep_db:
            psql(db_url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            psql(db_url, f"DROP DATABASE IF EXISTS {XTD_DB_NAME} WITH (FORCE)")
    # With the servers stopped: each makes (and drops) a database of its own.
    results["costs"] = other_costs(runs, env, quick=args.quick)
    (OUT / "results.json").write_text(json.dumps(results, default=_jsonable, indent=1))
    write_report(results, plan, quick=args.quick, out=report)
    return 0


def _jsonable(value: object) -> object:
    return sorted(value) if isinstance(value, set) else value.__dict__


@dataclass
class Plan:
    secs: int  # each wrk run
    post_secs: int  # the posting run
    n_fast: int  # single-client requests to a fast page
    n_slow: int  # ... to a slow one
    loads: int  # browser loads a round
    xtd_single: int  # single-client requests to xtd's 2,000-post page (1-2 s each)
    xtd_secs: int  # wrk on xtd's 2,000-post page (a request or so a second)


@dataclass
class Ports:
    app: int  # gunicorn, thread cache on
    uncached: int  # gunicorn, THREAD_CACHE=0
    nginx: int  # in front of `app`, and the static baseline
    xtd: int  # django-comments-xtd (bench/xtd/peer.py)


def import_export(path: Path, posts: int, env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    out = run(
        [PY, "manage.py", "import_disqus", str(path), "--create-articles", "bench"],
        env=env, cwd=ROOT,
    ).stdout  # fmt: skip
    wall = time.perf_counter() - start
    inner = float(re.search(r"Done in ([\d.]+) s", out).group(1))
    new = int(re.search(r"(\d+) new \(", out).group(1))
    if new != posts:
        sys.exit(f"import of {path.name} created {new} comments, expected {posts}:\n{out}")
    return wall, inner


@contextmanager
def serving(env: dict[str, str], port: int):
    """gunicorn with 2 sync workers on 127.0.0.1:port for the duration."""
    # The production configuration (deploy/gunicorn.conf.py), on the bench's port.
    server = subprocess.Popen(
        [GUNICORN, "metoo_site.wsgi", "-c", "deploy/gunicorn.conf.py"],
        env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
                   "GUNICORN_ERRORLOG": str(OUT / f"gunicorn-{port}.log")},
        cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                if get(conn, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            sys.exit(f"gunicorn did not answer /healthz; see bench/out/gunicorn-{port}.log")
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@contextmanager
def nginx(ports: Ports):
    """The nginx of docs/OPERATIONS.md ("More than one app node"), as
    scripts/cluster.sh writes it, in front of the cached server."""
    cluster = dict(
        os.environ,
        CLUSTER_DIR=str(OUT / "nginx"),
        CLUSTER_PORT=str(ports.nginx),
        CLUSTER_NODE_PORTS=str(ports.app),
        CLUSTER_STATIC=str(STATIC),
        VENV_PY=PY,
    )
    shutil.rmtree(OUT / "nginx" / "nginx-cache", ignore_errors=True)
    run(["scripts/cluster.sh", "start-nginx"], env=cluster, cwd=ROOT)
    try:
        yield
    finally:
        subprocess.run(["scripts/cluster.sh", "stop-nginx"], env=cluster, cwd=ROOT,
                       capture_output=True)  # fmt: skip


def xtd_setup(db_url: str) -> dict[str, str]:
    """bench/xtd/peer.py's venv (pinned, hashed), database and the 2,000 and 200-post
    exports loaded as xtd comments; the page of each, by dataset name."""
    out = run(
        [PY, str(XTD_PEER), "setup", "--db-url", db_url,
         "--export", f"d2000={OUT / 'd2000.xml'}", "--export", f"d200={OUT / 'd200.xml'}"],
        cwd=ROOT,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def xtd_versions() -> dict[str, str]:
    out = run(
        [str(OUT / "xtd-venv" / "bin" / "python"), "-c",
         "import django, django_comments_xtd as x; print(django.get_version(), x.get_version())"],
    ).stdout.split()  # fmt: skip
    return {"Django": out[0], "django-comments-xtd": out[1]}


@contextmanager
def serving_xtd(db_url: str, port: int, *, on: bool):
    """xtd's site under gunicorn (2 sync workers, DEBUG off) on 127.0.0.1:port."""
    if not on:
        yield None
        return
    server = subprocess.Popen(
        [PY, str(XTD_PEER), "serve", "--db-url", db_url, "--port", str(port),
         "--error-log", str(OUT / "xtd-gunicorn.log")],
        cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    try:
        if not idle(port, limit=30):
            sys.exit("xtd's gunicorn did not answer /healthz; see bench/out/xtd-gunicorn.log")
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def idle(port: int, *, limit: float) -> bool:
    """Whether the server answers /healthz at once, twice in a row, within `limit`
    seconds: after wrk stops, a slow server still has the queued requests of its 16
    connections to answer, which must not land in the next measurement."""
    deadline, quick = time.monotonic() + limit, 0
    while time.monotonic() < deadline and quick < 2:
        start = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=limit)
            ok = get(conn, "/healthz")[0] == 200
            conn.close()
        except OSError:
            ok = False
            time.sleep(0.2)
        quick = quick + 1 if ok and time.perf_counter() - start < 0.2 else 0
    return quick >= 2


def measure_xtd(plan: Plan, port: int, paths: dict[str, str]) -> dict[str, object]:
    """xtd's whole thread (its page shows every comment) as ours is measured: one
    client, then wrk at 16 connections, each waiting for the server to be idle."""
    r: dict[str, dict[int, object]] = {"single": {}, "wrk": {}}
    for posts, n, secs in ((2000, plan.xtd_single, plan.xtd_secs), (200, plan.n_slow, plan.secs)):
        path = paths[f"d{posts}"]
        r["single"][posts] = single_client(port, path, n)
        r["wrk"][posts] = wrk(port, path, secs)
        if not idle(port, limit=120):
            sys.exit("xtd's gunicorn did not become idle after wrk")
    return r


def flush_cache() -> None:
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], capture_output=True)


BASELINES = {"whole-200": "/articles/bench-200/all/", "whole-2000": "/articles/bench-2000/all/"}


def save_baselines(port: int) -> None:
    """The peers' baseline: the same pages, saved once and served by nginx as
    static files (uncompressed, as wrk asks for them)."""
    folder = STATIC / "baseline"
    folder.mkdir(parents=True, exist_ok=True)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for name, path in BASELINES.items():
        status, body, _ = get(conn, path)
        if status != 200:
            sys.exit(f"{path} answered {status}")
        (folder / f"{name}.html").write_bytes(body)


def find_pages(port: int) -> dict[str, object]:
    """The last page of the 10,000-post thread at the default 50 threads a page,
    found by following each page's own "Show more" link (after=cursor)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    path = "/articles/bench-10000/"
    page = 1
    counts = {}
    while True:
        status, body, _ = get(conn, path)
        counts[page] = body.count(b'<li id="c')
        found = re.search(rb'href="([^"]*?(?:\?|&amp;|&)after=[^"#]+)', body)
        if status != 200 or not found:
            break
        nxt = found.group(1).decode().replace("&amp;", "&")
        path = nxt if nxt.startswith("/") else f"/articles/bench-10000/{nxt}"
        page += 1
    return {
        "late_path": path,
        "late_no": page,
        "first_comments": counts[1],
        "late_comments": counts[page],
    }


def measure_round(i, plan, ports, paths, moderator, reader_cookie, env) -> dict[str, object]:
    r: dict[str, object] = {}
    up, app, ngx = ports.uncached, ports.app, ports.nginx
    ae = {"Accept-Encoding": ACCEPT}

    log("  whole thread, thread cache off: 200, 2,000 and 10,000 posts")
    r["whole_uncached"] = {
        n: single_client(up, f"/articles/bench-{n}/all/", k)
        for n, k in ((200, plan.n_fast), (2000, plan.n_slow), (10000, max(5, plan.n_slow // 2)))
    }
    r["whole_uncached_br"] = single_client(up, "/articles/bench-2000/all/", plan.n_slow, headers=ae)
    r["whole_flushed"] = single_client(
        app, "/articles/bench-2000/all/", plan.n_slow, before=flush_cache
    )
    r["page_uncached"] = {
        "first": single_client(up, "/articles/bench-10000/", plan.n_slow),
        "late": single_client(up, paths["late_path"], plan.n_slow),
    }
    r["wrk_uncached"] = {n: wrk(up, f"/articles/bench-{n}/all/", plan.secs) for n in (200, 2000)}

    log("  through nginx, and nginx serving the saved copies")
    r["wrk_nginx"] = {n: wrk(ngx, f"/articles/bench-{n}/all/", plan.secs) for n in (200, 2000)}
    r["wrk_static"] = {
        n: wrk(ngx, f"/static/baseline/whole-{n}.html", plan.secs) for n in (200, 2000)
    }
    r["nginx_single"] = single_client(ngx, "/articles/bench-2000/all/", plan.n_fast)
    text = f"In the {ROUND_WORDS[i % 8]} round, a new comment"
    r["visible"] = {
        "comment": visibility(ngx, "bench-2000", ["post", "bench-2000", text], env),
        "decision": visibility(ngx, "bench-queue", ["approve", "bench-queue"], env),
    }

    log("  the cached site directly: article page, whole thread, late page, 304")
    r["article_single"] = single_client(app, "/articles/bench-2000/", plan.n_fast)
    r["article_wrk"] = wrk(app, "/articles/bench-2000/", plan.secs)
    r["article_cold"] = single_client(app, "/articles/bench-2000/", plan.n_slow, before=flush_cache)
    r["article_reader"] = single_client(
        app, "/articles/bench-2000/", plan.n_fast, cookie=reader_cookie
    )
    r["whole_cached"] = single_client(app, "/articles/bench-2000/all/", plan.n_fast)
    r["page_cached"] = {
        "first": single_client(app, "/articles/bench-10000/", plan.n_fast),
        "late": single_client(app, paths["late_path"], plan.n_fast),
    }
    r["not_modified"] = not_modified(app, "/articles/bench-2000/", plan.n_fast)

    log("  bytes on the wire, and a reader's browser on slow 4G")
    r["bytes"] = {
        "whole_br": wire_bytes(ngx, "/articles/bench-2000/all/", ACCEPT),
        "whole_gzip": wire_bytes(ngx, "/articles/bench-2000/all/", "gzip, deflate"),
        "whole_plain": wire_bytes(ngx, "/articles/bench-2000/all/", ""),
        "page_br": wire_bytes(ngx, "/articles/bench-2000/", ACCEPT),
        "page_gzip": wire_bytes(ngx, "/articles/bench-2000/", "gzip, deflate"),
        "page_plain": wire_bytes(ngx, "/articles/bench-2000/", ""),
    }
    r["browser"] = browser(f"http://127.0.0.1:{ngx}/articles/bench-2000/", plan.loads)

    log("  moderation queue, 10,000 pending")
    r["queue_single"] = single_client(app, "/moderation/", plan.n_slow * 2, cookie=moderator)
    r["queue_wrk"] = wrk(app, "/moderation/", plan.secs, cookie=moderator)

    log(f"  posting for {plan.post_secs} s at 16 connections")
    r["posting"] = posting(i, plan, app, env)
    # Thousands of new rows: PostgreSQL's autovacuum would tidy them up during the
    # next round's measurements; done here, between rounds, instead.
    run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"])
    return r


def other_costs(runs: int, env: dict[str, str], *, quick: bool) -> dict[str, object]:
    """What the moderation model (issue 17, bench/model_costs.py) and the people in
    the story (issue 19, bench/people_costs.py) cost a post, each run `runs` times
    by its own script, against a database of its own on the same server."""
    sizes = ["--decisions", "5000", "--comments", "200"] if quick else []
    log(f"moderation model: scoring in screening, training ({runs} runs)")
    model_json = OUT / "model_costs.json"
    model_json.unlink(missing_ok=True)
    run([PY, "bench/model_costs.py", "--runs", str(runs), "--json", str(model_json), *sizes],
        env=env, cwd=ROOT)  # fmt: skip
    log("people in the story: 500 names listed on the article")
    people_json = OUT / "people_costs.json"
    people_json.unlink(missing_ok=True)
    # In-process memory for its cache (its own choice, so Redis moves nothing).
    people_env = {k: v for k, v in env.items() if k != "CACHE_URL"}
    sizes = ["--comments", "200", "--screens", "100"] if quick else []
    # Exits 1 when the target is missed: the figures are reported all the same.
    subprocess.run(
        [PY, "bench/people_costs.py", "--runs", str(runs), "--json", str(people_json), *sizes],
        env=people_env, cwd=ROOT, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if not people_json.exists():
        sys.exit("bench/people_costs.py wrote no figures; run it alone to see why")
    return {
        "model": json.loads(model_json.read_text()),
        "people": json.loads(people_json.read_text()),
    }


def not_modified(port: int, path: str, n: int) -> Timing:
    """A repeat visit: the same page asked for with the ETag of the copy in hand."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    _, _, resp = get(conn, path, headers={"Accept-Encoding": ACCEPT})
    etag = resp.getheader("ETag") or ""
    conn.close()
    return single_client(port, path, n, headers={"Accept-Encoding": ACCEPT, "If-None-Match": etag})


def wire_bytes(port: int, path: str, accept: str) -> dict[str, object]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    get(conn, path, headers={"Accept-Encoding": accept})  # a miss fills the cache
    _, body, resp = get(conn, path, headers={"Accept-Encoding": accept})
    head = sum(len(k) + len(v) + 4 for k, v in resp.getheaders()) + 17
    return {
        "body": len(body),
        "headers": head,
        "encoding": resp.getheader("Content-Encoding") or "",
    }


def browser(url: str, loads: int) -> list[dict[str, object]]:
    out = run([PY, "bench/browser.py", url, str(loads)], cwd=ROOT, timeout=300).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def heading_count(port: int, slug: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    _, body, _ = get(conn, f"/articles/{slug}/")
    conn.close()
    found = re.search(rb'<h2 id="comments-heading">([\d,]+) comment', body)
    return int(found.group(1).replace(b",", b"")) if found else -1


def visibility(port: int, slug: str, change: list[str], env: dict[str, str]) -> float:
    """Seconds from a change's commit (a new comment, a moderator's approval, made
    through the services by bench/setup_django.py) until a visitor without a
    session sees it through nginx, asking every 0.1 s. The page is in nginx's cache
    beforehand, as a busy article's always is."""
    before = heading_count(port, slug)
    for _ in range(3):
        heading_count(port, slug)
        time.sleep(0.3)
    done = run([PY, "bench/setup_django.py", *change], env=env, cwd=ROOT).stdout.split()
    committed = float(done[0])
    while time.time() - committed < 30:
        if heading_count(port, slug) != before:
            return time.time() - committed
        time.sleep(0.1)
    return float("inf")


def posting(i: int, plan: Plan, port: int, env: dict[str, str]) -> dict[str, object]:
    slug = (OUT / "post_slug.txt").read_text().strip()
    for old in OUT.glob("accepted.*"):
        old.unlink()
    stamps = OUT / f"stamps-{i}.txt"
    post_env = dict(
        os.environ,
        BENCH_SESSIONS=str(OUT / f"sessions-{i}.txt"),
        BENCH_STAMPS=str(stamps),
        BENCH_ROUND=f"{ROUND_WORDS[i % 8]}+",
        BENCH_PATH=f"/comments/post/{slug}/",
        BENCH_IDS=str(OUT / "accepted"),
    )
    counted = run([PY, "bench/setup_django.py", "count", slug], env=env, cwd=ROOT)
    rows_before, distinct_before = (int(x) for x in counted.stdout.split()[:2])
    res = wrk(port, f"/comments/post/{slug}/", plan.post_secs,
              script=str(ROOT / "bench" / "post.lua"), env=post_env)  # fmt: skip
    counts = re.search(r"BENCH accepted=(\d+) refused=(\d+) errors=(\d+)", res.raw)
    id_files = [str(f) for f in sorted(OUT.glob("accepted.*"))]
    counted = run([PY, "bench/setup_django.py", "count", slug, *id_files], env=env, cwd=ROOT)
    stored, distinct, ids, unique_ids, found = (int(x) for x in counted.stdout.split())
    return {
        "seconds": plan.post_secs,
        "accepted": int(counts.group(1)),
        "refused": int(counts.group(2)),
        "errors": int(counts.group(3)) + res.errors,
        "stored": stored - rows_before,
        "distinct": distinct - distinct_before,
        # Every id a 302 named: unique, and each found in the table.
        "ids": ids,
        "unique_ids": unique_ids,
        "found": found,
    }


# ---------------------------------------------------------------- the report


def spread(values: list[float], fmt: Callable[[float], str]) -> str:
    """The median of the rounds, and their range when there is more than one."""
    text = fmt(statistics.median(values))
    if len(values) > 1:
        text += f" ({fmt(min(values))}-{fmt(max(values))})"
    return text


def verdict(values: list[float], good: Callable[[float], bool]) -> str:
    held = sum(1 for v in values if good(v))
    if held == len(values):
        return "met"
    if good(statistics.median(values)):
        return f"met in {held} of {len(values)} runs"
    return "**missed**"


def write_report(r: dict, plan: Plan, quick: bool, out: Path) -> None:
    rounds = r["rounds"]
    n = len(rounds)

    def each(pick: Callable[[dict], float]) -> list[float]:
        return [pick(x) for x in rounds]

    def ms(v: float) -> str:
        return f"{v:.1f} ms"

    def rps(v: float) -> str:
        return f"{v:,.0f} req/s" if v >= 100 else f"{v:.1f} req/s"

    def kb(v: float) -> str:
        return f"{v / 1024:.0f} KB" if v >= 10240 else f"{v / 1024:.1f} KB"

    def sec(v: float) -> str:
        return f"{v:.2f} s"

    def pct(v: float) -> str:
        return f"{v:.0f}%"

    def times(v: float) -> str:
        return f"{v:.0f}x"

    def statuses(pick: Callable[[dict], Timing]) -> str:
        seen = set().union(*(pick(x).statuses for x in rounds))
        return "" if seen <= {200, 304} else f" but HTTP {', '.join(map(str, sorted(seen)))}"

    def per_comment(posts: int) -> float:
        return (
            statistics.median(each(lambda x: x["whole_uncached"][posts].median_ms)) / posts * 1000
        )

    rows: list[tuple[str, str, str, str]] = []

    def row(name, target, values, fmt, good, extra=""):
        rows.append((name, target, spread(values, fmt) + extra, verdict(values, good)))

    # Issue 18. Each round's ratio is to xtd measured in that round, when it was.
    measured_xtd = all("xtd" in x for x in rounds)
    u2000 = each(lambda x: x["wrk_uncached"][2000].rps)
    for posts, target in ((2000, 40), (200, 20)):
        ours = each(lambda x, p=posts: x["wrk_uncached"][p].rps)
        if measured_xtd:
            theirs = each(lambda x, p=posts: x["xtd"]["wrk"][p].rps)
            against = f"django-comments-xtd's, measured in the same round ({spread(theirs, rps)})"
        else:
            theirs = [XTD_WHOLE_2000_RPS if posts == 2000 else XTD_WHOLE_200_RPS] * n
            against = f"xtd's {theirs[0]} req/s (issue 18's figure)"
        row(f"Whole thread, {posts:,} posts, thread cache off, 16 connections: times {against}",
            f">= {target}x", [a / b for a, b in zip(ours, theirs, strict=True)], times,
            lambda v, t=target: v >= t, f"; {spread(ours, rps)}")  # fmt: skip
    single = each(lambda x: x["whole_uncached"][2000].median_ms)
    xtd_single = (
        f"xtd here: {spread(each(lambda x: x['xtd']['single'][2000].median_ms), ms)}"
        if measured_xtd
        else f"xtd: {XTD_WHOLE_2000_MS} ms"
    )
    row(f"Whole thread, 2,000 posts, thread cache off, one client ({xtd_single})",
        "<= 15 ms", single, ms, lambda v: v <= 15,
        statuses(lambda x: x["whole_uncached"][2000]))  # fmt: skip
    for posts, target in ((2000, 50), (200, 10)):
        shares = [100 * x["wrk_nginx"][posts].rps / x["wrk_static"][posts].rps for x in rounds]
        row(f"Whole thread, {posts:,} posts, cached, through nginx: share of nginx serving "
            "the saved page", f">= {target}%", shares, pct, lambda v, t=target: v >= t,
            f"; {spread(each(lambda x, p=posts: x['wrk_nginx'][p].rps), rps)} against "
            f"{spread(each(lambda x, p=posts: x['wrk_static'][p].rps), rps)}")  # fmt: skip
    row(
        "Whole thread, 2,000 posts, on the wire (brotli, as Chromium asks)",
        "<= 150 KB",
        each(lambda x: x["bytes"]["whole_br"]["body"]),
        kb,
        lambda v: v <= 150 * 1024,
    )
    row(
        "Article page, 2,000 posts, default page, on the wire (brotli)",
        "<= 60 KB",
        each(lambda x: x["bytes"]["page_br"]["body"]),
        kb,
        lambda v: v <= 60 * 1024,
    )
    lcps = [load["lcp_ms"] / 1000 for x in rounds for load in x["browser"]]
    loaded = [load["bytes"] for x in rounds for load in x["browser"]]
    rows.append(("Article page, 2,000 posts: largest contentful paint in Chromium on slow 4G "
                 f"(150 ms, 1.6 Mbit/s; {len(lcps)} loads)", "<= 2.5 s",
                 spread(lcps, sec) + f"; {spread(loaded, kb)} in all",
                 verdict(lcps, lambda v: v <= 2.5)))  # fmt: skip
    row("Import of 2,000 posts, whole command (process start included)", "<= 0.6 s",
        [w for w, _ in r["imports"]["d2000"]], sec, lambda v: v <= 0.6,
        f"; the import itself {spread([i for _, i in r['imports']['d2000']], sec)}")  # fmt: skip
    seen = [v for x in rounds for v in x["visible"].values()]
    row(
        "A new comment or a moderator's approval seen by a visitor without a session, "
        "through nginx",
        "within a few seconds (<= 10 s)",
        seen,
        sec,
        lambda v: v <= 10,
    )
    issue18 = list(rows)

    # Issue 6, as before.
    rows = []
    row("Article page, 2,000 posts: single client median", "<= 25 ms",
        each(lambda x: x["article_single"].median_ms), ms, lambda v: v <= 25,
        statuses(lambda x: x["article_single"]))  # fmt: skip
    row(
        "Article page, 2,000 posts: 16 connections",
        ">= 200 req/s",
        each(lambda x: x["article_wrk"].rps),
        rps,
        lambda v: v >= 200,
    )
    row("Whole-thread page, 2,000 posts: single client, uncached (cache emptied before "
        "each request)", "<= 90 ms", each(lambda x: x["whole_flushed"].median_ms), ms,
        lambda v: v <= 90)  # fmt: skip
    row(
        "Whole-thread page, 2,000 posts: single client, cached",
        "<= 10 ms",
        each(lambda x: x["whole_cached"].median_ms),
        ms,
        lambda v: v <= 10,
    )
    row(
        "Whole-thread page, 2,000 posts: 16 connections, uncached",
        ">= 25 req/s",
        u2000,
        rps,
        lambda v: v >= 25,
    )
    row(
        "Import of 2,000 posts (whole command, incl. process start)",
        "<= 1.5 s",
        [w for w, _ in r["imports"]["d2000"]],
        sec,
        lambda v: v <= 1.5,
    )
    row("Moderation queue, 10,000 pending: single client median", "<= 50 ms",
        each(lambda x: x["queue_single"].median_ms), ms, lambda v: v <= 50,
        statuses(lambda x: x["queue_single"]))  # fmt: skip
    posts = [x["posting"] for x in rounds]
    rates = [p["accepted"] / p["seconds"] for p in posts]
    # Requests still in flight when wrk stops are stored but never counted by wrk,
    # so up to 16 more rows than answers is expected; each answer must be a row.
    exact = all(
        p["ids"] == p["accepted"] == p["unique_ids"] == p["found"]
        and p["stored"] == p["distinct"]
        and p["accepted"] <= p["stored"] <= p["accepted"] + 16
        for p in posts
    )
    trouble = sum(p["errors"] + p["refused"] for p in posts)
    rows.append((f"Posting through screening, {posts[0]['seconds']} s at 16 connections",
                 ">= 100 comments/s, no errors, each stored once",
                 f"{spread(rates, lambda v: f'{v:.0f}')} comments/s; "
                 f"{sum(p['accepted'] for p in posts)} accepted, each found once: {exact}; "
                 f"{sum(p['refused'] for p in posts)} refused, "
                 f"{sum(p['errors'] for p in posts)} errors",
                 verdict(rates, lambda v: v >= 100) if exact and not trouble
                 else "**missed**"))  # fmt: skip
    issue6 = rows

    # Issues 17 and 19: what screening a post costs, from their own scripts.
    rows = []
    model, people = r["costs"]["model"], r["costs"]["people"]
    row("Moderation model: scoring a comment in screening, p95 (model loaded; "
        f"{model['comments']:,} comments a run)", f"<= {model['score_target_ms']:g} ms",
        model["score_p95_ms"], lambda v: f"{v:.2f} ms", lambda v: v <= model["score_target_ms"],
        f"; screening whole, p95: {spread(model['screening_with_p95_ms'], ms)} with the "
        f"model, {spread(model['screening_without_p95_ms'], ms)} without")  # fmt: skip
    row(f"Moderation model: training on {model['decisions']:,} generated decisions "
        f"({model['held_out']:,} held out)", f"<= {model['train_target_s']:g} s",
        model["train_s"], lambda v: f"{v:.1f} s", lambda v: v <= model["train_target_s"],
        f"; {model['features']:,} features")  # fmt: skip
    added = people["names_added_ms"]
    low, high = people["names_added_p95_spread_ms"]
    rows.append((f"People in the story: what {people['spellings_listed']} listed names and "
                 "spellings add to posting, p95 (median run)", f"<= {people['target_ms']:g} ms",
                 f"{added['p95']:.3f} ms ({low:.3f} ms-{high:.3f} ms over {people['runs']} "
                 f"runs); p50 {added['p50']:.3f} ms",
                 "met" if high <= people["target_ms"] else
                 ("met in the median run" if added["p95"] <= people["target_ms"]
                  else "**missed**")))  # fmt: skip
    costs = rows

    paths = r["paths"]
    info = [
        ("Whole thread, thread cache off, one client: 200 / 2,000 / 10,000 posts",
         " / ".join(spread(each(lambda x, k=k: x["whole_uncached"][k].median_ms), ms)
                    for k in (200, 2000, 10000))),
        ("... per comment (the cost grows linearly)",
         " / ".join(f"{per_comment(k):.1f} µs" for k in (200, 2000, 10000))),
        ("Whole thread, 2,000 posts, thread cache off, one client, brotli",
         spread(each(lambda x: x["whole_uncached_br"].median_ms), ms)),
        (f"Default page of the 10,000 thread, thread cache off: page 1 ({paths['first_comments']} "
         f"comments) / page {paths['late_no']}, the last ({paths['late_comments']} comments)",
         " / ".join(spread(each(lambda x, k=k: x["page_uncached"][k].median_ms), ms)
                    for k in ("first", "late"))),
        (f"Same, cached: page 1 / page {paths['late_no']}",
         " / ".join(spread(each(lambda x, k=k: x["page_cached"][k].median_ms), ms)
                    for k in ("first", "late"))),
        ("Whole thread, 2,000 posts, cached, through nginx: one client",
         spread(each(lambda x: x["nginx_single"].median_ms), ms)),
        ("Article page, 2,000 posts: a repeat visit with its ETag (304)",
         spread(each(lambda x: x["not_modified"].median_ms), ms)),
        ("Article page, 2,000 posts: single client, cache emptied before each request",
         spread(each(lambda x: x["article_cold"].median_ms), ms)),
        ("Article page, 2,000 posts, signed-in reader: single client median",
         spread(each(lambda x: x["article_reader"].median_ms), ms)),
        ("Whole thread, 2,000 posts, on the wire: brotli / gzip / plain",
         " / ".join(kb(statistics.median(each(lambda x, k=k: x["bytes"][k]["body"])))
                    for k in ("whole_br", "whole_gzip", "whole_plain"))),
        ("Article page, 2,000 posts, on the wire: brotli / gzip / plain",
         " / ".join(kb(statistics.median(each(lambda x, k=k: x["bytes"][k]["body"])))
                    for k in ("page_br", "page_gzip", "page_plain"))),
        ("Browser on slow 4G: the article page's HTML / requests",
         f"{kb(statistics.median(load['html_bytes'] for x in rounds for load in x['browser']))}"
         f" / {rounds[0]['browser'][0]['requests']}; largest element "
         f"`{rounds[0]['browser'][0]['element']}`"),
        ("New comment / approval seen through nginx",
         " / ".join(spread(each(lambda x, k=k: x["visible"][k]), sec)
                    for k in ("comment", "decision"))),
        ("Moderation queue, 10,000 pending: 16 connections",
         spread(each(lambda x: x["queue_wrk"].rps), rps)),
        ("Import of 200 posts (command / itself)",
         "{:.2f} s / {:.2f} s".format(*r["imports"]["d200"][0])),
        ("Import of 10,000 posts (command / itself)",
         "{:.2f} s / {:.2f} s".format(*r["imports"]["d10000"][0])),
    ]  # fmt: skip
    if measured_xtd:
        xtd_2000 = statistics.median(each(lambda x: x["xtd"]["single"][2000].median_ms))
        xtd_rps = statistics.median(each(lambda x: x["xtd"]["wrk"][2000].rps))
        info += [
            ("django-comments-xtd, whole thread, one client: 200 / 2,000 posts",
             " / ".join(spread(each(lambda x, k=k: x["xtd"]["single"][k].median_ms), ms)
                        for k in (200, 2000))),
            ("django-comments-xtd, whole thread, 16 connections: 200 / 2,000 posts",
             " / ".join(spread(each(lambda x, k=k: x["xtd"]["wrk"][k].rps), rps)
                        for k in (200, 2000))),
            ("This machine against the one issue 18 measured on (xtd's 2,000-post page: "
             f"{XTD_WHOLE_2000_MS} ms and {XTD_WHOLE_2000_RPS} req/s there)",
             f"{xtd_2000 / XTD_WHOLE_2000_MS:.1f}x the time, "
             f"{XTD_WHOLE_2000_RPS / xtd_rps:.1f}x fewer requests a second"),
        ]  # fmt: skip

    m, v = r["machine"], r["versions"]
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (`bench/run.py`). Written by the script; edit the notes",
        "below the tables by hand if needed, they are kept in `bench/NOTES.md`.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC" + (" (quick run)" if quick else ""),
        f"- Machine: {m['CPU']}, {m['cores']} cores, {m['RAM']} RAM, {m['OS']}",
        "- Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()),
        "- Servers: gunicorn with `deploy/gunicorn.conf.py` (2 sync workers), "
        "`METOO_ENV=production`, DEBUG off, behind the nginx of docs/OPERATIONS.md; a "
        "second gunicorn with the thread cache off (`THREAD_CACHE=0`: every request reads "
        "its thread from PostgreSQL and writes it; as in production, each comment's HTML "
        "is remembered by the process per version of the comment, and the page around the "
        "thread, which does not change with it, is kept); PostgreSQL (random_page_cost "
        "1.1) and Redis on the same machine.",
        f"- {n} interleaved round{'s' if n > 1 else ''}; each figure is the median of the "
        "rounds, with their range in brackets. Clients on the same machine: a single "
        f"sequential client (median of {plan.n_fast} requests to a fast page, "
        f"{plan.n_slow} to a slow one, after one warm-up), `wrk -t2 -c16 -d{plan.secs}s`, "
        "and Chromium through Playwright (`bench/browser.py`).",
        "- Datasets from `bench/disqus_export.py`: one article each with 200, 2,000 "
        "and 10,000 posts, comments open, and 10,000 more made pending for the queue. "
        + (
            "django-comments-xtd "
            + " ".join(f"{k} {val}" for k, val in r["xtd_versions"].items())
            + " is measured in every round, before our figures, on the same exports "
            "(`bench/xtd/`: a minimal site showing an article and its whole comment tree "
            "with xtd's own template tag, gunicorn with 2 sync workers, DEBUG off, the same "
            f"PostgreSQL; installed from pinned, hashed requirements; its 2,000-post page "
            f"{plan.xtd_single} requests for one client and `wrk -d{plan.xtd_secs}s`); "
            if measured_xtd
            else f"django-comments-xtd's figures are those issue 18 quotes ({XTD_WHOLE_2000_MS} "
            f"ms and {XTD_WHOLE_2000_RPS} req/s for 2,000 posts, {XTD_WHOLE_200_RPS} req/s "
            "for 200); "
        )
        + "the static baseline is nginx serving a saved copy of our own page.",
        "",
        "## Targets (issue 18)",
        "",
        "| measurement | target | measured | |",
        "|---|---|---|---|",
        *[f"| {a_} | {b_} | {c_} | {d_} |" for a_, b_, c_, d_ in issue18],
        "",
        "## Targets (issue 6)",
        "",
        "| measurement | target | measured | |",
        "|---|---|---|---|",
        *[f"| {a_} | {b_} | {c_} | {d_} |" for a_, b_, c_, d_ in issue6],
        "",
        "## What screening costs a post (issues 17 and 19)",
        "",
        "Measured by `bench/model_costs.py` and `bench/people_costs.py`, each in a "
        "process and a database of its own after the rounds above, "
        f"{n} run{'s' if n > 1 else ''} each.",
        "",
        "| measurement | target | measured | |",
        "|---|---|---|---|",
        *[f"| {a_} | {b_} | {c_} | {d_} |" for a_, b_, c_, d_ in costs],
        "",
        "## Other figures",
        "",
        "| measurement | measured |",
        "|---|---|",
        *[f"| {a_} | {b_} |" for a_, b_ in info],
        "",
    ]
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    out.write_text("\n".join(lines))
    log(f"wrote {out}")
    print("\n".join(lines[: lines.index("## Other figures")]))


if __name__ == "__main__":
    sys.exit(main())
