"""People in the story in the moderation queue: the rule in plain words, the matched
span highlighted, the person's role; and adding a spelling from the item itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles import people
from articles.models import ArticleEvent, PersonVariant
from comments.models import CommentStatus
from comments.services import comment_post
from moderation.models import ModerationAction
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survivor(editor, article):
    return people.person_list(
        article=article, by=editor, name="Ayesha Khan", role="protected", variants=["عائشہ خان"]
    ).person


@pytest.fixture
def held(survivor, reader, article):
    return comment_post(author=reader, article=article, body="Aisha Khan ko insaaf do")


def test_the_queue_says_why_in_plain_words_with_the_name_marked_and_her_role(
    client, moderator, held
):
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert "Names a person this newsroom protects" in html
    assert "<mark>Aisha Khan</mark> ko insaaf do" in html
    assert "role: protected" in html
    assert "Pakistan Penal Code, section 376-A" in html
    assert "Names Ayesha Khan, protected (listed for this article)" in html


def test_the_queue_explains_an_accusation_and_its_hedge(client, editor, moderator, reader, article):
    people.person_list(article=article, by=editor, name="Imran Ali", role="accused")
    comment_post(author=reader, article=article, body="The alleged harasser Imran Ali must go")
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert "Accuses a named person" in html
    assert "role: accused" in html
    assert "hedged with “alleged”" in html
    assert "<mark>harasser Imran Ali</mark>" in html


def test_the_reason_filter_offers_the_people_rules(client, moderator, held):
    client.force_login(moderator)
    response = client.get(reverse("moderation:queue"), {"reason": "people.protected"})
    assert "May publish private correspondence" in response.content.decode()
    assert [i.comment.pk for i in response.context["items"]] == [held.pk]


def test_an_item_on_a_story_with_people_offers_the_add_a_spelling_form(
    client, moderator, held, survivor
):
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert reverse("moderation:people_variant_add", args=[held.pk]) in html
    assert f'<option value="{survivor.pk}">Ayesha Khan (protected)</option>' in html


def test_an_item_on_a_story_without_people_has_no_such_form(client, moderator, premod_article):
    comment = comment_post(author=UserFactory(), article=premod_article, body="Held for premod")
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert reverse("moderation:people_variant_add", args=[comment.pk]) not in html


def test_a_moderator_adds_a_spelling_from_the_queue_and_is_told_how_many_went_back(
    client, moderator, survivor, reader, other_reader, article
):
    published = comment_post(author=other_reader, article=article, body="Ashi Khan was right")
    assert published.status == CommentStatus.PUBLISHED
    item = comment_post(author=reader, article=article, body="Aisha Khan aur Ashi Khan ek hi hain")
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:people_variant_add", args=[item.pk]),
        {"person": survivor.pk, "text": "Ashi Khan", "next": reverse("moderation:queue")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("moderation:queue")
    text = response.content.decode()
    assert "Added “Ashi Khan” as a spelling of Ayesha Khan." in text
    assert "1 published comment now matches and was taken back for review." in text
    published.refresh_from_db()
    assert published.status == CommentStatus.PENDING
    variant = PersonVariant.objects.get(person=survivor, text="Ashi Khan")
    assert variant.added_by == moderator
    entry = ModerationAction.objects.get(action="moderation.people.variant_added")
    assert (entry.actor, entry.comment_id) == (moderator, item.pk)
    assert entry.data["spelling"] == "Ashi Khan"
    assert entry.data["held"] == 1
    assert ArticleEvent.objects.filter(
        article=article, action="person.variant_added", actor=moderator
    ).exists()
    pulled = ModerationAction.objects.get(
        comment=published, action="moderation.comment.held_for_people"
    )
    assert pulled.actor == moderator


def test_a_person_of_another_story_cannot_be_chosen(client, editor, moderator, held):
    stranger = people.person_list(
        article=ArticleFactory(), by=editor, name="Zara Sheikh", role="protected"
    ).person
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:people_variant_add", args=[held.pk]),
        {"person": stranger.pk, "text": "Zara S.", "next": reverse("moderation:queue")},
        follow=True,
    )
    assert "Choose one of the people listed for this comment" in response.content.decode()
    assert not PersonVariant.objects.filter(person=stranger).exists()


@pytest.mark.parametrize("persona", ["reader", "editor"])
def test_only_moderators_add_spellings_from_the_queue(client, request, persona, held, survivor):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        reverse("moderation:people_variant_add", args=[held.pk]),
        {"person": survivor.pk, "text": "Ashi Khan"},
    )
    assert response.status_code == 403
    assert not PersonVariant.objects.filter(text="Ashi Khan").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, held, survivor):
    response = client.post(
        reverse("moderation:people_variant_add", args=[held.pk]),
        {"person": survivor.pk, "text": "Ashi Khan"},
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not PersonVariant.objects.filter(text="Ashi Khan").exists()
