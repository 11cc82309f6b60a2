"""An account's life across the apps: a new display name (shown in every cached
thread), the reader's data export, and account deletion (their comments,
recommendations and private data go with it). Above comments and moderation,
which it calls; nothing below imports it (docs/ARCHITECTURE.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import DELETED_NAME, User
from accounts.names import display_name_problem
from accounts.services import ProfileError
from comments import services as comment_services
from comments.models import Comment, CommentStatus, Recommendation
from core.languages import language_of
from moderation.models import Report, user_under_hold
from moderation.people_rules import Role
from moderation.screening import people_matcher_now

# ---------------------------------------------------------------- profile

# Said without naming the list: a reader must not be able to test who is protected.
PROTECTED_NAME_REFUSAL = gettext_noop(
    "That display name cannot be used here; please choose another."
)


def display_name_refusal(name: str, *, exclude_user_id: int | None = None) -> str | None:
    """Why `name` (already normalised) cannot be a display name, or None when it can:
    the rules of accounts.names, and no name on the site-wide protected list
    (articles.people), which a display name would put beside every comment."""
    problem = display_name_problem(name, exclude_user_id=exclude_user_id)
    if problem:
        return problem
    protected = people_matcher_now(article_id=None)
    if protected and protected.names_in(name, roles=frozenset({Role.PROTECTED})):
        return _(PROTECTED_NAME_REFUSAL)
    return None


def profile_update(
    *,
    user: User,
    display_name: str,
    notify_replies: bool,
    notify_moderation: bool,
    profile_public: bool | None = None,
) -> User:
    """Change a reader's display name and email preferences. The name must already
    be normalised; it is checked again here so every caller gets the same rules."""
    name_changed = display_name != user.display_name
    if profile_public is None:
        profile_public = user.profile_public
    # Names in threads link to a public profile only: a change is a change there.
    shown_changed = name_changed or profile_public != user.profile_public
    with transaction.atomic():
        if name_changed:
            problem = display_name_refusal(display_name, exclude_user_id=user.pk)
            if problem:
                raise ProfileError(problem)
        user.display_name = display_name
        user.display_name_lang = language_of(display_name)
        user.notify_replies = notify_replies
        user.notify_moderation = notify_moderation
        user.profile_public = profile_public
        user.save(
            update_fields=[
                "display_name",
                "display_name_lang",
                "notify_replies",
                "notify_moderation",
                "profile_public",
            ]
        )
        if shown_changed:
            # Cached threads carry the old name (or link) next to every comment.
            comment_services.author_threads_changed(author=user)
    return user


# ---------------------------------------------------------------- export


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def account_data(*, user: User) -> dict[str, Any]:
    """Everything the site keeps that a reader gave it, for their own download:
    profile, comments (with the status and any reason they were shown),
    reports filed and recommendations. Moderators' internal notes and other
    people's data are not theirs and are not included."""
    comments = (
        Comment.objects.filter(author=user).select_related("article").order_by("created_at", "id")
    )
    reports = Report.objects.filter(reporter=user).order_by("created_at", "id")
    recommendations = Recommendation.objects.filter(user=user).order_by("created_at", "id")
    emails = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "notify_replies": user.notify_replies,
            "notify_moderation": user.notify_moderation,
            "comment_sort": user.comment_sort,
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary} for e in emails
            ],
        },
        "comments": [
            {
                "id": c.pk,
                "article": {"title": c.article.title, "url": c.article.get_absolute_url()},
                "parent_id": c.parent_id,
                "body": c.body,
                "status": c.status,
                "reason": c.reason_category,
                "note_from_moderators": c.note_to_author,
                "created_at": _iso(c.created_at),
                "edited_at": _iso(c.edited_at),
            }
            for c in comments
        ],
        "reports": [
            {
                "comment_id": r.comment_id,
                "reason": r.reason,
                "note": r.note,
                "created_at": _iso(r.created_at),
            }
            for r in reports
        ],
        "recommendations": [
            {"comment_id": r.comment_id, "created_at": _iso(r.created_at)} for r in recommendations
        ],
    }


# ---------------------------------------------------------------- deletion

DELETED_COMMENTS_CHOICES = ("anonymise", "remove")


class AccountDeletionError(Exception):
    """The account cannot be deleted here; the message is shown to its owner."""


def account_delete(*, user: User, now: datetime, comments: str | None = None) -> User:
    """Delete a reader's account at their request.

    The row stays (moderation records, sanctions and replies point at it) but
    keeps nothing personal: email, name, password, addresses, preferences,
    recommendations, IP hashes and user agents go. Their comments either stay
    under the name "deleted account" ("anonymise") or are withdrawn as if the
    author had deleted each one ("remove"), per settings.ACCOUNT_DELETED_COMMENTS.
    The moderation side (audit log, sanctions, reports they received) is kept.
    Staff accounts are refused: their roles must be revoked first."""
    mode = comments or settings.ACCOUNT_DELETED_COMMENTS
    if mode not in DELETED_COMMENTS_CHOICES:
        raise AccountDeletionError(f"Unknown way to treat comments: {mode!r}.")
    if user.deleted_at is not None:
        raise AccountDeletionError(_("This account is already deleted."))
    if user.is_staff or user.is_superuser or user.groups.exists():
        raise AccountDeletionError(
            _("Staff accounts cannot be deleted here: ask an admin to revoke your roles first.")
        )
    if user_under_hold(user):
        # A legal hold freezes what the account wrote: nothing is anonymised.
        raise AccountDeletionError(
            _(
                "Your account cannot be deleted at the moment because some of what you wrote "
                "is preserved for a legal matter. Please contact us."
            )
        )
    with transaction.atomic():
        if mode == "remove":
            live = (
                Comment.objects.filter(
                    author=user,
                    status__in=[CommentStatus.PUBLISHED, CommentStatus.PENDING],
                )
                .select_related("article")
                .order_by("pk")
            )
            for comment in live:
                comment_services.comment_delete(comment=comment, by=user, now=now)
        comment_services.recommendations_withdraw_all(user=user)
        comment_services.author_private_data_purge(author=user)
        EmailAddress.objects.filter(user=user).delete()
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.display_name = DELETED_NAME
        user.display_name_lang = language_of(DELETED_NAME)
        user.set_unusable_password()
        user.is_active = False
        user.notify_replies = False
        user.notify_moderation = False
        user.deleted_at = now
        user.save(
            update_fields=[
                "email",
                "display_name",
                "display_name_lang",
                "password",
                "is_active",
                "notify_replies",
                "notify_moderation",
                "deleted_at",
            ]
        )
        # Cached threads still show the old name beside their comments.
        comment_services.author_threads_changed(author=user)
    return user
