"""Blank comments' IP hashes and user agents once they are older than the retention
period (PRIVATE_DATA_RETENTION_DAYS, 90 by default). Run it daily, e.g. from cron:

    17 3 * * *  cd /srv/metoo && .venv/bin/python manage.py purge_private_data
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.services import private_data_purge


class Command(BaseCommand):
    help = "Blank IP hashes and user agents of comments older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override PRIVATE_DATA_RETENTION_DAYS for this run.",
        )

    def handle(self, *args, days: int | None = None, **options):
        days = settings.PRIVATE_DATA_RETENTION_DAYS if days is None else days
        if days < 1:
            self.stderr.write("--days must be at least 1")
            raise SystemExit(2)
        cutoff = timezone.now() - timedelta(days=days)
        cleaned = private_data_purge(older_than=cutoff)
        self.stdout.write(
            f"Blanked IP hashes and user agents of {cleaned} comment(s) older than {days} days."
        )
