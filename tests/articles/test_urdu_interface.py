"""The reader's public pages in Urdu: the interface's words, lang and dir; English unchanged."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from metoo_site.views import error_500

pytestmark = pytest.mark.django_db

URDU = {"HTTP_ACCEPT_LANGUAGE": "ur"}
RTL_HTML = '<html lang="ur" dir="rtl">'


def test_home_page_speaks_urdu_right_to_left(client, article):
    html = client.get("/", **URDU).content.decode()
    assert RTL_HTML in html
    assert "مواد پر جائیں" in html  # skip link
    assert "کمیونٹی کے رہنما اصول" in html  # footer
    assert 'placeholder="تلاش"' in html
    assert "Skip to content" not in html
    assert "0 تبصرے" in html  # the card's comment count


def test_home_page_stays_english_without_a_choice(client, article):
    html = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Skip to content" in html
    assert "0 comments" in html
    assert 'data-t-copied="Link copied"' in html


def test_the_cookie_chooses_urdu_as_well(client, article):
    client.cookies["django_language"] = "ur"
    html = client.get("/").content.decode()
    assert RTL_HTML in html
    assert "سرورق" in html


def test_article_page_in_urdu_has_urdu_dates_and_site_words(client, article):
    html = client.get(article.get_absolute_url(), **URDU).content.decode()
    assert RTL_HTML in html
    assert "شائع شدہ:" in html
    assert "بحث میں شامل ہوں" in html
    assert "تبصرہ بھیجیں" in html
    # the date written by core.dates, in Urdu
    months = ("جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر")
    months += ("اکتوبر", "نومبر", "دسمبر")
    assert any(f" {m} " in html for m in months)
    # site.js's words come translated through data- attributes
    assert 'data-t-copied="لنک کاپی ہو گیا"' in html


def test_search_in_urdu(client, article):
    html = client.get(reverse("articles:search"), {"q": "zzzznothing"}, **URDU).content.decode()
    assert RTL_HTML in html
    assert "مضامین میں تلاش کریں" in html
    assert "سے کوئی مضمون نہیں ملا" in html


def test_search_in_english_unchanged(client, article):
    html = client.get(reverse("articles:search"), {"q": "zzzznothing"}).content.decode()
    assert "No articles match “<bdi>zzzznothing</bdi>”." in html


def test_guidelines_in_urdu_are_translated_whole(client):
    html = client.get(reverse("guidelines"), **URDU).content.decode()
    assert RTL_HTML in html
    assert "متاثرین کا تحفظ کریں" in html
    assert "ماڈریشن کیسے ہوتی ہے" in html
    assert "Protect survivors" not in html
    assert "Never name, describe" not in html


def test_404_page_in_urdu(client):
    response = client.get("/no-such-page-here/", **URDU)
    assert response.status_code == 404
    html = response.content.decode()
    assert RTL_HTML in html
    assert "صفحہ نہیں ملا" in html


@override_settings(DEBUG=False)
def test_500_page_in_urdu_needs_no_request_context(rf):
    with translation.override("ur"):
        html = error_500(rf.get("/")).content.decode()
    assert RTL_HTML in html
    assert "کچھ غلط ہو گیا" in html
    with translation.override("en"):
        english = error_500(rf.get("/")).content.decode()
    assert '<html lang="en" dir="ltr">' in english
    assert "Something went wrong" in english
