from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction

from articles import services
from articles.models import Article, ArticleEvent, ArticleStatus, CommentsMode
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2018, 11, 13, 4, 47, tzinfo=UTC)


@pytest.fixture
def section(db):
    return SectionFactory(name="News", slug="news", default_comments_mode=CommentsMode.PREMODERATED)


def _draft(editor, section, **kw) -> Article:
    return services.article_create(
        by=editor, title=kw.pop("title", "MeToo in Pakistan"), section=section, now=T0, **kw
    )


def test_create_makes_a_logged_draft_with_a_slug_and_the_sections_comment_mode(editor, section):
    article = _draft(editor, section, body="Some **bold** words")
    assert article.status == ArticleStatus.DRAFT
    assert article.slug == "metoo-in-pakistan"
    assert article.comments_mode == CommentsMode.PREMODERATED
    assert article.byline == editor.display_name
    assert "<strong>bold</strong>" in article.body_html
    event = ArticleEvent.objects.get(article=article)
    assert (event.actor, event.action, event.created_at) == (editor, "article.created", T0)


def test_slugs_are_unique_and_an_explicit_taken_slug_is_refused(editor, section):
    first = _draft(editor, section)
    second = _draft(editor, section)
    assert (first.slug, second.slug) == ("metoo-in-pakistan", "metoo-in-pakistan-2")
    with pytest.raises(services.ArticleError, match="taken"):
        _draft(editor, section, slug="metoo-in-pakistan")


def test_readers_and_moderators_cannot_write_articles(reader, moderator, section):
    for person in (reader, moderator):
        with pytest.raises(PermissionDenied):
            _draft(person, section)
    article = ArticleFactory(status=ArticleStatus.DRAFT, published_at=None)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, by=moderator)
    with pytest.raises(PermissionDenied):
        services.article_update(article=article, by=reader, changes={"title": "x"})


def test_publish_now_is_visible_and_logged(editor, section):
    article = _draft(editor, section)
    article = services.article_publish(article=article, by=editor, now=T0)
    assert article.is_visible(T0)
    assert Article.objects.published(T0).filter(pk=article.pk).exists()
    event = ArticleEvent.objects.filter(article=article).latest("id")
    assert event.action == "article.published"
    assert event.changes["published_at"]["after"] == T0.isoformat()
    with pytest.raises(services.ArticleError, match="already published"):
        services.article_publish(article=article, by=editor, now=T0 + timedelta(minutes=1))


def test_a_scheduled_piece_appears_by_itself_at_its_time(editor, section):
    article = _draft(editor, section)
    at = T0 + timedelta(hours=2)
    with time_machine.travel(T0, tick=False):
        services.article_publish(article=article, by=editor, at=at)
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert ArticleEvent.objects.filter(article=article).latest("id").action == (
            "article.scheduled"
        )
    with time_machine.travel(at - timedelta(seconds=1), tick=False):
        assert not Article.objects.published().filter(pk=article.pk).exists()
    with time_machine.travel(at, tick=False):
        assert Article.objects.published().filter(pk=article.pk).exists()


def test_comments_close_after_the_articles_days_or_the_site_default(editor, section, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    default = services.article_publish(article=_draft(editor, section), by=editor, now=T0)
    assert default.comments_close_at == T0 + timedelta(days=30)
    own = _draft(editor, section, comments_close_after_days=3)
    own = services.article_publish(article=own, by=editor, now=T0)
    assert own.comments_close_at == T0 + timedelta(days=3)
    never = _draft(editor, section, comments_close_after_days=0)
    never = services.article_publish(article=never, by=editor, now=T0)
    assert never.comments_close_at is None
    own = services.article_update(
        article=own, by=editor, changes={"comments_close_after_days": 10}, now=T0
    )
    assert own.comments_close_at == T0 + timedelta(days=10)


def test_unpublish_hides_the_piece_and_a_cancelled_schedule_frees_the_slug(editor, section):
    live = services.article_publish(article=_draft(editor, section), by=editor, now=T0)
    live = services.article_unpublish(article=live, by=editor, now=T0 + timedelta(hours=1))
    assert live.status == ArticleStatus.DRAFT
    assert not Article.objects.published().filter(pk=live.pk).exists()
    assert live.slug_frozen  # it was public once: its address stays
    assert ArticleEvent.objects.filter(article=live).latest("id").action == "article.unpublished"

    later = _draft(editor, section, title="Later piece")
    later = services.article_publish(article=later, by=editor, at=T0 + timedelta(days=1), now=T0)
    assert later.slug_frozen
    later = services.article_unpublish(article=later, by=editor, now=T0)
    assert later.published_at is None and not later.slug_frozen
    with pytest.raises(services.ArticleError, match="not published"):
        services.article_unpublish(article=later, by=editor, now=T0)


def test_edit_logs_before_and_after_and_refreshes_body_and_search(editor, section):
    article = _draft(editor, section, body="Old words")
    other = SectionFactory(name="Opinion", slug="opinion")
    article = services.article_update(
        article=article,
        by=editor,
        changes={"title": "New title", "body": "Fresh *harassment* inquiry", "section": other},
        now=T0 + timedelta(minutes=5),
    )
    assert "<em>harassment</em>" in article.body_html
    assert article.content_updated_at is None  # a draft is not "updated" for readers
    event = ArticleEvent.objects.filter(article=article).latest("id")
    assert event.action == "article.edited"
    assert event.changes["title"] == {"before": "MeToo in Pakistan", "after": "New title"}
    assert event.changes["section"] == {"before": "News", "after": "Opinion"}
    assert set(event.changes) == {"title", "body", "section"}
    services.article_publish(article=article, by=editor, now=T0)
    assert Article.objects.published(T0).filter(search_vector="inquiries").exists()


def test_an_edit_that_changes_nothing_is_not_logged(editor, section):
    article = _draft(editor, section)
    services.article_update(article=article, by=editor, changes={"title": article.title})
    assert ArticleEvent.objects.filter(article=article).count() == 1


def test_editing_a_published_piece_marks_it_updated(editor, section):
    article = services.article_publish(article=_draft(editor, section), by=editor, now=T0)
    later = T0 + timedelta(days=2)
    article = services.article_update(
        article=article, by=editor, changes={"body": "A correction"}, now=later
    )
    assert article.content_updated_at == later


def test_the_slug_is_frozen_once_published(editor, section):
    article = _draft(editor, section)
    article = services.article_update(
        article=article, by=editor, changes={"slug": "better-slug"}, now=T0
    )
    assert article.slug == "better-slug"
    article = services.article_publish(article=article, by=editor, now=T0)
    with pytest.raises(services.ArticleError, match="cannot change"):
        services.article_update(article=article, by=editor, changes={"slug": "another"}, now=T0)
    article.refresh_from_db()
    assert article.slug == "better-slug"


def test_the_article_log_is_append_only(editor, section):
    article = _draft(editor, section)
    event = ArticleEvent.objects.get(article=article)
    with pytest.raises(DatabaseError), transaction.atomic():
        ArticleEvent.objects.filter(pk=event.pk).update(action="article.forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        ArticleEvent.objects.filter(pk=event.pk).delete()
