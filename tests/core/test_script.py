"""Direction from the dominant script, the Arabic-script fold search and screening
share, and the isolation of numbers and @names (core.script, core.languages)."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from core.languages import TextLanguage, lang_attrs, language_of
from core.script import (
    ARABIC_FOLD_FROM,
    ARABIC_FOLD_TO,
    direction_of,
    fold_arabic,
    isolate,
)
from core.script import language_of as script_language_of


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("بہت اچھی رپورٹ۔ میری بہن نے بھی شکایت کی تھی۔", "ur"),
        ("A fine report. My sister complained too.", "en"),
        # The named defect: the first strong character is Urdu, the text is English.
        ("شکریہ for writing this. The committee at my office exists only on paper.", "en"),
        # And the other way round: an Urdu comment that opens with a Latin name.
        ("Bilal بھائی، آپ کی بات بالکل درست ہے، کمیٹی صرف کاغذ پر ہے۔", "ur"),
        # Links, email addresses and @names are not prose.
        ("https://www.dawn.com/news/1442356/metoo-in-pakistan دیکھیں", "ur"),
        ("@MuhammadEmadButt جی ہاں", "ur"),
        ("لکھیں: reporter@example.com", "ur"),
        # Digits and punctuation are not letters.
        ("0333-1234567 پر فون کریں", "ur"),
        ("2019 ۔۔۔ 2020 !!! ok", "en"),
        # Roman Urdu is Latin script.
        ("Yeh bohat zaroori masla hai, log baat hi nahi karte.", "en"),
        # No letters at all: undetermined, the page's language stands.
        ("0333-1234567", ""),
        ("👍👍 !!!", ""),
        ("", ""),
        # A tie goes to the first letter's script.
        ("ab عب", "en"),
        ("عب ab", "ur"),
    ],
)
def test_language_comes_from_the_dominant_script_not_the_first_letter(text, language):
    assert script_language_of(text) == language
    assert language_of(text) == TextLanguage(language)


def test_direction_and_attributes_follow_the_language():
    assert direction_of("ur") == "rtl"
    assert direction_of("en") == "ltr"
    assert direction_of("") == "auto"
    assert lang_attrs("ur") == ' lang="ur" dir="rtl"'
    assert lang_attrs("en") == ' lang="en" dir="ltr"'
    assert lang_attrs("") == ' dir="auto"'
    # Only the languages it knows reach the markup.
    assert lang_attrs('"><script>') == ' dir="auto"'


@pytest.mark.parametrize(
    ("typed", "urdu"),
    [
        ("علي", "علی"),  # Arabic yeh
        ("على", "علی"),  # alef maksura
        ("كامران", "کامران"),  # Arabic kaf
        ("فاطمه", "فاطمہ"),  # Arabic heh
        ("فاطمة", "فاطمہ"),  # teh marbuta
        ("فاطمۀ", "فاطمہ"),  # heh with yeh above
        ("بهی", "بہی"),
        ("بھی", "بہی"),  # heh doachashmee, folded with its look-alikes
        ("فَاطِمَہ", "فاطمہ"),  # harakat
        ("مُلْک", "ملک"),  # pesh, sukun
        ("بشریٰ", "بشری"),  # superscript alef
        ("آمنہ", "امنہ"),  # madda
        ("أمين", "امین"),  # hamza above
        ("ثناء", "ثنا"),  # standalone hamza
        ("عائشہ", "عایشہ"),  # yeh with hamza
        ("مؤقف", "موقف"),  # waw with hamza
        ("ـعـائـشـہ", "عایشہ"),  # tatweel
        ("۱۲۳", "123"),
        ("٤٥", "45"),
    ],
)
def test_arabic_script_variants_fold_to_the_urdu_letters(typed, urdu):
    assert fold_arabic(typed) == fold_arabic(urdu)


def test_bari_ye_is_not_chhoti_ye_in_search():
    # "ہے" (is) and "ہی" (only) are different words a reader searches for.
    assert fold_arabic("ہے") != fold_arabic("ہی")


def test_latin_text_is_left_as_it_was():
    text = "MeToo in Pakistan: Ayeshá's “inquiry”, 2018."
    assert fold_arabic(text) == text


def test_the_fold_keeps_or_drops_each_character_and_never_adds_one():
    text = "فَاطِمَہ عائشہ ثناء Ayeshá"
    assert all(len(fold_arabic(ch)) <= 1 for ch in text)


@pytest.mark.django_db
def test_postgresql_folds_exactly_as_python_does():
    text = "عائشہ علي كامران فَاطِمَة ثناء بشریٰ آمنہ ۱۲۳ ٤٥ ـهـ Ayeshá 2018"
    with connection.cursor() as cursor:
        cursor.execute("SELECT translate(%s, %s, %s)", [text, ARABIC_FOLD_FROM, ARABIC_FOLD_TO])
        (folded,) = cursor.fetchone()
    assert folded == fold_arabic(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(ARABIC_FOLD_FROM + "ابپتہیک abc 12-"))))
def test_the_sql_table_and_the_python_fold_are_one_table(text):
    # translate(): each `from` character past the end of `to` is deleted.
    table = {
        ch: (ARABIC_FOLD_TO[i] if i < len(ARABIC_FOLD_TO) else "")
        for i, ch in reversed(list(enumerate(ARABIC_FOLD_FROM)))
    }
    assert "".join(table.get(ch, ch) for ch in text) == fold_arabic(text)


@pytest.mark.parametrize(
    ("html", "isolated"),
    [
        ("نمبر 0333-1234567 ہے", "نمبر <bdi>0333-1234567</bdi> ہے"),
        ("کال کریں +92 300 1234567 پر", "کال کریں <bdi>+92 300 1234567</bdi> پر"),
        ("۰۳۳۳-۱۲۳۴۵۶۷", "<bdi>۰۳۳۳-۱۲۳۴۵۶۷</bdi>"),
        ("13/11/2018 کو 09:47 بجے", "<bdi>13/11/2018</bdi> کو <bdi>09:47</bdi> بجے"),
        ("@Bilal درست", "<bdi>@Bilal</bdi> درست"),
        # English after an Urdu word needs it too: the digits became Arabic numbers.
        ("He wrote شکریہ 0333-1234567", "He wrote شکریہ <bdi>0333-1234567</bdi>"),
        # Character references, tags, code and links stay as they are.
        ("یہ It&#x27;s 50%", "یہ It&#x27;s <bdi>50%</bdi>"),
        (
            'یہ <a href="https://x.example/2018/1" dir="ltr">x.example/2018</a> 5',
            'یہ <a href="https://x.example/2018/1" dir="ltr">x.example/2018</a> <bdi>5</bdi>',
        ),
        ("یہ <code>alert(1)</code>", "یہ <code>alert(1)</code>"),
        (
            'نمبر <mark class="model-span">0333</mark>',
            'نمبر <mark class="model-span"><bdi>0333</bdi></mark>',
        ),
        # Text without Arabic-script letters needs nothing.
        ("Call 0333-1234567, @Bilal, at 09:47", "Call 0333-1234567, @Bilal, at 09:47"),
    ],
)
def test_numbers_and_names_are_isolated_where_arabic_script_is(html, isolated):
    assert isolate(html) == isolated
