#!/usr/bin/env python3
"""What the moderation model costs (issue 17), measured three times each:

(a) scoring in screening: the time `moderation.scoring.model_fact` (the one call
    screening makes: the active-version check in the shared cache, the model's
    score and its explanation) adds to `screen_submission`, with the active model
    loaded, over 1,000 comments made from the corpus. Target: p95 <= 2 ms. Also
    `screen_submission` itself, with the model and with it switched off, and the
    one-off load of the model from the database.
(b) training: `moderation.textmodel.train.train` on 50,000 decisions made from the
    corpus (moderation.textmodel.generate, deterministic by seed): 40,000 learned
    from, the latest 10,000 held out and measured on. Target: <= 60 s.

Runs in-process against a database of its own on DATABASE_URL's server
(`metoo_modelbench`, created with the site's migrations and dropped afterwards),
with the cache CACHE_URL names (Redis under `make bench`):

    .venv/bin/python bench/model_costs.py [--runs 3] [--decisions 50000] [--markdown]
        [--json OUT]

--markdown prints the two rows for docs/PERFORMANCE.md's targets table; --json OUT
also writes every run's figures to OUT (`make bench` reads them from there).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metoo_site.settings")
os.environ.setdefault("RATE_LIMITS_OFF", "1")

import django
import sklearn

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from articles.models import Article, ArticleStatus, CommentsMode, Section  # noqa: E402
from moderation import scoring, screening, services  # noqa: E402
from moderation.models import ModelSource, ModelVersion  # noqa: E402
from moderation.textmodel.corpus import load_corpus  # noqa: E402
from moderation.textmodel.generate import generate  # noqa: E402
from moderation.textmodel.train import Settings, Trained, latest_slice, train  # noqa: E402

DB_NAME = "metoo_modelbench"
SCORE_TARGET_MS = 2.0
TRAIN_TARGET_S = 60.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_training(decisions: int, seed: int) -> tuple[float, Trained]:
    made = generate(load_corpus(), decisions, seed=seed)
    examples, held_out = latest_slice(made, 0.2)
    started = time.perf_counter()
    trained = train(examples, held_out, Settings(seed=seed))
    return time.perf_counter() - started, trained


def store_and_activate(trained: Trained) -> float:
    """Store the trained model as the active version; return the seconds a process
    takes to load it from the database the first time it scores."""
    artifact = trained.model.to_bytes()
    version = ModelVersion.objects.create(
        source=ModelSource.DECISIONS,
        metrics=trained.metrics,
        artifact=artifact,
        artifact_sha256=hashlib.sha256(artifact).hexdigest(),
    )
    services.model_activate(version=version, by=None)
    scoring._loaded.clear()
    started = time.perf_counter()
    scoring.loaded_model(scoring.active_model())
    return time.perf_counter() - started


def world() -> tuple[User, Article]:
    author = User.objects.create_user(
        email="bench-model@bench.invalid", password=None, display_name="Bench Reader"
    )
    section = Section.objects.create(name="Bench", slug="bench-model")
    article = Article.objects.create(
        title="Bench: the moderation model",
        slug="bench-model",
        section=section,
        author=author,
        status=ArticleStatus.PUBLISHED,
        published_at=timezone.now(),
        comments_mode=CommentsMode.OPEN,
        body="b",
        body_html="<p>b</p>",
    )
    return author, article


def measure_scoring(bodies: list[str], author: User, article: Article) -> dict[str, float]:
    """p50 and p95 (ms) of model_fact, and of screen_submission with and without
    the model, interleaved so both see the same machine."""
    fact_ms: list[float] = []
    with_ms: list[float] = []
    without_ms: list[float] = []
    for body in bodies[:20]:  # warm: the model loaded, the caches filled
        screening.screen_submission(author=author, article=article, body=body)
    for body in bodies:
        started = time.perf_counter_ns()
        fact = scoring.model_fact(body)
        fact_ms.append((time.perf_counter_ns() - started) / 1e6)
        assert fact is not None
        settings.MODERATION_MODEL = True
        started = time.perf_counter_ns()
        screening.screen_submission(author=author, article=article, body=body)
        with_ms.append((time.perf_counter_ns() - started) / 1e6)
        settings.MODERATION_MODEL = False
        started = time.perf_counter_ns()
        screening.screen_submission(author=author, article=article, body=body)
        without_ms.append((time.perf_counter_ns() - started) / 1e6)
        settings.MODERATION_MODEL = True
    return {
        "fact_p50": percentile(fact_ms, 0.5),
        "fact_p95": percentile(fact_ms, 0.95),
        "with_p95": percentile(with_ms, 0.95),
        "without_p95": percentile(without_ms, 0.95),
    }


def spread(values: list[float], fmt: str) -> str:
    return ", ".join(format(v, fmt) for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--decisions", type=int, default=50_000)
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    args = parser.parse_args()

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = DB_NAME
    old = setup_databases(verbosity=0, interactive=False)
    try:
        cache.clear()
        seconds: list[float] = []
        trained = None
        features = 0
        for run in range(args.runs):
            took, trained = measure_training(args.decisions, seed=run)
            seconds.append(took)
            features = trained.metrics["training"]["features"]
            print(f"[model] training run {run + 1}: {took:.1f} s", file=sys.stderr, flush=True)
        assert trained is not None
        load_s = store_and_activate(trained)
        author, article = world()
        runs = []
        for run in range(args.runs):
            bodies = [e.text for e in generate(load_corpus(), args.comments, seed=100 + run)]
            runs.append(measure_scoring(bodies, author, article))
            print(
                f"[model] scoring run {run + 1}: p95 {runs[-1]['fact_p95']:.3f} ms",
                file=sys.stderr,
                flush=True,
            )
    finally:
        teardown_databases(old, verbosity=0)

    fact_p95 = [r["fact_p95"] for r in runs]
    fact_p50 = [r["fact_p50"] for r in runs]
    with_p95 = [r["with_p95"] for r in runs]
    without_p95 = [r["without_p95"] for r in runs]
    worst_score, worst_train = max(fact_p95), max(seconds)
    score_ok = "met" if worst_score <= SCORE_TARGET_MS else "MISSED"
    train_ok = "met" if worst_train <= TRAIN_TARGET_S else "MISSED"
    held = trained.metrics["held_out"]
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "runs": args.runs,
                    "decisions": args.decisions,
                    "held_out": held,
                    "features": features,
                    "comments": args.comments,
                    "score_p95_ms": fact_p95,
                    "score_p50_ms": fact_p50,
                    "screening_with_p95_ms": with_p95,
                    "screening_without_p95_ms": without_p95,
                    "train_s": seconds,
                    "load_ms": load_s * 1000,
                    "score_target_ms": SCORE_TARGET_MS,
                    "train_target_s": TRAIN_TARGET_S,
                },
                indent=1,
            )
        )
    if args.markdown:
        print(
            f"| Moderation model: scoring a comment in screening, p95 (model loaded) "
            f"| <= {SCORE_TARGET_MS:g} ms | {statistics.median(fact_p95):.2f} ms "
            f"({args.runs} runs: {spread(fact_p95, '.2f')}) | {score_ok} |"
        )
        print(
            f"| Moderation model: training on {args.decisions:,} generated decisions "
            f"| <= {TRAIN_TARGET_S:g} s | {statistics.median(seconds):.1f} s "
            f"({args.runs} runs: {spread(seconds, '.1f')}) | {train_ok} |"
        )
        return
    machine = platform.processor() or platform.machine()
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"Moderation model costs: {args.runs} runs each; {machine}, {os.cpu_count()} cores;"
        f" Python {platform.python_version()}, scikit-learn {sklearn.__version__}; cache {backend}"
    )
    print(
        f"(a) scoring in screening (model_fact over {args.comments:,} comments, model loaded):"
        f" p95 {statistics.median(fact_p95):.3f} ms (runs: {spread(fact_p95, '.3f')}),"
        f" p50 {statistics.median(fact_p50):.3f} ms; target <= {SCORE_TARGET_MS:g} ms: {score_ok}"
    )
    print(
        f"    screen_submission p95 with the model {statistics.median(with_p95):.2f} ms"
        f" (runs: {spread(with_p95, '.2f')}), switched off {statistics.median(without_p95):.2f}"
        f" ms (runs: {spread(without_p95, '.2f')}); loading the model once per process"
        f" {load_s * 1000:.0f} ms"
    )
    print(
        f"(b) training on {args.decisions:,} generated decisions ({args.decisions - held:,}"
        f" learned from, {held:,} held out; {features:,} features):"
        f" {statistics.median(seconds):.1f} s (runs: {spread(seconds, '.1f')});"
        f" target <= {TRAIN_TARGET_S:g} s: {train_ok}"
    )


if __name__ == "__main__":
    main()
