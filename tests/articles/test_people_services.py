"""Listing people in the story (articles/people.py): who may, what is stored and
logged, and what it does to the version screening keys its matchers by."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from articles import people
from articles.models import Article, ArticleEvent, Person, PersonRole, PersonVariant
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_an_editor_lists_a_survivor_with_her_spellings_and_the_article_log_says_who(
    editor, article
):
    listing = people.person_list(
        article=article,
        by=editor,
        name="Ayesha Khan",
        role=PersonRole.PROTECTED,
        variants=["Aisha K.", "عائشہ خان", "aisha k."],
        note="The complainant",
    )
    person = listing.person
    assert (person.article, person.role, person.note) == (article, "protected", "The complainant")
    assert list(person.variants.order_by("id").values_list("text", flat=True)) == [
        "Aisha K.",
        "عائشہ خان",
    ]
    assert listing.held == 0
    event = ArticleEvent.objects.get(article=article, action="person.listed")
    assert event.actor == editor
    assert event.changes["person"]["after"] == "Ayesha Khan"
    assert event.changes["role"]["after"] == "protected"
    assert event.changes["spellings"]["after"] == ["Aisha K.", "عائشہ خان"]


def test_listing_moves_the_articles_people_version_and_the_site_wide_list_every_articles(
    editor, article
):
    other = ArticleFactory()
    people.person_list(article=article, by=editor, name="Imran Ali", role="accused")
    article.refresh_from_db()
    other.refresh_from_db()
    assert (article.people_version, other.people_version) == (1, 0)
    people.person_list(article=None, by=editor, name="Zoya Haider", role="protected")
    assert sorted(Article.objects.values_list("people_version", flat=True)) == [1, 2]


@pytest.mark.parametrize("persona", ["reader", "moderator"])
def test_only_editors_list_people(request, persona, article):
    with pytest.raises(PermissionDenied):
        people.person_list(
            article=article, by=request.getfixturevalue(persona), name="Imran Ali", role="accused"
        )
    assert not Person.objects.exists()


def test_a_moderator_adds_a_spelling_to_an_articles_person_but_not_to_the_site_wide_list(
    editor, moderator, article
):
    person = people.person_list(
        article=article, by=editor, name="Ayesha Khan", role="protected"
    ).person
    people.variant_add(person=person, by=moderator, text="Aisha Kh.")
    assert PersonVariant.objects.get(person=person).added_by == moderator
    court = people.person_list(article=None, by=editor, name="Zoya Haider", role="protected")
    with pytest.raises(PermissionDenied):
        people.variant_add(person=court.person, by=moderator, text="Zoya H.")
    with pytest.raises(PermissionDenied):
        people.person_remove(person=person, by=moderator)


def test_a_reader_cannot_add_a_spelling(editor, reader, article):
    person = people.person_list(article=article, by=editor, name="Ayesha Khan", role="protected")
    with pytest.raises(PermissionDenied):
        people.variant_add(person=person.person, by=reader, text="Aisha K.")


def test_the_same_name_cannot_be_listed_twice_for_one_article_or_site_wide(editor, article):
    people.person_list(article=article, by=editor, name="Ayesha Khan", role="protected")
    with pytest.raises(people.PeopleError, match="already listed for this article"):
        people.person_list(article=article, by=editor, name="AYESHA KHAN", role="accused")
    people.person_list(article=None, by=editor, name="Zoya Haider", role="protected")
    with pytest.raises(people.PeopleError, match="already listed on the site-wide list"):
        people.person_list(article=None, by=editor, name="zoya haider", role="protected")
    # Another article may list the same name.
    people.person_list(article=ArticleFactory(), by=editor, name="Ayesha Khan", role="protected")


def test_the_site_wide_list_takes_protected_names_only(editor):
    with pytest.raises(people.PeopleError, match="protected names only"):
        people.person_list(article=None, by=editor, name="Imran Ali", role="accused")


@pytest.mark.parametrize("spelling", ["", "  ", "A.", "Al", "A. K."])
def test_a_spelling_of_fewer_than_three_letters_is_refused(editor, article, spelling):
    with pytest.raises(people.PeopleError):
        people.person_list(article=article, by=editor, name=spelling, role="protected")


def test_a_spelling_listed_twice_is_refused(editor, article):
    person = people.person_list(
        article=article, by=editor, name="Ayesha Khan", role="protected", variants=["Aisha K"]
    ).person
    with pytest.raises(people.PeopleError, match="already listed"):
        people.variant_add(person=person, by=editor, text="aisha k")
    with pytest.raises(people.PeopleError, match="already listed"):
        people.variant_add(person=person, by=editor, text="ayesha khan")


def test_removing_a_person_logs_their_spellings_and_moves_the_version(editor, article):
    person = people.person_list(
        article=article, by=editor, name="Imran Ali", role="accused", variants=["عمران علی"]
    ).person
    people.person_remove(person=person, by=editor)
    assert not Person.objects.exists()
    event = ArticleEvent.objects.filter(article=article).latest("id")
    assert event.action == "person.removed"
    assert event.changes["spellings"]["before"] == ["عمران علی"]
    article.refresh_from_db()
    assert article.people_version == 2


def test_changing_a_role_is_logged_and_the_site_wide_list_keeps_its_role(editor, article):
    person = people.person_list(article=article, by=editor, name="Sana Mir", role="accused").person
    people.person_change(person=person, by=editor, role="public_figure", note="A cricketer")
    person.refresh_from_db()
    assert (person.role, person.note) == ("public_figure", "A cricketer")
    event = ArticleEvent.objects.filter(article=article).latest("id")
    assert event.changes["role"] == {"before": "accused", "after": "public_figure"}
    court = people.person_list(article=None, by=editor, name="Zoya Haider", role="protected")
    with pytest.raises(people.PeopleError, match="protected names only"):
        people.person_change(person=court.person, by=editor, role="accused", note="")


def test_site_wide_changes_are_logged_with_no_article(editor):
    court = people.person_list(article=None, by=editor, name="Zoya Haider", role="protected")
    people.variant_add(person=court.person, by=editor, text="زویا حیدر")
    actions = list(
        ArticleEvent.objects.filter(article__isnull=True)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["person.listed", "person.variant_added"]


def test_variants_typed_in_a_box_are_split_on_lines_and_commas():
    assert people.split_variants("Aisha K.\n عائشہ خان ،Ayesha K, ,\n") == [
        "Aisha K.",
        "عائشہ خان",
        "Ayesha K",
    ]
