# metoo: `make run` serves the demo site, `make test` runs every check.
# The steps live in scripts/dev.sh so they can be read (and run) on their own.
.PHONY: run test check-html css messages setup lint format bench faults lock upgrade db-stop

run:
	@scripts/dev.sh run

test:
	@scripts/dev.sh test

# Every page, as its persona, through the Nu Html Checker: 0 errors or it fails.
check-html:
	@scripts/dev.sh check-html

# static/css/bootstrap-site.css: the Bootstrap rules the templates use, and metoo.css, the
# bundle; their right-to-left twins (*.rtl.css) for the Urdu interface (all committed;
# tests/site/test_css_build.py fails when one is out of date).
css:
	@.venv/bin/python scripts/build_css.py

# locale/ur: gather the marked strings into the Urdu catalog and compile it
# (scripts/messages.py; `make test` fails while a string has no translation).
messages:
	@scripts/ensure-gettext.sh && .venv/bin/python scripts/messages.py

setup:
	@scripts/dev.sh setup

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports --no-cache && .venv/bin/mypy

format:
	@.venv/bin/ruff format . && .venv/bin/ruff check --fix .

bench:
	@scripts/dev.sh bench

# The site under load while PostgreSQL, Redis and an app node fail: docs/RELIABILITY.md.
faults:
	@scripts/dev.sh faults

# uv.lock after a change to pyproject.toml's dependencies (keeps pins that still fit).
lock:
	@scripts/dev.sh lock

# Every locked package to the newest release pyproject.toml allows.
upgrade:
	@scripts/dev.sh upgrade

# Stop the project-local PostgreSQL in .pgdata/, if one runs.
db-stop:
	@scripts/dev.sh db-stop
