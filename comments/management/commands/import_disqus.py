"""`manage.py import_disqus FILE.xml`: load a Disqus export (see comments/importers/disqus.py)."""

from __future__ import annotations

import gc
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from comments.importers import early
from comments.importers.disqus import DisqusImportError, import_disqus


class Command(BaseCommand):
    # Django's system checks import every URL and view of the site (about a tenth
    # of a second) to check what this command never uses; `manage.py check` and
    # every server start still run them.
    requires_system_checks: list[str] = []
    help = (
        "Import a Disqus XML export: threads become (or match) articles by their link, "
        "posts become comments with their replies, times and authors. Running it again "
        "adds nothing; any problem stops it before anything is stored."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the XML file Disqus exported")
        parser.add_argument(
            "--create-articles",
            metavar="SECTION",
            help="create a published article in this section (slug or name) for each "
            "thread that matches none",
        )
        parser.add_argument(
            "--skip-unmatched",
            action="store_true",
            help="leave out the posts of threads that match no article instead of stopping",
        )
        parser.add_argument(
            "--skip-orphans",
            action="store_true",
            help="leave out the posts whose thread or parent is missing (and the replies "
            "under them), listed in the report, instead of stopping",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would be imported; change nothing"
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        # An import makes a few hundred thousand short-lived objects and no cycles
        # to speak of; with the collector on, each two thousand new objects set off
        # a walk over them and over everything Django loaded (a tenth of the time).
        # (manage.py has it off from the start for this command.)
        gc.disable()
        try:
            # Read while Django started, when manage.py could (comments.importers.early).
            parsed = early.take(options["file"])
            if parsed is not None and options["verbosity"] >= 2:
                self.stdout.write("The file was read while Django started.")
            result = import_disqus(
                source=options["file"],
                parsed=parsed,
                section=options["create_articles"],
                skip_unmatched=options["skip_unmatched"],
                skip_orphans=options["skip_orphans"],
                dry_run=options["dry_run"],
                now=timezone.now(),
            )
        except DisqusImportError as exc:
            raise CommandError(exc.describe()) from None
        finally:
            gc.enable()
        c = result.counts
        verb = "Would import" if result.dry_run else "Imported"
        out = self.stdout.write
        out(f"{verb} from {options['file']}:")
        out(
            f"  threads: {c['threads_in_file']} in the file; {c['threads_matched']} matched an "
            f"article, {c['articles_created']} new articles, {c['threads_skipped']} skipped"
        )
        for tid, slug in sorted(result.articles.items()):
            out(f"    thread {tid} -> /articles/{slug}/")
        for thread in result.skipped_threads:
            out(f"    skipped thread {thread.dsq_id} (line {thread.line}): {thread.link}")
        out(
            f"  authors: {c['users_matched']} matched existing accounts, "
            f"{c['users_created']} new reader accounts (sign in after a password reset)"
        )
        out(
            f"  posts: {c['posts_in_file']} in the file; {c['posts_new']} new "
            f"({c['published']} published, {c['deleted']} deleted, "
            f"{c['spam_rejected']} spam rejected), {c['posts_already_imported']} imported before"
            f", {c['posts_left_out']} left out"
        )
        for problem in result.left_out:
            out(f"    left out: {problem}")
        for note in result.notes:
            out(f"  note: {note}")
        elapsed = time.perf_counter() - started
        if result.dry_run:
            out(self.style.WARNING(f"Dry run: nothing was changed ({elapsed:.2f} s)."))
        else:
            out(self.style.SUCCESS(f"Done in {elapsed:.2f} s."))
