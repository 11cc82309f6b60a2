"""Editors' picks: the published comments an editor or a moderator featured
(comments.services.comment_feature), read for the block that comes first on the
article page and for a reader's profile. One query each, the comment, its author
and article joined; what it shows is the same for every reader, so it can sit in
a shared page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from articles.models import Article
from comments.models import CommentStatus
from comments.models import Pick as PickRow

# The picks an article page shows at most; the thread marks them all anyway.
PICKS_SHOWN = 10


@dataclass(frozen=True)
class Pick:
    id: int  # the comment's
    author_id: int
    author_name: str
    body_html: str
    created_at: datetime
    featured_at: datetime
    article_title: str
    article_url: str


def _picks(**where: object) -> list[Pick]:
    rows = (
        PickRow.objects.filter(comment__status=CommentStatus.PUBLISHED, **where)
        .select_related("comment__author", "article")
        .order_by("-created_at", "-id")
    )
    return [
        Pick(
            id=row.comment_id,
            author_id=row.comment.author_id,
            author_name=row.comment.author.display_name,
            body_html=row.comment.body_html,
            created_at=row.comment.created_at,
            featured_at=row.created_at,
            article_title=row.article.title,
            article_url=row.article.get_absolute_url(),
        )
        for row in rows[:PICKS_SHOWN]
    ]


def article_picks(*, article_id: int) -> list[Pick]:
    """The article's picks, latest first."""
    return _picks(article_id=article_id)


def author_picks(*, author_id: int) -> list[Pick]:
    """A reader's comments that were picked, on articles readers may see, latest
    first."""
    return _picks(comment__author_id=author_id, article__in=Article.objects.published())
