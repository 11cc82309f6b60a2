#!/usr/bin/env python3
"""`make faults`: the site under a steady mix of reads and posts while its parts fail.

Starts everything of its own on 127.0.0.1 (never the shared servers): a PostgreSQL
cluster in a temporary folder (the embedded server, scripts/ensure-db.sh), and the
two-node cluster of scripts/cluster.sh (nginx, two gunicorn nodes, Redis, a task
worker). Readers keep reading an article and posting comments to it through nginx
while, one after another: PostgreSQL restarts, PostgreSQL stops for a while, Redis
stops for a while, and an app node is killed (SIGKILL, mid-request) and started again.
Then every comment the site answered as accepted is looked up in the database, and
docs/RELIABILITY.md gets the figures.

Targets (issue 13): 0 accepted comments lost, 0 bare error pages, no request waits
more than 2 s during an outage, every request succeeds again within 2 s of the
database's return. Bounded: about two minutes. Only the standard library here.

Options: --readers N (client threads, default 8), --phase SECONDS (each fault's
length, default 8), --out PATH (default docs/RELIABILITY.md), --keep (leave the
temporary folder for a look).
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus as quote

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
SLUG = "bench-posting"  # the article bench/setup_django.py makes
CLIENT_TIMEOUT = 5.0
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_STAMP = re.compile(r'name="ts" value="([^"]+)"')
_ACCEPTED = re.compile(r"^/comments/(\d+)/")


def log(msg: str) -> None:
    print(f"[faults] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True, capture_output=True)
    return done.stdout


# ---------------------------------------------------------------- the load


@dataclass
class Sample:
    t0: float  # seconds since the run started
    seconds: float
    kind: str  # "read" or "post"
    outcome: str  # ok | accepted | refused | unavailable | bare | no-answer
    status: int
    comment_id: int | None = None


@dataclass
class Load:
    port: int
    sessions: list[tuple[str, str]]  # (session cookie, CSRF secret)
    started: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.started

    def request(
        self, method: str, path: str, cookie: str, body: str = ""
    ) -> tuple[int, dict[str, str], str, float, float]:
        t0 = self.now()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)
        try:
            headers = {"Cookie": cookie, "Host": "127.0.0.1"}
            if body:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["Referer"] = f"http://127.0.0.1:{self.port}/articles/{SLUG}/"
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            return response.status, dict(response.getheaders()), text, t0, self.now() - t0
        except OSError:
            return 0, {}, "", t0, self.now() - t0
        finally:
            conn.close()

    def record(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def reader(self, index: int) -> None:
        rng = random.Random(index)
        session, secret = self.sessions[index % len(self.sessions)]
        cookie = f"sessionid={session}; csrftoken={secret}"
        n = 0
        while not self.stop.is_set():
            status, _, html, t0, took = self.request("GET", f"/articles/{SLUG}/", cookie)
            self.record(Sample(t0, took, "read", classify(status, html, "GET"), status))
            csrf, stamp = _CSRF.search(html), _STAMP.search(html)
            if status == 200 and csrf and stamp and rng.random() < 0.5:
                n += 1
                form = {
                    "csrfmiddlewaretoken": csrf.group(1),
                    "ts": stamp.group(1),
                    "website": "",
                    "parent": "",
                    "body": f"Faults run, reader {index}, comment {n}: "
                    f"{rng.choice(['agreed', 'not so', 'source?', 'well said'])}",
                }
                body = "&".join(f"{k}={quote(v)}" for k, v in form.items())
                status, headers, text, t0, took = self.request(
                    "POST", f"/comments/post/{SLUG}/", cookie, body
                )
                where = headers.get("Location", "")
                accepted = _ACCEPTED.match(where.replace(f"http://127.0.0.1:{self.port}", ""))
                outcome = (
                    "accepted" if status == 302 and accepted else classify(status, text, "POST")
                )
                self.record(
                    Sample(
                        t0, took, "post", outcome, status,
                        int(accepted.group(1)) if accepted and status == 302 else None,
                    )
                )  # fmt: skip
            time.sleep(rng.uniform(0.05, 0.2))


def classify(status: int, body: str, method: str) -> str:
    if status == 0:
        return "no-answer"
    if status < 400:
        return "ok"
    if status < 500 and status != 429:
        return "refused"
    # A page of the site's own (the app's 503 and 500 pages, nginx's page for "no node
    # answers") is a complete HTML document; gunicorn's and nginx's bare pages are not.
    own = body.lstrip()[:15].lower().startswith("<!doctype html") and "nginx" not in body
    return "unavailable" if own else "bare"


# ---------------------------------------------------------------- the run


@dataclass
class Phase:
    name: str
    fault_start: float
    fault_end: float  # when the part came back (or the fault was a blip)
    end: float


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--readers", type=int, default=8)
    ap.add_argument("--phase", type=float, default=8.0)
    ap.add_argument("--out", default=str(ROOT / "docs" / "RELIABILITY.md"))
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="metoo-faults-"))
    pg_env = os.environ | {
        "METOO_POSTGRES": "embedded",
        "METOO_PGDATA": str(tmp / "pgdata"),
        "METOO_LOCAL_PG_PORT": str(free_port()),
        "METOO_DB_NAME": "metoo_faults",
        "VENV_PY": PY,
    }
    pg_env.pop("DATABASE_URL", None)
    log(f"PostgreSQL of its own in {tmp / 'pgdata'}")
    db_url = run(["scripts/ensure-db.sh"], pg_env).splitlines()[0]
    cluster = os.environ | {
        "CLUSTER_DIR": str(tmp / "cluster"),
        "CLUSTER_PORT": str(free_port()),
        "CLUSTER_NODE_PORTS": f"{free_port()} {free_port()}",
        "CLUSTER_REDIS_PORT": str(free_port()),
        "DATABASE_URL": db_url,
        "VENV_PY": PY,
    }
    (tmp / "cluster").mkdir()
    # First the checks that the two nodes agree, with every limit on; but a script
    # posts the moment it has read (no "too fast" check), and its readers' accounts
    # are new (their first comments would wait for a moderator, out of sight).
    (tmp / "cluster" / "env.local").write_text(
        "COMMENT_FORM_MIN_SECONDS=0\nMODERATION_NEW_ACCOUNT_HOLD=0\n"
    )
    site = os.environ | {"DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "metoo_site.settings"}
    phases: list[Phase] = []
    load: Load | None = None
    threads: list[threading.Thread] = []
    try:
        log("starting the cluster (nginx, two app nodes, Redis, a task worker)")
        run(["scripts/cluster.sh", "start"], cluster)
        # The set-up below runs as the nodes do (their SECRET_KEY signs the sessions).
        site |= cluster_settings(tmp / "cluster")
        run(
            [PY, "manage.py", "shell", "-c",
             "from articles.models import Section; "
             "Section.objects.get_or_create(slug='faults', defaults={'name': 'Faults'})"],
            site,
        )  # fmt: skip
        run([PY, "bench/setup_django.py", "people", str(tmp / "out"), str(args.readers)], site)
        sessions = [
            (line.split()[0], line.split()[1])
            for line in (tmp / "out" / "sessions.txt").read_text().splitlines()
            if line.strip()
        ]
        nodes = [int(x) for x in cluster["CLUSTER_NODE_PORTS"].split()]
        log("checking that the two nodes agree")
        agreement = two_nodes_agree(nodes, sessions, site)
        # Then the load: one client address drives every reader and posts without a
        # person's pauses, so per-address limits and the flood rule are lifted;
        # screening itself stays on.
        (tmp / "cluster" / "env.local").write_text(
            "RATE_LIMITS_OFF=1\nCOMMENT_FORM_MIN_SECONDS=0\nMODERATION_FLOOD_LIMIT=100000\n"
            "MODERATION_DUPLICATE_WINDOW_MINUTES=0\nMODERATION_NEW_ACCOUNT_HOLD=0\n"
        )
        site |= cluster_settings(tmp / "cluster")
        for n in ("1", "2"):
            run(["scripts/cluster.sh", "stop-node", n], cluster)
            run(["scripts/cluster.sh", "start-node", n], cluster)
        port = int(cluster["CLUSTER_PORT"])
        load = Load(port=port, sessions=sessions)
        threads = [
            threading.Thread(target=load.reader, args=(i,), daemon=True)
            for i in range(args.readers)
        ]
        for t in threads:
            t.start()
        p = args.phase

        def steady(seconds: float) -> None:
            time.sleep(seconds)

        def fault(
            name: str, down: list[str], up: list[str], hold: float, env: dict[str, str]
        ) -> None:
            start = load.now()
            log(f"{name}")
            run(down, env)
            if hold:
                time.sleep(hold)
            if up:
                run(up, env)
            back = load.now()
            steady(p)
            phases.append(Phase(name, start, back, load.now()))

        steady(p)
        ensure = ["scripts/ensure-db.sh"]
        fault("PostgreSQL restarts", [*ensure, "stop"], ensure, 0, pg_env)
        fault(f"PostgreSQL stopped for {p:g} s", [*ensure, "stop"], ensure, p, pg_env)
        fault(
            f"Redis stopped for {p:g} s",
            ["scripts/cluster.sh", "stop-redis"], ["scripts/cluster.sh", "start-redis"], p,
            cluster,
        )  # fmt: skip
        fault(
            f"App node 1 killed, started {p:g} s later",
            ["scripts/cluster.sh", "stop-node", "1"], ["scripts/cluster.sh", "start-node", "1"],
            p, cluster,
        )  # fmt: skip
        load.stop.set()
        for t in threads:
            t.join(timeout=CLIENT_TIMEOUT + 2)
        accepted = sorted({s.comment_id for s in load.samples if s.comment_id})
        stored = found_ids(site, accepted)
        report = write_report(Path(args.out), load, phases, accepted, stored, args, agreement)
        print(report)
        met = targets_met(load, phases, accepted, stored) and all(ok for _, _, ok in agreement)
        return 0 if met else 1
    finally:
        if load is not None:
            load.stop.set()
        subprocess.run(["scripts/cluster.sh", "stop"], env=cluster, cwd=ROOT, capture_output=True)
        subprocess.run(["scripts/ensure-db.sh", "stop"], env=pg_env, cwd=ROOT, capture_output=True)
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- two nodes agree


def _node_request(
    port: int, method: str, path: str, cookie: str, form: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """(status, Location, body) of one request straight to an app node."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = {"Cookie": cookie, "Host": "127.0.0.1"}
        body = None
        if form is not None:
            body = "&".join(f"{k}={quote(v)}" for k, v in form.items())
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{port}/articles/{SLUG}/"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, response.getheader("Location") or "", text
    finally:
        conn.close()


def _comment_form(port: int, cookie: str, body: str) -> dict[str, str]:
    """A fresh comment form from the node's article page, filled in."""
    _, _, html = _node_request(port, "GET", f"/articles/{SLUG}/", cookie)
    csrf, stamp = _CSRF.search(html), _STAMP.search(html)
    if not (csrf and stamp):
        raise RuntimeError("the article page showed no comment form")
    return {
        "csrfmiddlewaretoken": csrf.group(1),
        "ts": stamp.group(1),
        "website": "",
        "parent": "",
        "body": body,
    }


def _stored_with_body(env: dict[str, str], body: str) -> int:
    code = (
        "import sys; from comments.models import Comment; "
        "print(Comment.objects.filter(body=sys.stdin.read()).count())"
    )
    done = subprocess.run(
        [PY, "manage.py", "shell", "-v", "0", "-c", code],
        input=body, env=env, cwd=ROOT, check=True, text=True, capture_output=True,
    )  # fmt: skip
    return int(done.stdout.split()[-1])


def two_nodes_agree(
    nodes: list[int], sessions: list[tuple[str, str]], env: dict[str, str]
) -> list[tuple[str, str, bool]]:
    """What must hold across app nodes, each tried by going to the nodes directly:
    (check, what was seen, held)."""
    a, b = nodes[0], nodes[1]
    cookies = [f"sessionid={sid}; csrftoken={secret}" for sid, secret in sessions[:3]]
    results: list[tuple[str, str, bool]] = []

    # Sessions: a session made anywhere is known on both nodes.
    seen = []
    for port in (a, b):
        _, _, html = _node_request(port, "GET", f"/articles/{SLUG}/", cookies[0])
        seen.append("Bench Reader" in html and _STAMP.search(html) is not None)
    results.append(
        ("A reader signed in is signed in on both nodes", f"node 1: {seen[0]}, node 2: {seen[1]}",
         all(seen))
    )  # fmt: skip

    # The thread cache: node 1 renders and keeps the thread, a comment arrives through
    # node 2, and node 1's next page shows it.
    stranger = cookies[2]
    for _ in range(2):
        _node_request(a, "GET", f"/articles/{SLUG}/", stranger)
    text = f"Posted through node 2 at {time.time():.3f}"
    status, _, _ = _node_request(
        b, "POST", f"/comments/post/{SLUG}/", cookies[1], _comment_form(b, cookies[1], text)
    )
    _, _, html = _node_request(a, "GET", f"/articles/{SLUG}/", stranger)
    results.append(
        ("A comment posted through one node shows at once on the other's cached page",
         f"post answered {status}; node 1 shows it: {text in html}",
         status == 302 and text in html)
    )  # fmt: skip

    # Posted exactly once: one form sent to both nodes at the same moment (a double
    # click that a load balancer spread).
    text = f"Double click across nodes at {time.time():.3f}"
    form = _comment_form(a, cookies[1], text)
    answers: list[int] = []
    threads = [
        threading.Thread(
            target=lambda port: answers.append(
                _node_request(port, "POST", f"/comments/post/{SLUG}/", cookies[1], form)[0]
            ),
            args=(port,),
        )
        for port in (a, b)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = _stored_with_body(env, text)
    results.append(
        ("One form sent to both nodes at once is stored once",
         f"answers {sorted(answers)}, stored {stored}", stored == 1)
    )  # fmt: skip

    # Rate limits: a reader's posts counted together, whichever node takes them
    # (RATE_LIMITS["comment"]["user"] is 10 a minute).
    statuses = []
    for n in range(11):
        port = (a, b)[n % 2]
        body = f"Counted across nodes, comment {n} at {time.time():.3f}"
        statuses.append(
            _node_request(
                port, "POST", f"/comments/post/{SLUG}/", cookies[2],
                _comment_form(port, cookies[2], body),
            )[0]
        )  # fmt: skip
    accepted = sum(s == 302 for s in statuses[:10])
    results.append(
        ("A reader's 11th comment in a minute is refused, alternating nodes",
         f"first 10: {accepted} accepted; 11th answered {statuses[10]}",
         accepted == 10 and statuses[10] == 429)
    )  # fmt: skip
    return results


def cluster_settings(folder: Path) -> dict[str, str]:
    """The settings scripts/cluster.sh wrote for its nodes (KEY=value lines)."""
    found = {}
    for name in ("env", "env.local"):
        for line in (folder / name).read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep and key.strip() and not key.startswith("#"):
                found[key.strip()] = value.strip().strip("'")
    return found


def found_ids(env: dict[str, str], ids: list[int]) -> set[int]:
    if not ids:
        return set()
    code = (
        "import sys; from comments.models import Comment; "
        "ids=[int(x) for x in sys.stdin.read().split()]; "
        "print(' '.join(str(i) for i in Comment.objects.filter(pk__in=ids)"
        ".values_list('pk', flat=True)))"
    )
    done = subprocess.run(
        [PY, "manage.py", "shell", "-v", "0", "-c", code],
        input=" ".join(map(str, ids)), env=env, cwd=ROOT, check=True, text=True,
        capture_output=True,
    )  # fmt: skip
    return {int(x) for x in done.stdout.split()}


# ---------------------------------------------------------------- figures


def _in(samples: list[Sample], start: float, end: float) -> list[Sample]:
    return [s for s in samples if start <= s.t0 < end]


FAILED = {"unavailable", "bare", "no-answer"}


@dataclass
class Figures:
    requests: int
    ok: int
    unavailable: int
    bare: int
    no_answer: int
    refused: int
    longest_wait: float  # of requests sent while the part was down
    recovered_after: float | None  # from the part's return to the first success
    failures_2s_after: int  # failed requests sent 2 s or more after the return


def phase_figures(load: Load, phase: Phase) -> Figures:
    during = _in(load.samples, phase.fault_start, phase.fault_end)
    after = _in(load.samples, phase.fault_end, phase.end)
    every = _in(load.samples, phase.fault_start, phase.end)
    first_ok = next((s.t0 + s.seconds for s in after if s.outcome in {"ok", "accepted"}), None)

    def n(outcome: str) -> int:
        return sum(s.outcome == outcome for s in every)

    return Figures(
        requests=len(every),
        ok=n("ok") + n("accepted"),
        unavailable=n("unavailable"),
        bare=n("bare"),
        no_answer=n("no-answer"),
        refused=n("refused"),
        longest_wait=max((s.seconds for s in during), default=0.0),
        recovered_after=(first_ok - phase.fault_end) if first_ok is not None else None,
        failures_2s_after=sum(s.t0 >= phase.fault_end + 2 and s.outcome in FAILED for s in after),
    )


def targets_met(load: Load, phases: list[Phase], accepted: list[int], stored: set[int]) -> bool:
    figures = [phase_figures(load, ph) for ph in phases]
    return (
        not set(accepted) - stored
        and not any(s.outcome == "bare" for s in load.samples)
        and all(f.longest_wait <= 2.0 and not f.failures_2s_after for f in figures)
    )


def write_report(
    out: Path,
    load: Load,
    phases: list[Phase],
    accepted: list[int],
    stored: set[int],
    args: argparse.Namespace,
    agreement: list[tuple[str, str, bool]],
) -> str:
    samples = load.samples
    lost = sorted(set(accepted) - stored)
    waits = [s.seconds for s in samples]
    lines = [
        "# Reliability",
        "",
        "Measured by `make faults` (`bench/faults.py`). Written by the script.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, "
        f"{os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "- Set-up, all on 127.0.0.1 and all of its own: nginx in front of two gunicorn nodes "
        "(`deploy/gunicorn.conf.py`, 2 sync workers each), Redis as the shared cache, a task "
        "worker (`scripts/cluster.sh`), and the embedded PostgreSQL in a temporary folder.",
        f"- Load: {args.readers} readers, each reading the article and posting to it about "
        f"every other read, {CLIENT_TIMEOUT:g} s client timeout; each fault lasts "
        f"{args.phase:g} s and is followed by {args.phase:g} s of normal running.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| 0 accepted comments lost | {len(accepted)} accepted, {len(accepted) - len(lost)} "
        f"stored, {len(lost)} lost | {'met' if not lost else '**missed**'} |",
    ]
    bare = sum(s.outcome == "bare" for s in samples)
    lines.append(f"| 0 bare error pages | {bare} | {'met' if not bare else '**missed**'} |")
    figures = [phase_figures(load, ph) for ph in phases]
    longest = max((f.longest_wait for f in figures), default=0.0)
    lines.append(
        f"| no request waits more than 2 s during an outage | longest {longest:.2f} s | "
        f"{'met' if longest <= 2.0 else '**missed**'} |"
    )
    late = sum(f.failures_2s_after for f in figures)
    lines.append(
        f"| every request succeeds again within 2 s of the return | {late} failed later | "
        f"{'met' if not late else '**missed**'} |"
    )
    lines += [
        "",
        "## Two nodes agree",
        "",
        "Tried before the load, by going to each app node directly, with every limit on.",
        "",
        "| check | seen | |",
        "|---|---|---|",
        *(
            f"| {name} | {seen} | {'held' if ok else '**failed**'} |"
            for name, seen, ok in agreement
        ),
        "",
        "## By fault",
        "",
        "| fault | requests | ok | the site's 503 page | bare error | no answer | refused (4xx) "
        "| longest wait during it | first success after the return |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for ph, f in zip(phases, figures, strict=True):
        rec = f"{f.recovered_after:.2f} s" if f.recovered_after is not None else "none"
        lines.append(
            f"| {ph.name} | {f.requests} | {f.ok} | {f.unavailable} | {f.bare} "
            f"| {f.no_answer} | {f.refused} | {f.longest_wait:.2f} s | {rec} |"
        )
    lines += [
        "",
        "## Whole run",
        "",
        f"- Requests: {len(samples)} ({sum(s.kind == 'post' for s in samples)} posts); "
        f"median {statistics.median(waits) * 1000 if waits else 0:.0f} ms, "
        f"longest {max(waits, default=0):.2f} s.",
        "- Outcomes: "
        + ", ".join(
            f"{k} {sum(s.outcome == k for s in samples)}"
            for k in ("ok", "accepted", "unavailable", "refused", "bare", "no-answer")
        )
        + ".",
        "- \"The site's 503 page\" is a complete page of the site's own with `Retry-After` (the "
        "app's when the database is down, nginx's when no node answers); \"bare\" would be "
        "gunicorn's or nginx's own error text. A post that got no answer may or may not have "
        "been stored; only those answered as accepted (a redirect to the new comment) count "
        "as accepted.",
        "",
    ]
    text = "\n".join(lines)
    out.write_text(text)
    log(f"wrote {out}")
    return text


if __name__ == "__main__":
    sys.exit(main())
