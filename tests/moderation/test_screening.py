"""Screening through the real posting path: what the database knows (sanctions,
word lists, history) decides what happens to a new or edited comment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment, CommentStatus
from comments.services import CommentError, comment_edit, comment_post
from moderation import screening, services
from moderation.models import ModerationAction, SanctionKind, WordListKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def codes(comment: Comment) -> list[str]:
    return [hit["code"] for hit in comment.hold_reasons]


def test_blocked_term_rejects_a_new_comment_and_says_which(moderator, reader, article):
    services.wordlist_add(term="Scumbag", kind=WordListKind.BLOCK, by=moderator)
    comment = comment_post(author=reader, article=article, body="What a scumbag.")
    assert comment.status == CommentStatus.REJECTED
    assert comment.hold_reasons[0]["code"] == "words.blocked"
    assert comment.hold_reasons[0]["match"] == "scumbag"
    assert ModerationAction.objects.filter(
        comment=comment, action="moderation.comment.rejected_by_rule"
    ).exists()


def test_held_urdu_term_holds_a_new_comment(moderator, reader, article):
    services.wordlist_add(term="جھوٹا", kind=WordListKind.HOLD, by=moderator)
    comment = comment_post(author=reader, article=article, body="یہ آدمی جھوٹا ہے")
    assert comment.status == CommentStatus.PENDING
    assert codes(comment) == ["words.held"]


def test_edit_that_adds_personal_data_is_held_again(reader, article):
    comment = comment_post(author=reader, article=article, body="Fine words")
    edited = comment_edit(comment=comment, by=reader, body="Call her: 0300-1234567")
    assert edited.status == CommentStatus.PENDING
    assert codes(edited) == ["personal_data.phone"]


def test_too_many_links_hold(reader, article, settings):
    settings.MODERATION_LINK_LIMIT = 1
    comment = comment_post(
        author=reader, article=article, body="https://a.example and https://b.example"
    )
    assert (comment.status, codes(comment)) == (CommentStatus.PENDING, ["links.too_many"])


def test_same_author_repeating_a_recent_comment_is_rejected(reader, article):
    elsewhere = type(article).objects.create(
        title="Another",
        slug="another",
        section=article.section,
        author=article.author,
        status=article.status,
        published_at=article.published_at,
        body="b",
        body_html="b",
    )
    comment_post(author=reader, article=article, body="Copy and paste everywhere")
    again = comment_post(author=reader, article=elsewhere, body="Copy and paste everywhere")
    assert (again.status, codes(again)) == (CommentStatus.REJECTED, ["duplicate.recent"])


def test_another_author_may_say_the_same_thing(reader, other_reader, article):
    comment_post(author=reader, article=article, body="I agree")
    second = comment_post(author=other_reader, article=article, body="I agree")
    assert second.status == CommentStatus.PUBLISHED


def test_flood_is_refused_with_a_message_and_nothing_stored(reader, article, settings):
    settings.MODERATION_FLOOD_LIMIT = 3
    for n in range(3):
        comment_post(author=reader, article=article, body=f"Point number {n}")
    with pytest.raises(CommentError, match="posting too fast"):
        comment_post(author=reader, article=article, body="Point number 4")
    assert Comment.objects.count() == 3


def test_new_accounts_first_comments_are_held_until_approved(moderator, article, settings):
    settings.MODERATION_NEW_ACCOUNT_HOLD = 2
    newcomer = UserFactory(date_joined=timezone.now())
    first = comment_post(author=newcomer, article=article, body="My first")
    assert codes(first) == ["author.new_account"]
    services.comment_approve(comment=first, by=moderator, expected_version=first.version)
    second = comment_post(author=newcomer, article=article, body="My second")
    assert second.status == CommentStatus.PENDING
    services.comment_approve(comment=second, by=moderator, expected_version=second.version)
    third = comment_post(author=newcomer, article=article, body="My third")
    assert third.status == CommentStatus.PUBLISHED


def test_established_account_is_not_held_as_new(reader, article):
    assert comment_post(author=reader, article=article, body="Hello").status == "published"


def test_banned_reader_is_refused_with_the_reason(moderator, reader, article):
    services.sanction_apply(
        user=reader, by=moderator, kind=SanctionKind.BAN, reason="Named a survivor"
    )
    with pytest.raises(CommentError, match=r"banned from commenting\. Reason: Named a survivor"):
        comment_post(author=reader, article=article, body="Let me speak")
    assert not Comment.objects.exists()


def test_suspended_reader_is_refused_until_the_time_then_may_post(moderator, reader, article):
    now = timezone.now()
    services.sanction_apply(
        user=reader,
        by=moderator,
        kind=SanctionKind.SUSPEND,
        reason="Cooling off",
        until=now + timedelta(days=1),
        now=now,
    )
    with pytest.raises(CommentError, match="suspended from commenting until"):
        comment_post(author=reader, article=article, body="Still here")
    later = now + timedelta(days=1, minutes=1)
    verdict = screening.screen_submission(author=reader, article=article, body="Back", now=later)
    assert verdict.action is None


def test_premoderated_reader_is_held_by_the_sanction(moderator, reader, article):
    services.sanction_apply(
        user=reader, by=moderator, kind=SanctionKind.PREMODERATE, reason="Repeated insults"
    )
    comment = comment_post(author=reader, article=article, body="Polite now")
    assert (comment.status, codes(comment)) == (CommentStatus.PENDING, ["author.premoderated"])


def test_lifted_ban_lets_the_reader_post_again(moderator, reader, article):
    ban = services.sanction_apply(user=reader, by=moderator, kind="ban", reason="Abuse")
    services.sanction_lift(sanction=ban, by=moderator, reason="Appeal accepted")
    assert comment_post(author=reader, article=article, body="Thank you").status == "published"


def test_try_a_text_shows_the_hits_without_storing_anything(moderator):
    services.wordlist_add(term="liar", kind=WordListKind.HOLD, by=moderator)
    verdict = screening.screen_sample(body="The liar's number is +92 300 1234567")
    assert [hit.code for hit in verdict.hits] == ["words.held", "personal_data.phone"]
    assert not Comment.objects.exists()
