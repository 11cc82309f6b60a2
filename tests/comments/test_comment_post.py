from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import ArticleStatus, CommentsMode
from comments.models import Comment, CommentStatus
from comments.services import CommentError, comment_post
from moderation.models import ModerationAction
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_reader_comment_on_open_article_is_published_and_counted(reader, article):
    comment = comment_post(author=reader, article=article, body="  First thoughts.  ")

    assert comment.status == CommentStatus.PUBLISHED
    assert comment.body == "First thoughts."
    assert comment.body_html == "<p>First thoughts.</p>"
    assert comment.root_id == comment.pk
    assert comment.path == str(comment.pk).zfill(12)
    article.refresh_from_db()
    assert article.comment_count == 1
    assert not ModerationAction.objects.filter(comment=comment).exists()


def test_comment_on_premoderated_article_waits_with_reason_and_audit_row(reader, premod_article):
    comment = comment_post(author=reader, article=premod_article, body="Held please")

    assert comment.status == CommentStatus.PENDING
    assert [hit["code"] for hit in comment.hold_reasons] == ["article.premoderated"]
    premod_article.refresh_from_db()
    assert premod_article.comment_count == 0
    action = ModerationAction.objects.get(comment=comment)
    assert action.action == "moderation.comment.held"
    assert action.actor is None
    assert action.to_status == CommentStatus.PENDING


def test_reply_extends_parent_path_and_depth(reader, other_reader, article):
    top = comment_post(author=reader, article=article, body="Top")
    reply = comment_post(author=other_reader, article=article, body="Reply", parent=top)

    assert reply.root_id == top.pk
    assert reply.depth == 1
    assert reply.path.startswith(top.path + ".")
    top.refresh_from_db()
    assert top.reply_count == 1


@pytest.mark.parametrize("body", ["", "   ", "\n\n\n", "\x00\x00"])
def test_empty_comment_is_refused_and_nothing_stored(reader, article, body):
    with pytest.raises(CommentError, match="Write something"):
        comment_post(author=reader, article=article, body=body)
    assert Comment.objects.count() == 0


def test_oversized_comment_is_refused_with_the_numbers(reader, article, settings):
    settings.COMMENT_MAX_LENGTH = 100
    with pytest.raises(CommentError, match="at most 100 characters"):
        comment_post(author=reader, article=article, body="x" * 101)
    assert Comment.objects.count() == 0


def test_comment_on_unpublished_article_is_refused(reader):
    draft = ArticleFactory(status=ArticleStatus.DRAFT, published_at=None)
    with pytest.raises(CommentError, match="not available"):
        comment_post(author=reader, article=draft, body="Hello")
    assert Comment.objects.count() == 0


def test_comment_on_scheduled_article_is_refused(reader):
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    with pytest.raises(CommentError, match="not available"):
        comment_post(author=reader, article=scheduled, body="Hello")


def test_comment_on_closed_article_is_refused(reader):
    closed = ArticleFactory(comments_mode=CommentsMode.CLOSED)
    with pytest.raises(CommentError, match="closed"):
        comment_post(author=reader, article=closed, body="Hello")


def test_unverified_reader_cannot_comment(unverified_reader, article):
    with pytest.raises(CommentError, match="verify your email"):
        comment_post(author=unverified_reader, article=article, body="Hello")
    assert Comment.objects.count() == 0


def test_double_submit_posts_once(reader, article):
    first = comment_post(author=reader, article=article, body="Same words")
    second = comment_post(author=reader, article=article, body="Same words")
    assert first.pk == second.pk
    assert Comment.objects.count() == 1


def test_reply_to_comment_on_another_article_is_refused(reader, article):
    elsewhere = ArticleFactory()
    other = comment_post(author=reader, article=elsewhere, body="Over there")
    with pytest.raises(CommentError, match="same article"):
        comment_post(author=reader, article=article, body="Reply", parent=other)


def test_reply_to_pending_comment_is_refused(reader, other_reader, premod_article):
    pending = comment_post(author=reader, article=premod_article, body="Waiting")
    with pytest.raises(CommentError, match="can no longer be replied"):
        comment_post(author=other_reader, article=premod_article, body="Hi", parent=pending)


def test_script_is_stored_as_typed_and_rendered_inert(reader, article):
    comment = comment_post(
        author=reader,
        article=article,
        body='<script>alert("x")</script> see https://example.org/a?b=1&c=2.',
    )
    assert comment.body.startswith("<script>")
    assert "<script>" not in comment.body_html
    assert "&lt;script&gt;" in comment.body_html
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener" '
        'target="_blank" dir="ltr">https://example.org/a?b=1&amp;c=2</a>.'
    ) in comment.body_html
