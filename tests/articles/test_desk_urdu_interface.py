"""The editors' desk in Urdu: an editor whose browser asks for Urdu gets the list, the
edit form (its labels, help and errors), the people pages and the article's comments
in Urdu, right to left, and what they save is saved as it is in English."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from articles.desk_people import _held_words
from articles.models import Article, ArticleStatus, Person, PersonRole, role_word
from comments.services import comment_post
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

URDU = {"HTTP_ACCEPT_LANGUAGE": "ur"}
RTL = '<html lang="ur" dir="rtl">'


def test_the_desk_list_reads_in_urdu_right_to_left(client, editor, reader, section, draft):
    live = ArticleFactory(title="Live piece", section=section)
    comment_post(author=reader, article=live, body="A first comment")
    client.force_login(editor)

    html = client.get(reverse("desk:list"), **URDU).content.decode()
    assert RTL in html
    assert "ایڈیٹر ڈیسک" in html  # Editor desk
    assert "نیا مضمون" in html  # New article
    assert "پوری سائٹ کی محفوظ فہرست" in html  # Site-wide protected list
    assert "مسودے" in html and "شیڈول شدہ" in html  # the tabs
    assert "آخری تبدیلی" in html  # the drafts' date column
    assert "Work in progress" in html  # what people wrote stays as written
    assert "Editor desk" not in html and "New article" not in html

    html = client.get(reverse("desk:list"), {"view": "published"}, **URDU).content.decode()
    assert "Live piece" in html
    assert "1 شائع شدہ" in html  # the comment count, in Urdu
    assert "0 زیرِ التوا" in html
    assert "تبصرے اور انتخاب" in html  # Comments and picks

    html = client.get(reverse("desk:list"), {"view": "scheduled"}, **URDU).content.decode()
    assert "کچھ بھی شیڈول نہیں۔" in html  # Nothing is scheduled.


def test_the_desk_list_stays_english_for_an_english_browser(client, editor, draft):
    client.force_login(editor)
    html = client.get(reverse("desk:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Editor desk" in html and "ایڈیٹر ڈیسک" not in html


def test_the_edit_form_has_urdu_labels_help_and_choices(client, editor, draft):
    client.force_login(editor)
    html = client.get(reverse("desk:edit", args=[draft.pk]), **URDU).content.decode()
    assert RTL in html
    for urdu in (
        "سرخی",  # Title
        "ابتدائیہ",  # Standfirst
        "بائی لائن",  # Byline
        "تبصرے اتنے دن بعد بند کریں",  # Close comments after (days)
        "خالی چھوڑیں تو آپ کا نام۔",  # Empty: your name.
        "پیشگی ماڈریشن (شائع ہونے سے پہلے جانچ)",  # a comment mode
        "تبدیلیاں محفوظ کریں",  # Save changes
        "ابھی شائع کریں",  # Publish now
        "خبر میں شامل افراد",  # People in the story
        "تاریخچہ",  # History
        "مسودہ",  # the Draft pill
    ):
        assert urdu in html, urdu
    for english in ("Save changes", "Publish now", "Close comments after", "Empty: your name."):
        assert english not in html, english


def test_a_validation_error_on_the_urdu_desk_is_in_urdu(client, editor, section, draft):
    client.force_login(editor)
    response = client.post(
        reverse("desk:new"),
        {
            "title": "A second piece",
            "section": section.pk,
            "slug": "work-in-progress",  # the draft's
            "comments_mode": "",
        },
        **URDU,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert RTL in html
    assert "یہ سلگ کسی اور مضمون کا ہے۔" in html  # Another article has this slug.
    assert "Another article has this slug." not in html
    assert not Article.objects.filter(title="A second piece").exists()


def test_an_article_saved_from_the_urdu_desk_is_saved(client, editor, section, draft):
    client.force_login(editor)
    response = client.post(
        reverse("desk:new"),
        {
            "title": "ہراسانی کمیٹیاں",
            "standfirst": "قانون کیا کہتا ہے",
            "body": "## سرخی\n\nمتن",
            "section": section.pk,
            "byline": "",
            "slug": "harassment-committees",
            "comments_mode": "",
            "comments_close_after_days": "",
        },
        follow=True,
        **URDU,
    )
    article = Article.objects.get(slug="harassment-committees")
    assert article.title == "ہراسانی کمیٹیاں"
    assert article.status == ArticleStatus.DRAFT
    assert response.redirect_chain[-1][0] == reverse("desk:edit", args=[article.pk])
    html = response.content.decode()
    assert "مسودہ محفوظ ہو گیا۔" in html  # Draft saved.
    assert "نے مسودہ بنایا" in html  # the history: "... created the draft"

    response = client.post(
        reverse("desk:edit", args=[draft.pk]),
        {
            "title": "Work in progress, revised",
            "standfirst": "",
            "body": "Text",
            "section": section.pk,
            "byline": "Staff reporter",
            "slug": "work-in-progress",
            "comments_mode": "open",
            "comments_close_after_days": "",
        },
        follow=True,
        **URDU,
    )
    draft.refresh_from_db()
    assert draft.title == "Work in progress, revised"
    assert draft.byline == "Staff reporter"
    html = response.content.decode()
    assert "تبدیلیاں محفوظ ہو گئیں۔" in html  # Changes saved.
    # The history's arrow points the way Urdu reads: from the old title to the new.
    assert "<bdi>Work in progress</bdi> ← <bdi>Work in progress, revised</bdi>" in html


def test_the_people_page_reads_in_urdu_right_to_left(client, editor, draft):
    Person.objects.create(
        article=draft, name="Ayesha Khan", role=PersonRole.PROTECTED, created_by=editor
    )
    client.force_login(editor)
    html = client.get(reverse("desk:people", args=[draft.pk]), **URDU).content.decode()
    assert RTL in html
    for urdu in (
        "خبر میں شامل افراد",  # People in the story
        "اس مضمون کی فہرست",  # Listed for this article
        "اس شخص کو فہرست میں شامل کریں",  # List this person
        "ہجا شامل کریں",  # Add spelling
        "حیثیت بدلیں",  # Change role
        "محفوظ (متاثرہ فرد، شکایت کنندہ، نابالغ، یا جسے عدالت نے تحفظ دیا ہو)",  # role choice
        "عوامی شخصیت",  # Public figure
        "نیوز روم کے لیے نوٹ",  # Note for the newsroom
    ):
        assert urdu in html, urdu
    assert "Ayesha Khan" in html
    assert "List this person" not in html and "Add spelling" not in html


def test_listing_a_person_from_the_urdu_desk_says_so_in_urdu(client, editor, article):
    client.force_login(editor)
    response = client.post(
        reverse("desk:person_add", args=[article.pk]),
        {"name": "Ayesha Khan", "role": "protected", "variants": "", "note": ""},
        follow=True,
        **URDU,
    )
    html = response.content.decode()
    assert Person.objects.filter(article=article, name="Ayesha Khan").exists()
    assert "Ayesha Khan کو فہرست میں شامل کر دیا گیا (محفوظ)۔" in html
    assert "نے ایک شخص کو فہرست میں شامل کیا" in html  # the history

    response = client.post(
        reverse("desk:person_add", args=[article.pk]),
        {"name": "Al", "role": "protected", "variants": "", "note": ""},
        **URDU,
    )
    assert "فہرست میں ڈالنے کے لیے بہت چھوٹا ہے" in response.content.decode()  # too short


def test_the_protected_list_and_the_articles_comments_read_in_urdu(client, editor, reader, section):
    live = ArticleFactory(title="Live piece", section=section)
    comment_post(author=reader, article=live, body="A first comment")
    client.force_login(editor)

    html = client.get(reverse("desk:protected"), **URDU).content.decode()
    assert RTL in html
    assert "پوری سائٹ کی محفوظ فہرست" in html and "اس نام کو تحفظ دیں" in html
    assert "Protect this name" not in html

    html = client.get(reverse("comments:desk_comments", args=[live.pk]), **URDU).content.decode()
    assert RTL in html
    assert "“Live piece” پر تبصرے" in html  # Comments on “Live piece”
    assert "1 شائع شدہ" in html
    assert "ایڈیٹرز کا انتخاب بنائیں" in html  # Make an editors’ pick
    assert "Make an editors’ pick" not in html


def test_what_a_listing_took_back_is_counted_in_urdu():
    with translation.override("ur"):
        assert _held_words(0) == "کوئی شائع شدہ تبصرہ اس سے نہیں ملتا۔"
        assert _held_words(1).startswith("1 شائع شدہ تبصرہ اب اس سے ملتا ہے")
        assert _held_words(3).startswith("3 شائع شدہ تبصرے اب اس سے ملتے ہیں")
    with translation.override("en"):
        assert _held_words(1) == "1 published comment now matches and was taken back for review."
        assert _held_words(2) == "2 published comments now match and were taken back for review."


def test_role_words_follow_the_active_language():
    with translation.override("ur"):
        assert role_word(PersonRole.ACCUSED) == "ملزم"
    with translation.override("en"):
        assert role_word(PersonRole.PUBLIC_FIGURE) == "public figure"
    assert role_word(None) == ""
