"""Screening that reads Urdu (issue 15): word lists and personal-data rules fold the
Arabic-script variants and diacritics through the one normaliser
(moderation.textfold), match the common Roman Urdu spellings of one word, and show
each match as the author typed it; the queue keeps a number's order inside Urdu."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comments.services import comment_post
from moderation import rules
from moderation.rules import Submission
from moderation.selectors import highlight_body
from moderation.textfold import fold, fold_characters

pytestmark = pytest.mark.django_db(transaction=False)


def screen(body: str, **facts) -> list[tuple[str, str, str]]:
    facts.setdefault("article_premoderated", False)
    verdict = rules.screen(Submission(body=body, **facts))
    return [(hit.code, str(hit.action), hit.match) for hit in verdict.hits]


@pytest.mark.parametrize(
    "typed",
    [
        "یہ شخص حرامی ہے",
        "یہ شخص حرامي ہے",  # Arabic yeh
        "یہ شخص حَرامی ہے",  # a zabar typed
        "یہ شخص حـرامـی ہے",  # tatweel
        "یہ شخص حرامى ہے",  # alef maksura
    ],
)
def test_an_urdu_term_matches_however_its_letters_were_typed(typed):
    (hit,) = screen(typed, block_terms=("حرامی",))
    assert hit[:2] == ("words.blocked", "reject")
    assert hit[2] in typed  # shown as typed, marks and all


def test_a_term_listed_with_arabic_letters_matches_urdu_ones():
    assert [h[0] for h in screen("وہ بکواس کرتا ہے", hold_terms=("بكواس",))] == ["words.held"]
    assert [h[0] for h in screen("بےشرم لوگ", hold_terms=("بےشرم",))] == ["words.held"]


@pytest.mark.parametrize(
    ("term", "typed"),
    [
        ("ghatiya", "ghatia"),
        ("ghatiya", "GHATIYAAA"),
        ("kameena", "kamina"),
        ("ulloo", "ullu"),
        ("bakwaas", "bakwas"),
        ("qatal", "katal"),
        ("awara", "avara"),
        ("kya bakwas", "kia bakwaas"),
    ],
)
def test_common_roman_urdu_spellings_of_one_word_match(term, typed):
    assert fold(term) == fold(typed)
    body = f"Bhai yeh banda {typed} hai, sab ko pata hai"
    assert [h[0] for h in screen(body, hold_terms=(term,))] == ["words.held"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("kota", "kutta"),  # quota is not the insult
        ("khota", "kota"),
        ("ganda", "gandi"),  # inflections stay apart
    ],
)
def test_different_words_stay_apart(a, b):
    assert fold(a) != fold(b)


@pytest.mark.parametrize(
    "number",
    [
        "۰۳۳۳-۱۲۳۴۵۶۷",  # Urdu digits
        "٠٣٣٣١٢٣٤٥٦٧",  # Arabic-Indic digits
        "0333\u200e-1234567",  # a direction mark typed inside
        "0333\u200c1234567",  # a zero-width non-joiner
        "0300 123 4567",
        "0092-300-1234567",
        "+92 300 123 4567",
    ],
)
def test_a_phone_number_inside_urdu_is_held_and_shown_as_typed(number):
    body = f"اس افسر کا ذاتی نمبر {number} ہے، سب اسے فون کریں"
    assert screen(body) == [("personal_data.phone", "hold", number)]


def test_a_cnic_in_urdu_digits_and_a_disguised_address_are_held():
    body = "شناختی کارڈ ۳۵۲۰۲-۱۲۳۴۵۶۷-۱ اور ای میل victim.name (at) gmail (dot) com"
    assert screen(body) == [
        ("personal_data.cnic", "hold", "۳۵۲۰۲-۱۲۳۴۵۶۷-۱"),
        ("personal_data.email", "hold", "victim.name (at) gmail (dot) com"),
    ]


def test_realistic_mixed_text_gets_every_hit_it_should_and_no_other():
    body = (
        "Yeh banda bohat ghatia hai. Iska number ۰۳۰۰ ۱۲۳ ۴۵۶۷ hai, سب اسے کال کریں۔"
        " In 2018, 1,200 log march mein thay."
    )
    assert screen(body, hold_terms=("ghatiya",), block_terms=("kutta",)) == [
        ("words.held", "hold", "ghatia"),
        ("personal_data.phone", "hold", "۰۳۰۰ ۱۲۳ ۴۵۶۷"),
    ]


def test_the_character_fold_keeps_punctuation_and_maps_back():
    text = "نمبر ۰۳۳۳\u200e-۱۲۳"
    folded = fold_characters(text)
    assert folded.text == "نمبر 0333-123"
    at = folded.text.index("0333-123")
    start, end = folded.original_span(at, at + len("0333-123"))
    assert text[start:end] == "۰۳۳۳\u200e-۱۲۳"


def test_the_queue_highlight_keeps_the_numbers_order_inside_urdu():
    body = "اس افسر کا ذاتی نمبر 0333-1234567 ہے"
    html = highlight_body(body, [{"code": "personal_data.phone", "match": "0333-1234567"}])
    assert "<mark><bdi>0333-1234567</bdi></mark>" in html


def test_the_queue_shows_an_urdu_comment_right_to_left(client, moderator, reader, premod_article):
    comment_post(author=reader, article=premod_article, body="اس افسر کا نمبر 0333-1234567 ہے")
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert '<div class="comment-body queue-body" lang="ur" dir="rtl">' in html
    assert "<mark><bdi>0333-1234567</bdi></mark>" in html
