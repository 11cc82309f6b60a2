"""A newly listed name or spelling takes back the published comments it now matches
(moderation.services.people, through moderation.lifecycle.hold_for_people), and the
person who listed it is told how many."""

from __future__ import annotations

import pytest

from articles import people
from articles.models import Article
from comments.models import Comment, CommentStatus
from comments.services import comment_post
from moderation import services
from moderation.models import ModerationAction
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def post(article: Article, body: str) -> Comment:
    return comment_post(author=UserFactory(), article=article, body=body)


def test_listing_a_survivor_takes_back_the_published_comments_that_name_her(editor, article):
    naming = [post(article, "Ayesha Khan was brave"), post(article, "aisha khan ko salam")]
    other = post(article, "A brave woman, whoever she is")
    elsewhere = post(ArticleFactory(), "Ayesha Khan is my neighbour")
    article.refresh_from_db()
    assert article.comment_count == 3

    listing = people.person_list(article=article, by=editor, name="Ayesha Khan", role="protected")

    assert listing.held == 2
    for comment in naming:
        comment.refresh_from_db()
        assert comment.status == CommentStatus.PENDING
        assert comment.hold_reasons[-1]["code"] == "people.protected"
        entry = ModerationAction.objects.get(
            comment=comment, action="moderation.comment.held_for_people"
        )
        assert (entry.actor, entry.from_status, entry.to_status) == (editor, "published", "pending")
    for comment in (other, elsewhere):
        comment.refresh_from_db()
        assert comment.status == CommentStatus.PUBLISHED
    article.refresh_from_db()
    assert article.comment_count == 1


def test_a_new_spelling_takes_back_only_what_it_matches(editor, article):
    person = people.person_list(
        article=article, by=editor, name="Ayesha Khan", role="protected"
    ).person
    nickname = post(article, "Ashi ne sach bola")
    plain = post(article, "Nothing to see")
    listing = people.variant_add(person=person, by=editor, text="Ashi")
    assert listing.held == 1
    nickname.refresh_from_db()
    plain.refresh_from_db()
    assert (nickname.status, plain.status) == ("pending", "published")


def test_a_site_wide_name_takes_back_comments_on_every_article(editor):
    comments = [
        post(ArticleFactory(), "Zoya Haider testified"),
        post(ArticleFactory(), "زویا حیدر"),
    ]
    listing = people.person_list(
        article=None, by=editor, name="Zoya Haider", role="protected", variants=["زویا حیدر"]
    )
    assert listing.held == 2
    assert {c.status for c in Comment.objects.filter(pk__in=[c.pk for c in comments])} == {
        "pending"
    }


def test_a_held_comment_keeps_its_status_and_gains_the_reason(editor, premod_article):
    held = post(premod_article, "Ayesha Khan spoke first")
    assert held.status == CommentStatus.PENDING
    listing = people.person_list(
        article=premod_article, by=editor, name="Ayesha Khan", role="protected"
    )
    assert listing.held == 0
    held.refresh_from_db()
    assert held.status == CommentStatus.PENDING
    assert [h["code"] for h in held.hold_reasons] == ["article.premoderated", "people.protected"]


def test_a_comment_a_moderator_approved_knowing_the_match_is_not_taken_back_again(
    editor, moderator, article
):
    person = people.person_list(
        article=article, by=editor, name="Ayesha Khan", role="protected"
    ).person
    comment = post(article, "Ayesha Khan the cricketer scored fifty")
    services.comment_approve(comment=comment, by=moderator, expected_version=comment.version)
    # Listing another spelling screens again; the known match takes nothing back.
    people.person_change(person=person, by=editor, role="accused", note="")
    people.person_change(person=person, by=editor, role="protected", note="")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED


def test_making_a_person_protected_takes_back_comments_naming_them(editor, article):
    person = people.person_list(
        article=article, by=editor, name="Sana Mir", role="public_figure"
    ).person
    comment = post(article, "Sana Mir said it on TV")
    listing = people.person_change(person=person, by=editor, role="protected", note="")
    assert listing.held == 1
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_listing_the_accused_takes_back_published_accusations_only(editor, article):
    accusing = post(article, "Imran Ali is a predator")
    reporting = post(article, "Imran Ali was accused of harassment in March")
    listing = people.person_list(article=article, by=editor, name="Imran Ali", role="accused")
    assert listing.held == 1
    accusing.refresh_from_db()
    reporting.refresh_from_db()
    assert (accusing.status, reporting.status) == ("pending", "published")
    assert accusing.hold_reasons[-1]["code"] == "people.accused"


def test_a_public_figure_takes_nothing_back(editor, article):
    comment = post(article, "Sana Mir is a legend")
    listing = people.person_list(article=article, by=editor, name="Sana Mir", role="public_figure")
    assert listing.held == 0
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED


def test_rejected_removed_and_withdrawn_comments_are_left_alone(editor, moderator, article):
    removed = post(article, "Ayesha Khan again")
    services.comment_remove(
        comment=removed, by=moderator, reason="other", expected_version=removed.version
    )
    listing = people.person_list(article=article, by=editor, name="Ayesha Khan", role="protected")
    assert listing.held == 0
    removed.refresh_from_db()
    assert removed.status == CommentStatus.REMOVED
