"""The comment thread in Urdu: the buttons comments/render.py writes, the
messages, and the shared renderings kept apart by language; English unchanged."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from accounts.lifecycle import account_delete
from comments import render, selectors
from comments.services import comment_post

pytestmark = pytest.mark.django_db

URDU = {"HTTP_ACCEPT_LANGUAGE": "ur"}


def test_signed_in_reader_sees_the_thread_buttons_in_urdu(client, reader, other_reader, article):
    comment_post(author=other_reader, article=article, body="A comment in English")
    client.force_login(reader)
    html = client.get(article.get_absolute_url(), **URDU).content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    assert ">جواب</a>" in html
    assert ">رپورٹ</a>" in html
    assert ">پسند کریں" in html
    assert ">لنک کاپی کریں</a>" in html
    assert 'title="اس تبصرے کا لنک"' in html
    assert 'aria-label="<bdi>M. Emad</bdi> کو جواب دیں"' not in html  # the name is plain
    assert 'aria-label="M. Emad کو جواب دیں"' in html
    assert "1 تبصرہ" in html
    assert ">Reply</a>" not in html


def test_visitor_sees_sign_in_to_reply_in_urdu_and_english_stays(client, reader, article):
    comment_post(author=reader, article=article, body="First")
    urdu = client.get(article.get_absolute_url(), **URDU).content.decode()
    english = client.get(article.get_absolute_url()).content.decode()
    assert "جواب دینے کے لیے سائن اِن کریں</a>" in urdu
    assert "Sign in to reply</a>" in english
    assert "Sign in to reply</a>" not in urdu
    assert '<h2 id="comments-heading">1 comment</h2>' in english


def test_a_deleted_accounts_name_is_said_in_the_readers_language(client, reader, article):
    comment_post(author=reader, article=article, body="Kept after I leave")
    account_delete(user=reader, now=timezone.now(), comments="anonymise")
    urdu = client.get(article.get_absolute_url(), **URDU).content.decode()
    english = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="comment-author"><bdi>حذف شدہ اکاؤنٹ</bdi></span>' in urdu
    assert '<span class="comment-author"><bdi>deleted account</bdi></span>' in english


def test_no_comments_yet_in_urdu(client, article):
    html = client.get(article.get_absolute_url(), **URDU).content.decode()
    assert "ابھی کوئی تبصرہ نہیں۔ بحث کا آغاز کریں۔" in html


def test_shared_comment_html_is_kept_per_language(reader, article):
    comment = comment_post(author=reader, article=article, body="Shared")

    render.shared_items.clear()
    viewer = render.Viewer(signed_in=False, user_id=None, comments_open=True)
    page = selectors.thread_page(article_id=article.pk, user=None, sort="oldest")
    with translation.override("en"):
        english = b"".join(render.shared_thread_page(page, viewer, page_path="/a/")).decode()
    with translation.override("ur"):
        urdu = b"".join(render.shared_thread_page(page, viewer, page_path="/a/")).decode()
    assert f'id="c{comment.pk}"' in urdu
    assert "Copy link" in english and "Copy link" not in urdu
    assert "لنک کاپی کریں" in urdu


def test_recommendation_counts_in_urdu_and_english():
    with translation.override("ur"):
        urdu = render.recommend_form(comment_id=5, count=3, recommended=True, csrf_input="")
    with translation.override("en"):
        english = render.recommend_form(comment_id=5, count=3, recommended=True, csrf_input="")
    assert 'aria-label="3 پسند"' in urdu and "پسند کیا" in urdu
    assert 'aria-label="3 recommendations"' in english and ">Recommended " in english


def test_refusals_are_said_in_urdu(client, reader, article):
    top = comment_post(author=reader, article=article, body="Mine")
    client.force_login(reader)
    response = client.get(f"/comments/{top.pk}/form/report/", HTTP_HX_REQUEST="true", **URDU)
    assert "آپ اپنے تبصرے کی رپورٹ نہیں کر سکتے۔" in response.content.decode()
