#!/usr/bin/env python3
"""The xtd peer for `make bench`: a minimal news site whose comments are
django-comments-xtd's, on the same machine and PostgreSQL as metoo.

    python bench/xtd/peer.py setup --db-url postgres://postgres@127.0.0.1:5432/metoo_bench_xtd \\
        --export d2000=/tmp/d2000.xml --export d200=/tmp/d200.xml
        # prints {"d2000": "/articles/d2000/", "d200": "/articles/d200/"}
    python bench/xtd/peer.py serve --db-url postgres://... --port 8790
        # gunicorn, 2 sync workers, in the foreground; GET /healthz answers 200

`setup` makes bench/out/xtd-venv (python -m venv with this interpreter's base
Python, then pip install --require-hashes -r bench/xtd/requirements.txt; again only
when requirements.txt changed), drops and creates the database, migrates
bench/xtd/site and loads each Disqus export as one article with its comment tree.
Only the standard library is used here; Django runs in the venv.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SITE = HERE / "site"
REQUIREMENTS = HERE / "requirements.txt"
DEFAULT_VENV = ROOT / "bench" / "out" / "xtd-venv"
STAMP = "metoo-xtd-requirements.sha256"


def log(msg: str) -> None:
    print(f"[xtd] {msg}", file=sys.stderr, flush=True)


def base_python() -> str:
    """The interpreter the venv is made from: this one's base (not a venv's)."""
    return getattr(sys, "_base_executable", None) or sys.executable


def ensure_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    want = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    stamp = venv / STAMP
    if python.exists() and stamp.exists() and stamp.read_text().strip() == want:
        return python
    start = time.perf_counter()
    if not python.exists():
        log(f"creating {venv} with {base_python()}")
        subprocess.run([base_python(), "-m", "venv", str(venv)], check=True)
    log("pip install --require-hashes -r bench/xtd/requirements.txt")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-input", "--require-hashes", "-r", str(REQUIREMENTS)],
        check=True, stdout=sys.stderr,
    )  # fmt: skip
    stamp.write_text(want + "\n")
    log(f"venv ready in {time.perf_counter() - start:.1f} s")
    return python


def site_env(db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    env.update(XTD_DB_URL=db_url, DJANGO_SETTINGS_MODULE="xtdsite.settings", PYTHONPATH=str(SITE))
    return env


def db_name(db_url: str) -> str:
    parts = urlsplit(db_url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit(f"--db-url must be postgres://..., got {db_url!r}")
    name = parts.path.lstrip("/")
    # setup drops this database: never one of metoo's own.
    if not name or "xtd" not in name:
        sys.exit(f"refusing to drop and create database {name!r}: its name must contain 'xtd'")
    return name


RECREATE = """
import sys, psycopg
from psycopg import sql
url, name = sys.argv[1], sys.argv[2]
with psycopg.connect(url, autocommit=True) as conn:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    create = sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")
    conn.execute(create.format(sql.Identifier(name)))
"""


def setup(args: argparse.Namespace) -> None:
    start = time.perf_counter()
    exports = []
    for spec in args.export:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            sys.exit(f"--export wants NAME=PATH, got {spec!r}")
        if not Path(path).is_file():
            sys.exit(f"--export {spec}: no such file")
        exports.append(f"{name}={Path(path).resolve()}")
    name = db_name(args.db_url)
    python = ensure_venv(Path(args.venv).resolve())
    env = site_env(args.db_url)
    maintenance = urlunsplit(urlsplit(args.db_url)._replace(path="/postgres"))
    log(f"recreating database {name}")
    subprocess.run([str(python), "-c", RECREATE, maintenance, name], check=True, env=env)
    t = time.perf_counter()
    subprocess.run([str(python), "manage.py", "migrate", "--noinput", "-v", "0"],
                   check=True, cwd=SITE, env=env)  # fmt: skip
    log(f"migrated in {time.perf_counter() - t:.1f} s")
    urls = {}
    if exports:
        t = time.perf_counter()
        cmd = [str(python), "manage.py", "load_disqus", *exports]
        if args.via_save:
            cmd.append("--via-save")
        out = subprocess.run(
            cmd, check=True, cwd=SITE, env=env, stdout=subprocess.PIPE, text=True
        ).stdout
        urls = json.loads(out.strip().splitlines()[-1])
        log(f"loaded {len(exports)} export(s) in {time.perf_counter() - t:.1f} s")
    log(f"setup done in {time.perf_counter() - start:.1f} s")
    print(json.dumps(urls), flush=True)


def serve(args: argparse.Namespace) -> None:
    db_name(args.db_url)
    venv = Path(args.venv).resolve()
    gunicorn = venv / "bin" / "gunicorn"
    if not gunicorn.exists():
        sys.exit(f"{gunicorn} is missing: run `{Path(__file__).name} setup` first")
    argv = [
        str(gunicorn), "xtdsite.wsgi:application",
        "--bind", f"127.0.0.1:{args.port}",
        "--workers", str(args.workers), "--worker-class", "sync",
        "--timeout", "60", "--no-control-socket",
        # Resolved now: relative to the caller's directory, not to the site's.
        "--error-logfile", str(Path(args.error_log).resolve()) if args.error_log else "-",
    ]  # fmt: skip
    env = site_env(args.db_url)
    os.chdir(SITE)
    # exec: the process bench/run.py started (and whose group it kills) is gunicorn's master.
    os.execve(str(gunicorn), argv, env)  # noqa: S606 - our venv's gunicorn, our arguments


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "setup", help="venv, database, migrations, Disqus exports; prints NAME -> URL path as JSON"
    )
    p.add_argument(
        "--db-url",
        required=True,
        help="postgres://user@host:port/name (the name must contain 'xtd')",
    )
    p.add_argument(
        "--export",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="a Disqus XML export to load as article NAME (repeatable)",
    )
    p.add_argument(
        "--venv", default=str(DEFAULT_VENV), help=f"default {DEFAULT_VENV.relative_to(ROOT)}"
    )
    p.add_argument(
        "--via-save",
        action="store_true",
        help="save comments one by one with XtdComment.save() (slow; to check the bulk load)",
    )
    p.set_defaults(func=setup)
    p = sub.add_parser(
        "serve", help="gunicorn with 2 sync workers on 127.0.0.1:PORT, in the foreground"
    )
    p.add_argument("--db-url", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--error-log", default="", help="gunicorn's error log file (default: stderr)")
    p.add_argument("--venv", default=str(DEFAULT_VENV))
    p.set_defaults(func=serve)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
