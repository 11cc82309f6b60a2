"""Editors' picks: the published comments an editor or a moderator featured
(comments.services.comment_feature), read for the block that comes first on the
article page and for a reader's profile. One query each, the author joined; what
it shows is the same for every reader, so it can sit in a shared page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from articles.models import Article
from comments.models import Comment, CommentStatus

# The picks an article page shows at most; the thread holds them all anyway.
PICKS_SHOWN = 10


@dataclass(frozen=True)
class Pick:
    id: int
    author_id: int
    author_name: str
    body_html: str
    created_at: datetime
    featured_at: datetime
    article_title: str
    article_url: str


def _picks(**where: object) -> list[Pick]:
    rows = (
        Comment.objects.filter(is_featured=True, status=CommentStatus.PUBLISHED, **where)
        .select_related("author", "article")
        .only(
            "id",
            "author_id",
            "author__display_name",
            "body_html",
            "created_at",
            "featured_at",
            "article__title",
            "article__slug",
        )
        .order_by("-featured_at", "-id")
    )
    return [
        Pick(
            id=c.pk,
            author_id=c.author_id,
            author_name=c.author.display_name,
            body_html=c.body_html,
            created_at=c.created_at,
            featured_at=c.featured_at or c.created_at,
            article_title=c.article.title,
            article_url=c.article.get_absolute_url(),
        )
        for c in rows[:PICKS_SHOWN]
    ]


def article_picks(*, article_id: int) -> list[Pick]:
    """The article's picks, latest first."""
    return _picks(article_id=article_id)


def author_picks(*, author_id: int) -> list[Pick]:
    """A reader's comments that were picked, on articles readers may see, latest
    first."""
    return _picks(author_id=author_id, article__in=Article.objects.published())
