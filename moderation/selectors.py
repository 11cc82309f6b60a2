from __future__ import annotations

from django.db.models import QuerySet

from comments.models import Comment, CommentStatus


def queue_pending(*, limit: int = 50) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(status=CommentStatus.PENDING)
        .select_related("author", "article", "parent__author")
        .order_by("created_at", "id")[:limit]
    )


def pending_count() -> int:
    return Comment.objects.filter(status=CommentStatus.PENDING).count()
