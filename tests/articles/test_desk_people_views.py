"""The desk's people pages: an editor protects a name in a minute, is told what it
took back, and sees the names the article's text suggests; nobody else gets in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles import people, selectors
from articles.models import Person, PersonVariant
from comments.models import CommentStatus
from comments.services import comment_post
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_editor_lists_a_survivor_in_english_and_urdu_from_the_desk(client, editor, article):
    published = comment_post(author=UserFactory(), article=article, body="Ayesha Khan was brave")
    client.force_login(editor)
    page = client.get(reverse("desk:people", args=[article.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("desk:person_add", args=[article.pk]),
        {
            "name": "Ayesha Khan",
            "role": "protected",
            "variants": "عائشہ خان\nAyesha K.",
            "note": "The complainant",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("desk:people", args=[article.pk])
    text = response.content.decode()
    assert "Listed Ayesha Khan (protected). 1 published comment now matches" in text
    person = Person.objects.get(article=article)
    assert sorted(person.variants.values_list("text", flat=True)) == ["Ayesha K.", "عائشہ خان"]
    assert "عائشہ خان" in text
    published.refresh_from_db()
    assert published.status == CommentStatus.PENDING


def test_a_bad_listing_shows_the_form_again_with_the_reason(client, editor, article):
    client.force_login(editor)
    response = client.post(
        reverse("desk:person_add", args=[article.pk]), {"name": "Al", "role": "protected"}
    )
    assert response.status_code == 200
    assert "too short to list" in response.content.decode()
    assert not Person.objects.exists()


def test_the_edit_page_shows_who_is_listed_and_links_to_the_list(client, editor, article):
    people.person_list(article=article, by=editor, name="Imran Ali", role="accused")
    client.force_login(editor)
    html = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    assert "People in the story" in html
    assert "Imran Ali" in html
    assert reverse("desk:people", args=[article.pk]) in html
    assert "listed a person" in html  # the history


def test_spellings_and_roles_change_and_go_from_the_desk(client, editor, article):
    person = people.person_list(article=article, by=editor, name="Sana Mir", role="accused").person
    client.force_login(editor)
    client.post(reverse("desk:variant_add", args=[person.pk]), {"text": "ثناء میر"})
    variant = PersonVariant.objects.get(person=person)
    client.post(reverse("desk:person_change", args=[person.pk]), {"role": "public_figure"})
    person.refresh_from_db()
    assert person.role == "public_figure"
    client.post(reverse("desk:variant_remove", args=[variant.pk]))
    assert not PersonVariant.objects.exists()
    response = client.post(reverse("desk:person_remove", args=[person.pk]))
    assert response["Location"] == reverse("desk:people", args=[article.pk])
    assert not Person.objects.exists()


def test_an_editor_protects_a_name_site_wide(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("desk:protected_add"),
        {"name": "Zoya Haider", "variants": "زویا حیدر, Zoya H.", "note": "Court order 12/2024"},
        follow=True,
    )
    assert "Zoya Haider is protected on every page of the site." in response.content.decode()
    person = Person.objects.get(article__isnull=True)
    assert person.role == "protected"
    assert "Court order 12/2024" in client.get(reverse("desk:protected")).content.decode()


@pytest.mark.parametrize("persona", ["reader", "moderator"])
@pytest.mark.parametrize("name", ["desk:people", "desk:protected"])
def test_readers_and_moderators_do_not_see_the_lists(
    client, request, persona, name, editor, article
):
    people.person_list(article=article, by=editor, name="Ayesha Khan", role="protected")
    client.force_login(request.getfixturevalue(persona))
    url = reverse(name, args=[article.pk]) if name == "desk:people" else reverse(name)
    response = client.get(url)
    assert response.status_code == 403
    assert "Ayesha Khan" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, article):
    response = client.get(reverse("desk:people", args=[article.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_names_in_the_article_are_suggested_until_listed(editor):
    article = ArticleFactory(
        title="Agency head Kamran Sheikh resigns",
        standfirst="Two employees complained; the Lahore High Court hears the case.",
        body=(
            "Kamran Sheikh denied the claims. Ms Rubina Aslam, who chairs the board, said "
            "the inquiry was fair. In March, Kamran Sheikh left.\n\n"
            "[Read the statement](https://example.org/Statement-From-Board) by Mr. Asad "
            "Mahmood. جناب اسد محمود نے کہا۔"
        ),
    )
    names = [(s.name, s.count) for s in selectors.person_suggestions(article=article)]
    assert names[0] == ("Kamran Sheikh", 3)
    assert ("Rubina Aslam", 1) in names
    assert ("Asad Mahmood", 1) in names
    assert ("اسد محمود", 1) in names
    assert not [n for n, _ in names if "Lahore" in n or "Court" in n or "Statement" in n]
    people.person_list(article=article, by=editor, name="kamran sheikh", role="accused")
    assert "Kamran Sheikh" not in [s.name for s in selectors.person_suggestions(article=article)]


def test_a_suggestion_fills_the_form_and_leaves_the_role_to_the_editor(client, editor):
    article = ArticleFactory(body="Kamran Sheikh said nothing.")
    client.force_login(editor)
    response = client.get(reverse("desk:people", args=[article.pk]), {"suggest": "Kamran Sheikh"})
    form = response.context["form"]
    assert form.initial == {"name": "Kamran Sheikh"}
    assert 'value="Kamran Sheikh"' in response.content.decode()
