"""Load the demo site once: sections, articles, threaded comments in every state,
and demo users. Safe to run again: with articles present it only prints the logins."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts import rolechanges
from accounts.models import User
from articles import services as article_services
from articles.models import Article, CommentsMode, Section
from comments import services as comment_services
from comments.models import Comment, CommentStatus, ReasonCategory
from metoo_site.demo import content
from moderation import services as moderation
from moderation.models import ModelSource

IN_MEMORY_MAIL = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# Comments posted after the moderation model is switched on, so the queue shows scores.
MODEL_DEMO_COMMENTS = (
    ("hina@metoo.test", "Shut up, jahil aurat. Nobody asked for your opinion on this."),
    ("usman@metoo.test", "Yeh report bohat zaroori thi, shukriya. Committee ko jawab dena hoga."),
    ("zara@metoo.test", "یہ رپورٹ بہت اہم ہے، انکوائری کمیٹی کو جلد فیصلہ کرنا چاہیے۔"),
    ("emad@metoo.test", "Everyone knows the director paid the judge for bail. That is a fact."),
)


def _user(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=content.DEMO_PASSWORD, display_name=name
        )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


class Command(BaseCommand):
    help = "Load demo content into an empty database and print the demo logins."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if Article.objects.exists():
            self.stdout.write("Demo content: the database already has articles; nothing loaded.")
        else:
            before = len(getattr(mail, "outbox", []))
            # The demo's notification emails go to made-up addresses: keep them in
            # memory (django.core.mail.outbox) instead of sending or printing them.
            # Tests, which use the same backend, still see each one.
            with override_settings(MAILERS=IN_MEMORY_MAIL), transaction.atomic():
                self._load()
            sent = len(getattr(mail, "outbox", [])) - before
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo content loaded ({sent} notification emails kept in memory)."
                )
            )
        if not options["quiet_logins"]:
            self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write("")
        for line in content.login_lines():
            self.stdout.write(line)

    def _load(self) -> None:
        now = timezone.now()
        staff = {}
        for email, name, role in content.STAFF:
            staff[role] = _user(email, name)
            rolechanges.role_grant(user=staff[role], role=role, by=None, now=now)
        readers = {email: _user(email, name) for email, name in content.READERS}
        editor, mod = staff["editor"], staff["moderator"]

        sections = {}
        for position, (name, slug, description, default_mode) in enumerate(content.SECTIONS):
            sections[slug], _ = Section.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "description": description,
                    "position": position,
                    "default_comments_mode": default_mode,
                },
            )

        for index, (sec, title, standfirst, byline, body, mode, days_ago) in enumerate(
            content.ARTICLES
        ):
            published = now - timedelta(days=days_ago, hours=3)
            article = article_services.article_create(
                by=editor,
                title=title,
                section=sections[sec],
                slug=content.SLUGS.get(index, ""),
                body=body,
                standfirst=standfirst,
                byline=byline,
                comments_mode=mode,
                now=published,
            )
            article = article_services.article_publish(
                article=article, by=editor, at=published, now=published
            )
            posted: dict[str, Comment] = {}
            for n, (key, parent_key, email, text, state) in enumerate(
                content.COMMENTS.get(index, [])
            ):
                when = published + timedelta(minutes=37 * (n + 1))
                parent = posted.get(parent_key) if parent_key is not None else None
                comment = comment_services.comment_post(
                    author=readers[email],
                    article=article,
                    body=text,
                    parent=parent,
                    now=when,
                )
                decided = when + timedelta(minutes=12)
                needs_approval = state in {"published", "removed", "deleted_by_author"}
                if needs_approval and comment.status == CommentStatus.PENDING:
                    comment = moderation.comment_approve(
                        comment=comment, by=mod, expected_version=comment.version, now=decided
                    )
                elif state == "rejected":
                    comment = moderation.comment_reject(
                        comment=comment,
                        by=mod,
                        reason=ReasonCategory.DEFAMATION,
                        note="Please do not name or hint at people who are not part of the "
                        "reporting.",
                        expected_version=comment.version,
                        now=decided,
                    )
                posted[key] = comment
            # Removals and withdrawals come last: replies were written before them.
            later = published + timedelta(days=1)
            for key, _parent, email, _text, state in content.COMMENTS.get(index, []):
                comment = posted[key]
                if state == "removed":
                    moderation.comment_remove(
                        comment=comment,
                        by=mod,
                        reason=ReasonCategory.HARASSMENT,
                        expected_version=comment.version,
                        now=later,
                    )
                elif state == "deleted_by_author":
                    comment_services.comment_delete(comment=comment, by=readers[email], now=later)
        self._first_model(now=now, moderator=mod, readers=readers)

    def _first_model(self, *, now: datetime, moderator: User, readers: dict[str, User]) -> None:
        """The moderation model the demo starts with: trained on the bundled corpus
        (moderation/textmodel/corpus), active in shadow mode, and a few new comments
        it has scored; on a premoderated article they wait in the queue, where each
        shows its score and the words that raised it."""
        version = moderation.model_train(by=None, source=ModelSource.CORPUS, now=now)
        moderation.model_activate(version=version, by=moderator, now=now)
        article = (
            Article.objects.filter(comments_mode=CommentsMode.PREMODERATED)
            .order_by("-published_at", "-id")
            .first()
        ) or Article.objects.order_by("-published_at", "-id").first()
        if article is None:
            return
        for n, (email, text) in enumerate(MODEL_DEMO_COMMENTS):
            comment_services.comment_post(
                author=readers[email],
                article=article,
                body=text,
                now=now + timedelta(minutes=n + 1),
            )
