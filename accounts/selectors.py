"""Reads about one account that span apps."""

from __future__ import annotations

from datetime import datetime

from accounts.models import User


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def account_data(*, user: User) -> dict:
    """Everything the site keeps that a reader gave it, for their own download:
    profile, comments (with the status and any reason they were shown),
    reports filed and recommendations. Moderators' internal notes and other
    people's data are not theirs and are not included."""
    from allauth.account.models import EmailAddress

    from comments.models import Comment, Recommendation
    from moderation.models import Report

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
