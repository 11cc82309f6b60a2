"""The thread's rows as the selectors read them (issue 18): times as PostgreSQL's
integers, turned into the same instants the model holds; a bare read for the
shared rendering, completed only for the comments whose <li> is written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from comments import selectors
from comments.models import Comment
from comments.render import shared_items
from comments.services import comment_edit, comment_post

pytestmark = pytest.mark.django_db


def test_times_read_as_integers_are_the_instants_the_model_holds(reader, article):
    first = comment_post(author=reader, article=article, body="Before the edit")
    comment_edit(comment=first, by=reader, body="After the edit")
    second = comment_post(author=reader, article=article, body="Never edited")
    rows = {
        item.comment.id: item.comment for item in selectors.thread_all(article_id=article.pk).items
    }
    for comment in (first, second):
        stored = Comment.objects.get(pk=comment.pk)
        assert rows[comment.pk].created_at == stored.created_at
        assert rows[comment.pk].edited_at == stored.edited_at
    assert rows[first.pk].edited_at is not None and rows[second.pk].edited_at is None
    assert rows[first.pk].created_at.tzinfo is not None


def test_a_time_before_2000_reads_back_too(reader, article):
    # PostgreSQL counts from 2000-01-01: an imported comment can be older.
    old = comment_post(author=reader, article=article, body="From the archive")
    when = datetime(1999, 12, 31, 23, 59, 58, 123456, tzinfo=UTC)
    Comment.objects.filter(pk=old.pk).update(created_at=when)
    (item,) = selectors.thread_all(article_id=article.pk).items
    assert item.comment.created_at == when


def test_a_bare_row_completed_with_its_details_is_the_full_row(reader, article):
    comment = comment_post(author=reader, article=article, body="All of it")
    (full,) = selectors.thread_all(article_id=article.pk).items
    (bare,) = selectors.thread_all(article_id=article.pk, bodies=False).items
    assert bare.comment.body_html == "" and bare.comment.created_us is None
    with pytest.raises(TypeError):
        _ = bare.comment.created_at  # a bare row's time is never shown by mistake
    details = selectors.comment_details([comment.pk])
    assert selectors.with_details(bare.comment, details[comment.pk]) == full.comment


def test_the_shared_page_shows_the_time_and_the_edit_read_for_it(client, reader, article):
    shared_items.clear()
    comment = comment_post(author=reader, article=article, body="Original words")
    comment_edit(comment=comment, by=reader, body="Corrected words")
    stored = Comment.objects.get(pk=comment.pk)
    html = client.get(article.get_absolute_url()).content.decode()
    instant = stored.created_at.astimezone(UTC).isoformat(timespec="seconds")
    assert f'<time datetime="{instant}">' in html
    assert "Corrected words" in html and 'class="edited"' in html
    assert stored.created_at <= timezone.now()
