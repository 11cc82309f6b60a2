from __future__ import annotations

import pytest
from django.core import mail

from comments import services as comment_services
from comments.models import CommentStatus
from comments.services import comment_post
from moderation import services
from moderation.models import ModerationAction, Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(reader, article):
    return comment_post(author=reader, article=article, body="A strong opinion")


def test_third_distinct_report_hides_the_comment_until_decided(published, moderator):
    for reporter in UserFactory.create_batch(3):
        comment_services.report_file(comment=published, by=reporter, reason="harassment")
    published.refresh_from_db()
    assert published.status == CommentStatus.PENDING
    assert ModerationAction.objects.filter(action="moderation.comment.hidden_by_reports").exists()

    services.comment_approve(comment=published, by=moderator, expected_version=published.version)
    assert not Report.objects.filter(resolved_at__isnull=True).exists()


def test_dismissing_reports_keeps_the_comment_and_is_audited(published, moderator, other_reader):
    comment_services.report_file(comment=published, by=other_reader, reason="spam")
    published.refresh_from_db()
    kept = services.reports_dismiss(
        comment=published, by=moderator, expected_version=published.version
    )
    assert kept.status == CommentStatus.PUBLISHED
    assert Report.objects.get().resolved_at is not None
    assert ModerationAction.objects.get(action="moderation.reports.dismissed").actor == moderator


def test_removal_emails_the_author_with_the_reason(
    published, moderator, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_remove(
            comment=published,
            by=moderator,
            reason="defamation",
            note="Do not name the accused.",
            expected_version=published.version,
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reader.email]
    assert "removed" in message.subject
    assert "Defamation or false allegation" in message.body
    assert "Do not name the accused." in message.body
    # The statement of reasons, in plain words, and no internal code.
    assert "states an accusation against a person as established fact" in message.body
    assert "/guidelines/#reasons" in message.body
    assert "defamation" not in message.body.replace("Defamation", "").lower().replace(
        "defamation law", ""
    )


def test_rejection_email_respects_the_authors_choice(
    reader, premod_article, moderator, django_capture_on_commit_callbacks
):
    reader.notify_moderation = False
    reader.save()
    held = comment_post(author=reader, article=premod_article, body="Held")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=held, by=moderator, reason="spam", expected_version=held.version
        )
    assert mail.outbox == []


def test_site_setting_turns_decision_emails_off(
    reader, premod_article, moderator, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_EMAILS_ENABLED = False
    held = comment_post(author=reader, article=premod_article, body="Held")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=held, by=moderator, reason="spam", expected_version=held.version
        )
    assert mail.outbox == []


def test_approval_sends_no_email(
    reader, premod_article, moderator, django_capture_on_commit_callbacks
):
    held = comment_post(author=reader, article=premod_article, body="Held")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=held, by=moderator, expected_version=held.version)
    assert mail.outbox == []


def test_rejection_emails_the_author_when_they_allow_it(
    reader, premod_article, moderator, django_capture_on_commit_callbacks
):
    held = comment_post(author=reader, article=premod_article, body="Held")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=held, by=moderator, reason="spam", expected_version=held.version
        )
    assert [m.subject for m in mail.outbox] == [
        "[metoo] Your comment on “Premoderated article” was rejected"
    ]
