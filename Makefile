# metoo: `make run` serves the demo site, `make test` runs every check.
# The steps live in scripts/dev.sh so they can be read (and run) on their own.
.PHONY: run test setup lint format bench

run:
	@scripts/dev.sh run

test:
	@scripts/dev.sh test

setup:
	@scripts/dev.sh setup

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	@.venv/bin/ruff format . && .venv/bin/ruff check --fix .

bench:
	@scripts/dev.sh bench
