"""Search that reads Urdu, and an article's language (issue 15): Urdu queries find
Urdu articles however their letters were typed (ي/ی, ك/ک, ه/ہ/ۀ, hamza forms,
diacritics), the highlight covers whole words in the article's own letters, and each
text's language is stored with it and reaches the page."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from articles import selectors, services
from articles.models import Article
from articles.search import unfold_snippet
from tests.factories import SectionFactory
from tests.urdu_content import BODY, STANDFIRST, TITLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def urdu_article(editor):
    section = SectionFactory(name="News", slug="news")
    when = timezone.now() - timedelta(days=1)
    article = services.article_create(
        by=editor, title=TITLE, body=BODY, standfirst=STANDFIRST, section=section, now=when
    )
    return services.article_publish(article=article, by=editor, at=when, now=when)


@pytest.fixture
def english_article(editor):
    section = SectionFactory(name="Opinion", slug="opinion")
    when = timezone.now() - timedelta(days=2)
    article = services.article_create(
        by=editor,
        title="The harassment law, ten years on",
        body="Committees exist on paper. شکریہ: one Urdu word does not make it Urdu.",
        section=section,
        now=when,
    )
    return services.article_publish(article=article, by=editor, at=when, now=when)


def _slugs(query: str) -> list[str]:
    return [a.slug for a in selectors.article_search(query)]


@pytest.mark.parametrize(
    "query",
    [
        "ہراسانی",  # as the article has it
        "هراساني",  # Arabic heh and yeh
        "ہراسانى",  # alef maksura
        "کمیٹی",
        "كميٹي",  # Arabic kaf and yeh
        "انکوائری",
        "انکوایری",  # without the hamza
        "بھی",
        "بهي",  # Arabic heh for heh doachashmee, Arabic yeh
        "شِکایت",  # with a zer typed
        "قانون",
    ],
)
def test_urdu_queries_find_the_urdu_article_however_they_are_typed(
    urdu_article, english_article, query
):
    assert _slugs(query) == [urdu_article.slug]


def test_english_search_still_stems(urdu_article, english_article):
    assert _slugs("committee") == [english_article.slug]


def test_the_snippet_keeps_the_articles_letters_and_marks_whole_words(urdu_article):
    (result,) = selectors.article_search("كميٹي")  # typed with Arabic letters
    snippet = selectors.search_snippet(result)
    assert "⟦کمیٹی⟧" in snippet  # the article's spelling, the whole word marked
    assert "انکوائری" in snippet  # not the folded "انکوایری"
    assert "بھی" in snippet and "بہی" not in snippet


def test_the_search_page_highlights_urdu_right_to_left(client, urdu_article):
    html = client.get(reverse("articles:search"), {"q": "هراساني"}).content.decode()
    assert '<p class="snippet" lang="ur" dir="rtl">' in html
    assert "<mark>ہراسانی</mark>" in html


def test_unfolding_puts_dropped_marks_inside_the_highlight():
    source = "ایک مُلک کی بات"
    folded_snippet = "ایک ⟦ملک⟧ کی … بات"
    assert (
        unfold_snippet(folded_snippet, source, delimiter=" … ", markers=("⟦", "⟧"))
        == "ایک ⟦مُلک⟧ کی … بات"
    )
    # A snippet that does not come from the text is left as it was.
    assert unfold_snippet("⟦x⟧", source, delimiter=" … ", markers=("⟦", "⟧")) == "⟦x⟧"


def test_each_text_gets_its_language_when_saved(editor, urdu_article, english_article):
    assert (urdu_article.title_lang, urdu_article.standfirst_lang, urdu_article.body_lang) == (
        "ur",
        "ur",
        "ur",
    )
    assert urdu_article.language == "ur"
    assert english_article.language == "en"
    updated = services.article_update(
        article=english_article, by=editor, changes={"title": "قانون کے دس سال"}
    )
    assert updated.title_lang == "ur"
    assert updated.body_lang == "en"
    assert Article.objects.get(pk=english_article.pk).title_lang == "ur"


def test_an_urdu_article_reads_right_to_left_as_a_whole(client, urdu_article, english_article):
    html = client.get(urdu_article.get_absolute_url()).content.decode()
    assert '<article class="story story-rtl" dir="rtl">' in html
    assert '<h1 class="story-title" lang="ur" dir="rtl">' in html
    assert '<div class="story-body" lang="ur" dir="rtl">' in html
    # The helpline's number keeps its order inside the Urdu text.
    assert "<bdi>0800-12345</bdi>" in html
    html = client.get(english_article.get_absolute_url()).content.decode()
    assert '<article class="story story-ltr" dir="ltr">' in html


def test_the_migration_fills_languages_and_folds_the_index(urdu_article):
    Article.objects.filter(pk=urdu_article.pk).update(
        title_lang="", standfirst_lang="", body_lang="", language="", search_vector=None
    )
    import_module("articles.migrations.0005_text_direction").backfill(apps, None)
    urdu_article.refresh_from_db()
    assert urdu_article.language == urdu_article.title_lang == urdu_article.body_lang == "ur"
    assert _slugs("كميٹي") == [urdu_article.slug]
