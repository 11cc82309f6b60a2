"""Edit, delete, recommend and report from the article page: each per role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentStatus, Recommendation
from comments.services import comment_post
from moderation.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(reader, article):
    return comment_post(author=reader, article=article, body="My first view")


@pytest.fixture
def theirs(other_reader, article):
    return comment_post(author=other_reader, article=article, body="Another view")


# ------------------------------------------------------------------ edit


def test_anonymous_edit_is_sent_to_sign_in(client, mine):
    response = client.post(reverse("comments:edit", args=[mine.pk]), {"body": "Changed"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    mine.refresh_from_db()
    assert mine.body == "My first view"


def test_author_edits_and_sees_the_comment_marked_edited(client, reader, mine):
    client.force_login(reader)
    response = client.post(
        reverse("comments:edit", args=[mine.pk]), {"body": "My corrected view"}, follow=True
    )
    html = response.content.decode()
    assert "Your changes are saved." in html
    assert "My corrected view" in html
    assert '<span class="edited">edited</span>' in html


def test_other_reader_cannot_edit_and_text_is_unchanged(client, other_reader, mine):
    client.force_login(other_reader)
    response = client.post(
        reverse("comments:edit", args=[mine.pk]), {"body": "Hijacked"}, follow=True
    )
    assert "You can only edit your own comments." in response.content.decode()
    mine.refresh_from_db()
    assert mine.body == "My first view"


def test_edit_after_the_window_is_refused_with_a_message(client, reader, article):
    old = comment_post(
        author=reader, article=article, body="Old", now=timezone.now() - timedelta(minutes=30)
    )
    client.force_login(reader)
    response = client.post(reverse("comments:edit", args=[old.pk]), {"body": "New"}, follow=True)
    assert "can only be edited within 10 minutes" in response.content.decode()
    old.refresh_from_db()
    assert old.body == "Old"


def test_edit_to_empty_text_is_refused_with_a_message(client, reader, mine):
    client.force_login(reader)
    response = client.post(reverse("comments:edit", args=[mine.pk]), {"body": "  "}, follow=True)
    assert "Write something before posting." in response.content.decode()
    mine.refresh_from_db()
    assert mine.body == "My first view"


def test_edit_link_is_shown_to_the_author_only_within_the_window(
    client, reader, other_reader, article, mine
):
    old = comment_post(
        author=reader,
        article=article,
        body="Older view",
        now=timezone.now() - timedelta(minutes=30),
    )
    client.force_login(reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'data-hx-get="/comments/{mine.pk}/form/edit/"' in html
    assert f'data-hx-get="/comments/{old.pk}/form/edit/"' not in html
    client.force_login(other_reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "/form/edit/" not in html


# ------------------------------------------------------------------ delete


def test_author_deletes_a_comment_without_replies_and_it_disappears(client, reader, mine, article):
    client.force_login(reader)
    response = client.post(reverse("comments:delete", args=[mine.pk]), follow=True)
    html = response.content.decode()
    assert "Your comment is deleted." in html
    assert "My first view" not in html
    assert "deleted by its author" not in html
    mine.refresh_from_db()
    assert mine.status == CommentStatus.DELETED_BY_AUTHOR


def test_deleting_a_comment_with_replies_leaves_a_placeholder(
    client, reader, other_reader, article, mine
):
    comment_post(author=other_reader, article=article, body="An answer", parent=mine)
    client.force_login(reader)
    response = client.post(reverse("comments:delete", args=[mine.pk]), follow=True)
    html = response.content.decode()
    assert "This comment was deleted by its author." in html
    assert "An answer" in html
    assert "My first view" not in html


def test_other_reader_cannot_delete(client, other_reader, mine):
    client.force_login(other_reader)
    response = client.post(reverse("comments:delete", args=[mine.pk]), follow=True)
    assert "You can only delete your own comments." in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == CommentStatus.PUBLISHED


def test_delete_by_get_is_not_allowed(client, reader, mine):
    client.force_login(reader)
    assert client.get(reverse("comments:delete", args=[mine.pk])).status_code == 405


# ------------------------------------------------------------------ recommend


def test_reader_recommends_with_a_plain_form_and_lands_back_on_the_comment(client, reader, theirs):
    client.force_login(reader)
    response = client.post(reverse("comments:recommend", args=[theirs.pk]))
    assert response.status_code == 302
    assert Recommendation.objects.filter(user=reader, comment=theirs).exists()
    html = client.get(response["Location"], follow=True).content.decode()
    assert 'aria-pressed="true"' in html


def test_recommend_with_htmx_returns_the_toggled_button_with_the_count(client, reader, theirs):
    client.force_login(reader)
    url = reverse("comments:recommend", args=[theirs.pk])
    html = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert 'aria-pressed="true"' in html
    assert ">1</span>" in html
    html = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert 'aria-pressed="false"' in html
    assert 'class="recommend-n"' not in html
    theirs.refresh_from_db()
    assert theirs.recommend_count == 0


def test_author_cannot_recommend_their_own_comment(client, reader, mine):
    client.force_login(reader)
    response = client.post(reverse("comments:recommend", args=[mine.pk]), follow=True)
    assert "You cannot recommend your own comment." in response.content.decode()
    assert not Recommendation.objects.exists()


def test_anonymous_recommend_is_sent_to_sign_in(client, theirs):
    response = client.post(reverse("comments:recommend", args=[theirs.pk]))
    assert reverse("account_login") in response["Location"]
    assert not Recommendation.objects.exists()


def test_recommend_button_is_not_shown_on_ones_own_comment(client, reader, mine, theirs, article):
    client.force_login(reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert reverse("comments:recommend", args=[theirs.pk]) in html
    assert reverse("comments:recommend", args=[mine.pk]) not in html


# ------------------------------------------------------------------ report


def test_reader_reports_with_a_reason_and_is_told_it_was_received(client, reader, theirs):
    client.force_login(reader)
    response = client.post(
        reverse("comments:report", args=[theirs.pk]),
        {"reason": "harassment", "note": "Targets a named person"},
        follow=True,
    )
    assert "We received your report" in response.content.decode()
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.note) == (
        reader,
        "harassment",
        "Targets a named person",
    )


def test_second_report_by_the_same_reader_is_refused_kindly(client, reader, theirs):
    client.force_login(reader)
    url = reverse("comments:report", args=[theirs.pk])
    client.post(url, {"reason": "spam"})
    response = client.post(url, {"reason": "hate"}, follow=True)
    assert "You have already reported this comment." in response.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "nonsense", "spam' OR 1=1"])
def test_report_with_a_forged_reason_is_refused(client, reader, theirs, reason):
    client.force_login(reader)
    response = client.post(
        reverse("comments:report", args=[theirs.pk]), {"reason": reason}, follow=True
    )
    assert response.status_code == 200
    assert "reason" in response.content.decode()
    assert not Report.objects.exists()


def test_reader_cannot_report_their_own_comment(client, reader, mine):
    client.force_login(reader)
    response = client.post(
        reverse("comments:report", args=[mine.pk]), {"reason": "spam"}, follow=True
    )
    assert "You cannot report your own comment." in response.content.decode()
    assert not Report.objects.exists()


def test_anonymous_report_is_sent_to_sign_in(client, theirs):
    response = client.post(reverse("comments:report", args=[theirs.pk]), {"reason": "spam"})
    assert reverse("account_login") in response["Location"]
    assert not Report.objects.exists()


# ------------------------------------------------------------------ forms in place


@pytest.mark.parametrize("kind", ["reply", "report"])
def test_action_forms_open_in_place_with_htmx(client, reader, theirs, kind):
    client.force_login(reader)
    response = client.get(
        reverse("comments:action", args=[theirs.pk, kind]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'class="action-form"' in html
    assert "<form" in html


def test_action_form_without_htmx_opens_the_article_page_with_the_form(client, reader, theirs):
    client.force_login(reader)
    response = client.get(reverse("comments:action", args=[theirs.pk, "reply"]), follow=True)
    html = response.content.decode()
    assert f'id="reply-body-{theirs.pk}"' in html
    assert f'name="parent" value="{theirs.pk}"' in html


def test_unknown_action_form_is_404(client, reader, theirs):
    client.force_login(reader)
    assert client.get(f"/comments/{theirs.pk}/form/explode/").status_code == 404


def test_comment_routes_with_huge_ids_are_404_not_500(client, reader):
    client.force_login(reader)
    huge = "9" * 30
    assert client.get(f"/comments/{huge}/").status_code == 404
    assert client.post(f"/comments/{huge}/recommend/").status_code == 404
    assert Comment.objects.count() == 0
