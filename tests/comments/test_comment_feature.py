"""Editors' picks: editors and moderators feature a published comment and take
the pick back, audited; the article page shows the picks first and marks them in
the thread; the desk's comment counts lead each role where it may go."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comments.models import Comment, CommentStatus, Pick
from comments.services import CommentError, comment_feature, comment_post
from moderation.models import ActionCode, ModerationAction
from moderation.services import comment_remove

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(other_reader, article):
    return comment_post(author=other_reader, article=article, body="The committee never met.")


@pytest.mark.parametrize("persona", ["editor", "moderator"])
def test_editors_and_moderators_feature_a_comment_and_it_is_audited(request, persona, published):
    by = request.getfixturevalue(persona)
    comment_feature(comment=published, by=by, featured=True)
    published.refresh_from_db()
    assert published.is_featured
    assert Pick.objects.get(comment=published).by == by
    entry = ModerationAction.objects.get(action=ActionCode.COMMENT_FEATURED)
    assert (entry.actor, entry.comment_id, entry.target_user_id) == (
        by,
        published.pk,
        published.author_id,
    )


def test_taking_the_pick_back_is_audited_too(editor, published):
    comment_feature(comment=published, by=editor, featured=True)
    comment_feature(comment=published, by=editor, featured=False)
    published.refresh_from_db()
    assert not published.is_featured
    assert not Pick.objects.filter(comment=published).exists()
    assert ModerationAction.objects.filter(action=ActionCode.COMMENT_UNFEATURED).count() == 1


def test_featuring_twice_changes_nothing_and_logs_once(editor, published):
    comment_feature(comment=published, by=editor, featured=True)
    comment_feature(comment=published, by=editor, featured=True)
    assert ModerationAction.objects.filter(action=ActionCode.COMMENT_FEATURED).count() == 1


def test_a_reader_cannot_feature(reader, published):
    with pytest.raises(CommentError, match="Only editors and moderators"):
        comment_feature(comment=published, by=reader, featured=True)
    assert not Comment.objects.get(pk=published.pk).is_featured


def test_only_a_published_comment_can_be_a_pick(editor, moderator, published):
    comment_remove(
        comment=published, by=moderator, reason="off_topic", expected_version=published.version
    )
    with pytest.raises(CommentError, match="Only a published comment"):
        comment_feature(comment=published, by=editor, featured=True)


def test_the_article_page_shows_picks_first_and_marks_them_in_the_thread(
    client, editor, published, article
):
    comment_feature(comment=published, by=editor, featured=True)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Editors’ pick" in html
    picks_at = html.index('id="picks-heading"')
    assert picks_at < html.index('id="respond"') < html.index(f'id="c{published.pk}"')
    item = html[html.index(f'<li id="c{published.pk}"') :]
    assert 'class="pick-mark"' in item[: item.index("</li>")]


def test_a_removed_pick_leaves_the_picks(client, editor, moderator, published, article):
    comment_feature(comment=published, by=editor, featured=True)
    published.refresh_from_db()
    comment_remove(
        comment=published, by=moderator, reason="off_topic", expected_version=published.version
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="picks-heading"' not in html


def test_an_article_without_picks_has_no_picks_block(client, published, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="picks-heading"' not in html
    assert "<!--picks-html-->" not in html


def test_an_editor_features_from_the_articles_comment_list(client, editor, published, article):
    client.force_login(editor)
    page = client.get(reverse("comments:desk_comments", args=[article.pk]))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "Make an editors’ pick" in page.content.decode()
    response = client.post(reverse("comments:feature", args=[published.pk]), {"featured": "1"})
    assert response.status_code == 302
    assert Comment.objects.get(pk=published.pk).is_featured
    page = client.get(reverse("comments:desk_comments", args=[article.pk])).content.decode()
    assert "Take back the pick" in page


def test_a_reader_is_refused_the_list_and_the_feature_action(client, reader, published, article):
    client.force_login(reader)
    assert client.get(reverse("comments:desk_comments", args=[article.pk])).status_code == 403
    response = client.post(reverse("comments:feature", args=[published.pk]), {"featured": "1"})
    assert response.status_code == 403
    assert not Comment.objects.get(pk=published.pk).is_featured


def test_the_desk_count_leads_an_editor_to_the_comment_list_not_the_queue(
    client, editor, article, unverified_reader
):
    Comment.objects.filter(article=article).update(status=CommentStatus.PENDING)
    client.force_login(editor)
    html = client.get(reverse("desk:list") + "?view=published").content.decode()
    assert "/moderation/?article=" not in html
    assert reverse("comments:desk_comments", args=[article.pk]) in html


def test_the_desk_count_leads_a_moderating_editor_to_the_queue(client, editor, moderator, article):
    from tests.conftest import role_group

    editor.groups.add(role_group("Moderators"))
    client.force_login(editor)
    html = client.get(reverse("desk:list") + "?view=published").content.decode()
    assert f"/moderation/?article={article.pk}" in html


def test_an_article_page_without_picks_reads_nothing_more_for_them(client, published, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        client.get(article.get_absolute_url())
    assert not [
        q for q in ctx.captured_queries if "comments_pick" in q["sql"] and "EXISTS" not in q["sql"]
    ]
