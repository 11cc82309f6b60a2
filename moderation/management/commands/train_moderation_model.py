"""`manage.py train_moderation_model`: train a new version of the moderation model
from moderators' decisions (or the bundled corpus), print how it did on the
decisions held out from its training, and activate it when asked."""

from __future__ import annotations

import time
from datetime import datetime
from datetime import time as day_time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import User
from moderation import services
from moderation.models import ModelMode, ModelSource


def _date(value: str) -> datetime:
    """YYYY-MM-DD (the day's start, site time) or an ISO date and time."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date like 2026-11-01.") from None
    if len(value) <= 10:
        parsed = datetime.combine(parsed.date(), day_time.min)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


class Command(BaseCommand):
    help = (
        "Train a new version of the moderation model from moderators' decisions (the "
        "latest share held out to measure it on), store it inactive, and print its "
        "figures. --activate switches it on in shadow mode."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            choices=ModelSource.values,
            default=ModelSource.DECISIONS,
            help="learn from moderators' decisions (default) or the bundled corpus alone",
        )
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument("--since", type=_date, help="only decisions made on or after")
        parser.add_argument("--until", type=_date, help="only decisions made before")
        parser.add_argument(
            "--threshold",
            help="the new version's threshold, between 0 and 1 "
            "(default: MODERATION_MODEL_THRESHOLD_PERCENT)",
        )
        parser.add_argument(
            "--without-corpus",
            action="store_true",
            help="learn from the decisions alone, without the bundled corpus",
        )
        parser.add_argument(
            "--activate", action="store_true", help="make it the active version afterwards"
        )
        parser.add_argument(
            "--mode",
            choices=ModelMode.values,
            default=ModelMode.SHADOW,
            help="with --activate: shadow (default) or hold",
        )
        parser.add_argument(
            "--by", metavar="EMAIL", help="the moderator training it (default: the system)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = None
        if options["threshold"]:
            try:
                threshold = Decimal(options["threshold"]).quantize(Decimal("0.01"))
            except InvalidOperation:
                raise CommandError("--threshold must be a number such as 0.5.") from None
        by = None
        if options["by"]:
            by = User.objects.filter(email__iexact=options["by"]).first()
            if by is None:
                raise CommandError(f"No account with the email {options['by']}.")
        started = time.perf_counter()
        try:
            version = services.model_train(
                by=by,
                source=options["source"],
                seed=options["seed"],
                threshold=threshold,
                since=options["since"],
                until=options["until"],
                with_corpus=False if options["without_corpus"] else None,
                now=timezone.now(),
            )
            if options["activate"]:
                version = services.model_activate(
                    version=version, by=by, mode=options["mode"], now=timezone.now()
                )
        except services.ModerationError as exc:
            raise CommandError(str(exc)) from None
        m = version.metrics
        t = m.get("training") or {}
        out = self.stdout.write
        out(
            f"Version {version.pk}: trained on {t.get('examples', 0):,} comments "
            f"({t.get('rejected', 0):,} rejected or removed) in "
            f"{time.perf_counter() - started:.1f} s; {t.get('features', 0):,} features; "
            f"reasons scored: {', '.join(t.get('reasons_scored') or []) or 'none'}."
        )
        out(
            f"On {m.get('held_out', 0):,} held-out comments at threshold "
            f"{version.threshold:.2f}: precision {_percent(m.get('precision'))}, recall "
            f"{_percent(m.get('recall'))}, F1 {_percent(m.get('f1'))} (a majority guess: "
            f"macro F1 {m.get('baseline_macro_f1', 0):.2f}, this version "
            f"{m.get('macro_f1', 0):.2f})."
        )
        if version.is_active:
            out(self.style.SUCCESS(f"Version {version.pk} is active, in {version.mode} mode."))
        else:
            out(
                f"Version {version.pk} is stored, not active: activate it from the evaluation page."
            )
