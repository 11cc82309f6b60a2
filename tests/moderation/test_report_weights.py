"""Reports are weighed (issue 13): each weighs its reporter's standing when filed
(account age; earlier reports moderators upheld or dismissed), and a published
comment is hidden when its open reports weigh REPORT_HIDE_THRESHOLD together.
Throwaway accounts silence no one; three trusted readers still can; the queue
shows each report's weight."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from comments.models import CommentStatus
from comments.services import comment_post, report_file, report_weight
from moderation import services
from moderation.models import ActionCode, ModerationAction, Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _accounts(n: int, *, days_old: float):
    joined = timezone.now() - timedelta(days=days_old)
    return UserFactory.create_batch(n, date_joined=joined)


@pytest.fixture
def published(reader, article):
    return comment_post(author=reader, article=article, body="A strong opinion")


def _status(comment) -> str:
    comment.refresh_from_db()
    return comment.status


# ---------------------------------------------------------------- the formula


def test_a_new_account_with_no_record_weighs_nothing():
    now = timezone.now()
    for age in (timedelta(0), timedelta(days=1), timedelta(days=6, hours=23)):
        assert report_weight(joined=now - age, upheld=0, dismissed=0, now=now) == 0


def test_an_account_weighs_more_as_it_ages():
    now = timezone.now()

    def weight(days: int) -> Decimal:
        return report_weight(joined=now - timedelta(days=days), upheld=0, dismissed=0, now=now)

    assert weight(7) == Decimal("0.5")
    assert weight(29) == Decimal("0.5")
    assert weight(30) == Decimal("1")
    assert weight(3000) == Decimal("1")


def test_upheld_reports_raise_the_weight_and_dismissed_ones_lower_it():
    now = timezone.now()
    month_old = now - timedelta(days=40)

    def weight(upheld: int, dismissed: int, joined=month_old) -> Decimal:
        return report_weight(joined=joined, upheld=upheld, dismissed=dismissed, now=now)

    assert weight(0, 0) < weight(1, 0) < weight(2, 0) < weight(4, 0)
    assert weight(4, 0) == weight(40, 0) == Decimal("2")  # the bonus is capped
    assert weight(0, 0) > weight(0, 1) > weight(0, 2) == 0
    assert weight(4, 2) == Decimal("1")
    # A fresh account earns weight only through reports moderators upheld.
    assert weight(4, 0, joined=now) == Decimal("1")


def test_a_weight_is_never_outside_its_stored_range():
    now = timezone.now()
    for upheld in range(0, 12):
        for dismissed in range(0, 12):
            for days in (0, 10, 100):
                w = report_weight(
                    joined=now - timedelta(days=days), upheld=upheld, dismissed=dismissed, now=now
                )
                assert Decimal("0") <= w <= Decimal("2")


def test_the_database_refuses_a_weight_out_of_range(published, other_reader):
    with pytest.raises(IntegrityError):
        Report.objects.create(
            comment=published, reporter=other_reader, reason="spam", weight=Decimal("5")
        )


# ---------------------------------------------------------------- hiding


@pytest.mark.parametrize("fresh", [3, 50])
def test_any_number_of_fresh_accounts_cannot_hide_a_comment(published, fresh):
    for reporter in _accounts(fresh, days_old=1):
        report_file(comment=published, by=reporter, reason="harassment")
    assert _status(published) == CommentStatus.PUBLISHED
    assert Report.objects.filter(comment=published, resolved_at=None).count() == fresh
    assert not ModerationAction.objects.filter(action=ActionCode.HIDDEN_BY_REPORTS).exists()


def test_three_established_readers_hide_a_comment(published):
    first, second, third = _accounts(3, days_old=45)
    report_file(comment=published, by=first, reason="harassment")
    report_file(comment=published, by=second, reason="harassment")
    assert _status(published) == CommentStatus.PUBLISHED
    report_file(comment=published, by=third, reason="harassment")
    assert _status(published) == CommentStatus.PENDING
    hidden = ModerationAction.objects.get(action=ActionCode.HIDDEN_BY_REPORTS)
    assert hidden.data == {"open_reports": 3, "report_weight": "3.00"}


def test_fresh_accounts_add_nothing_to_two_established_readers(published):
    for reporter in [*_accounts(2, days_old=45), *_accounts(20, days_old=2)]:
        report_file(comment=published, by=reporter, reason="spam")
    assert _status(published) == CommentStatus.PUBLISHED


def test_three_young_readers_with_upheld_reports_hide_a_comment(
    reader, other_reader, moderator, article, published
):
    young = _accounts(3, days_old=2)
    # Each of them reported four comments a moderator then removed.
    for n in range(4):
        bad = comment_post(author=other_reader, article=article, body=f"Abuse number {n}")
        for reporter in young:
            report_file(comment=bad, by=reporter, reason="harassment")
        bad.refresh_from_db()
        services.comment_remove(
            comment=bad, by=moderator, reason="harassment", expected_version=bad.version
        )
    for reporter in young:
        report_file(comment=published, by=reporter, reason="harassment")
    assert _status(published) == CommentStatus.PENDING
    assert set(Report.objects.filter(comment=published).values_list("weight", flat=True)) == {
        Decimal("1.00")
    }


def test_the_threshold_is_a_setting(settings, published):
    settings.REPORT_HIDE_THRESHOLD = 1
    (reporter,) = _accounts(1, days_old=100)
    report_file(comment=published, by=reporter, reason="spam")
    assert _status(published) == CommentStatus.PENDING


# ---------------------------------------------------------------- the record


def _report_and_decide(comment, reporter, moderator, *, uphold: bool):
    report_file(comment=comment, by=reporter, reason="spam")
    comment.refresh_from_db()
    if uphold:
        services.comment_remove(
            comment=comment, by=moderator, reason="spam", expected_version=comment.version
        )
    else:
        services.reports_dismiss(comment=comment, by=moderator, expected_version=comment.version)


def test_weights_follow_the_reporters_record(other_reader, moderator, article):
    (reporter,) = _accounts(1, days_old=10)

    probes = iter(range(100))

    def next_weight() -> Decimal:
        # A report still open counts as neither upheld nor dismissed.
        body = f"Weigh my reporter, take {next(probes)}"
        target = comment_post(author=other_reader, article=article, body=body)
        return report_file(comment=target, by=reporter, reason="spam").weight

    assert next_weight() == Decimal("0.50")
    for n in range(2):
        upheld = comment_post(author=other_reader, article=article, body=f"Upheld {n}")
        _report_and_decide(upheld, reporter, moderator, uphold=True)
    assert next_weight() == Decimal("1.00")
    dismissed = comment_post(author=other_reader, article=article, body="Kept")
    _report_and_decide(dismissed, reporter, moderator, uphold=False)
    assert next_weight() == Decimal("0.50")


def test_a_hidden_comment_approved_counts_as_a_dismissed_report(
    published, moderator, other_reader, article
):
    reporters = _accounts(3, days_old=60)
    for reporter in reporters:
        report_file(comment=published, by=reporter, reason="spam")
    published.refresh_from_db()
    assert published.status == CommentStatus.PENDING
    services.comment_approve(comment=published, by=moderator, expected_version=published.version)
    later = comment_post(author=other_reader, article=article, body="Another take")
    report = report_file(comment=later, by=reporters[0], reason="spam")
    assert report.weight == Decimal("0.50")


# ---------------------------------------------------------------- the queue


def test_the_queue_shows_each_reports_weight_and_the_total_against_the_threshold(
    client, moderator, published
):
    established = _accounts(2, days_old=45)
    fresh = _accounts(1, days_old=1)
    for reporter in [*established, *fresh]:
        report_file(comment=published, by=reporter, reason="spam")
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue"), {"tab": "reported"}).text
    assert "3 open reports, weighing 2 together" in html
    assert "Reports weighing 3 hide a published comment" in html
    assert html.count('<span class="report-weight">weight 1</span>') == 2
    assert html.count('<span class="report-weight">weight 0</span>') == 1
