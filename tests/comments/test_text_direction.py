"""A comment's language and direction come from its dominant script, are stored
when it is posted or edited, and reach the page as lang and dir; numbers, @names and
links keep their order inside right-to-left text (issue 15)."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.lifecycle import profile_update
from comments.models import Comment
from comments.services import comment_edit, comment_post
from comments.text import render_body
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH_OPENING_IN_URDU = "شکریہ for writing this. The committee at my office exists on paper."
URDU = "بہت اچھی رپورٹ۔ میری بہن نے بھی 2019 میں شکایت کی تھی۔"


def test_an_english_comment_opening_with_an_urdu_word_is_english_left_to_right(
    client, reader, article
):
    # The defect: dir="auto" followed the first strong character and set this
    # right to left, its full stop thrown to the left.
    comment = comment_post(author=reader, article=article, body=ENGLISH_OPENING_IN_URDU)
    assert comment.body_lang == "en"
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<div class="comment-body" lang="en" dir="ltr"><p>{ENGLISH_OPENING_IN_URDU}' in html


def test_an_urdu_comment_is_urdu_right_to_left_with_its_numbers_isolated(client, reader, article):
    comment = comment_post(author=reader, article=article, body=URDU)
    assert comment.body_lang == "ur"
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<div class="comment-body" lang="ur" dir="rtl"><p>' in html
    assert "بھی <bdi>2019</bdi> میں" in html


def test_an_edit_decides_the_language_again(reader, article):
    now = timezone.now()
    comment = comment_post(author=reader, article=article, body="First thoughts.", now=now)
    assert comment.body_lang == "en"
    edited = comment_edit(comment=comment, by=reader, body=URDU, now=now + timedelta(minutes=1))
    assert edited.body_lang == "ur"
    assert Comment.objects.get(pk=comment.pk).body_lang == "ur"


def test_a_text_without_letters_leaves_the_direction_to_the_browser(client, reader, article):
    comment = comment_post(author=reader, article=article, body="👍👍 100%")
    assert comment.body_lang == ""
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<div class="comment-body" dir="auto"><p>' in html


def test_an_urdu_display_name_is_isolated_in_its_own_direction(client, article):
    sana = UserFactory(display_name="ثنا خان")
    comment_post(author=sana, article=article, body="Thank you for this.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="comment-author"' in html
    assert '<bdi lang="ur" dir="rtl">ثنا خان</bdi>' in html


def test_a_new_display_name_gets_its_language(reader):
    assert reader.display_name_lang == "en"
    profile_update(user=reader, display_name="ثنا", notify_replies=True, notify_moderation=True)
    reader.refresh_from_db()
    assert reader.display_name_lang == "ur"


@pytest.mark.parametrize(
    ("body", "html"),
    [
        (
            "میرا نمبر 0333-1234567 ہے",
            "<p>میرا نمبر <bdi>0333-1234567</bdi> ہے</p>",
        ),
        (
            "@Bilal بالکل درست",
            "<p><bdi>@Bilal</bdi> بالکل درست</p>",
        ),
        (
            "دیکھیں https://example.org/2018/report?id=7.",
            '<p>دیکھیں <a href="https://example.org/2018/report?id=7" rel="nofollow ugc noopener"'
            ' target="_blank" dir="ltr">https://example.org/2018/report?id=7</a>.</p>',
        ),
        ("ہاں It's 5 o'clock", "<p>ہاں It&#x27;s <bdi>5</bdi> o&#x27;clock</p>"),
        ("It's 5 o'clock, @Bilal", "<p>It&#x27;s 5 o&#x27;clock, @Bilal</p>"),
    ],
)
def test_numbers_names_and_links_are_isolated_in_the_body(body, html):
    assert render_body(body) == html


def test_the_migration_fills_the_language_of_existing_comments(reader, article):
    comment = comment_post(author=reader, article=article, body=URDU)
    Comment.objects.filter(pk=comment.pk).update(body_lang="", body_html="<p>old</p>")
    migration = import_module("comments.migrations.0004_text_direction")
    migration.backfill(apps, None)
    comment.refresh_from_db()
    assert comment.body_lang == "ur"
    assert comment.body_html == render_body(URDU)
