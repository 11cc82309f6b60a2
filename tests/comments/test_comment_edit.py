from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import CommentsMode
from comments import access
from comments.models import CommentStatus
from comments.services import CommentError, comment_edit, comment_post
from moderation.models import ModerationAction

pytestmark = pytest.mark.django_db


def test_author_edits_within_the_window_and_the_comment_is_marked_edited(reader, article):
    now = timezone.now()
    comment = comment_post(author=reader, article=article, body="Frist", now=now)

    edited = comment_edit(
        comment=comment, by=reader, body="First, corrected", now=now + timedelta(minutes=9)
    )

    assert edited.body == "First, corrected"
    assert edited.body_html == "<p>First, corrected</p>"
    assert edited.edited_at == now + timedelta(minutes=9)
    assert edited.status == CommentStatus.PUBLISHED


def test_edit_after_the_window_is_refused_and_text_kept(reader, article):
    now = timezone.now()
    comment = comment_post(author=reader, article=article, body="Original", now=now)

    with pytest.raises(CommentError, match="within 10 minutes"):
        comment_edit(comment=comment, by=reader, body="Late", now=now + timedelta(minutes=11))
    comment.refresh_from_db()
    assert comment.body == "Original"
    assert comment.edited_at is None


def test_another_reader_cannot_edit_a_comment(reader, other_reader, article):
    comment = comment_post(author=reader, article=article, body="Original")

    with pytest.raises(CommentError, match="your own"):
        comment_edit(comment=comment, by=other_reader, body="Hijacked")
    comment.refresh_from_db()
    assert comment.body == "Original"


def test_edit_is_screened_again_and_held_with_an_audit_row(reader, article):
    comment = comment_post(author=reader, article=article, body="Call me")

    edited = comment_edit(comment=comment, by=reader, body="Call me on 0300-1234567")

    assert edited.status == CommentStatus.PENDING
    action = ModerationAction.objects.get(comment=comment)
    assert action.from_status == CommentStatus.PUBLISHED
    assert action.to_status == CommentStatus.PENDING


def test_edit_to_whitespace_is_refused(reader, article):
    comment = comment_post(author=reader, article=article, body="Original")

    with pytest.raises(CommentError, match="Write something"):
        comment_edit(comment=comment, by=reader, body=" \n\t ")


def test_edit_on_an_article_closed_since_is_refused(reader, article):
    comment = comment_post(author=reader, article=article, body="Original")
    article.comments_mode = CommentsMode.CLOSED
    article.save()

    with pytest.raises(CommentError, match="closed"):
        comment_edit(comment=comment, by=reader, body="Changed")


def test_edit_allowed_only_for_the_author_inside_the_window(reader, other_reader, article):
    now = timezone.now()
    comment = comment_post(author=reader, article=article, body="Original", now=now)

    def edit_allowed(*, by, now):
        return access.Act.EDIT in access.acts(
            viewer_id=by.pk,
            author_id=comment.author_id,
            status=comment.status,
            created_at=comment.created_at,
            comments_open=article.comments_open(now),
            cutoff=access.edit_cutoff(now),
        )

    assert edit_allowed(by=reader, now=now + timedelta(minutes=10))
    assert not edit_allowed(by=reader, now=now + timedelta(minutes=10, seconds=1))
    assert not edit_allowed(by=other_reader, now=now)
