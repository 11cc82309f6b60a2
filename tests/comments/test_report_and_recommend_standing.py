"""Reporting and recommending weigh on someone else's comment, so they are open
only to readers who confirmed their email address and are not banned or
suspended (issue 13): the one "may act" rule (comments.access) says so, the
services refuse, and the views show its words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import access
from comments.access import Act
from comments.models import CommentStatus, Recommendation
from comments.services import CommentError, comment_post, recommendation_toggle, report_file
from moderation import services as moderation_services
from moderation.models import Report

pytestmark = pytest.mark.django_db

UNVERIFIED_REPORT = "Confirm your email address before reporting comments."
UNVERIFIED_RECOMMEND = "Confirm your email address before recommending comments."


@pytest.fixture
def theirs(other_reader, article):
    return comment_post(author=other_reader, article=article, body="Another view")


@pytest.fixture
def banned_reader(reader, moderator):
    moderation_services.sanction_apply(user=reader, by=moderator, kind="ban", reason="Doxxing")
    return reader


@pytest.fixture
def suspended_reader(reader, moderator):
    moderation_services.sanction_apply(
        user=reader,
        by=moderator,
        kind="suspend",
        reason="Cooling off",
        until=timezone.now() + timedelta(days=3),
    )
    return reader


def _act(service, comment, by):
    if service is report_file:
        return report_file(comment=comment, by=by, reason="spam")
    return recommendation_toggle(comment=comment, by=by)


# ---------------------------------------------------------------- the rule


def _refusal(act: Act, standing: access.Standing) -> str | None:
    return access.refusal(
        act,
        signed_in=True,
        mine=False,
        status=CommentStatus.PUBLISHED,
        in_edit_window=False,
        comments_open=True,
        standing=standing,
    )


def test_the_rule_refuses_reports_and_recommendations_from_unconfirmed_readers():
    unconfirmed = access.Standing(verified=False)
    assert _refusal(Act.REPORT, unconfirmed).startswith(UNVERIFIED_REPORT)
    assert _refusal(Act.RECOMMEND, unconfirmed).startswith(UNVERIFIED_RECOMMEND)
    # Replying is not judged on standing: posting sends the confirmation link itself.
    assert _refusal(Act.REPLY, unconfirmed) is None


def test_the_rule_refuses_banned_and_suspended_readers_in_plain_words():
    banned = access.Standing(verified=True, sanction="ban")
    until = timezone.now() + timedelta(days=2)
    suspended = access.Standing(verified=True, sanction="suspend", until=until)
    assert _refusal(Act.REPORT, banned) == "Your account is banned, so you cannot report comments."
    assert _refusal(Act.RECOMMEND, banned) == (
        "Your account is banned, so you cannot recommend comments."
    )
    assert _refusal(Act.REPORT, suspended).startswith("Your account is suspended until ")
    assert _refusal(Act.REPORT, suspended).endswith("so you cannot report comments until then.")
    assert _refusal(Act.REPORT, access.IN_GOOD_STANDING) is None
    assert _refusal(Act.RECOMMEND, access.IN_GOOD_STANDING) is None


def test_a_readers_standing_is_read_from_the_account(
    reader, unverified_reader, moderator, banned_reader
):
    now = timezone.now()
    assert access.reader_standing(unverified_reader, now=now) == access.Standing(verified=False)
    assert access.reader_standing(moderator, now=now) == access.IN_GOOD_STANDING
    assert access.reader_standing(banned_reader, now=now).sanction == "ban"


# ---------------------------------------------------------------- the services


@pytest.mark.parametrize(
    ("service", "message"),
    [(report_file, UNVERIFIED_REPORT), (recommendation_toggle, UNVERIFIED_RECOMMEND)],
)
def test_an_unverified_reader_cannot_report_or_recommend(
    service, message, unverified_reader, theirs
):
    with pytest.raises(CommentError) as refused:
        _act(service, theirs, unverified_reader)
    assert str(refused.value).startswith(message)
    assert not Report.objects.exists()
    assert not Recommendation.objects.exists()
    theirs.refresh_from_db()
    assert (theirs.report_count, theirs.recommend_count) == (0, 0)


@pytest.mark.parametrize("service", [report_file, recommendation_toggle])
def test_a_banned_reader_cannot_report_or_recommend(service, banned_reader, theirs):
    with pytest.raises(CommentError, match="Your account is banned"):
        _act(service, theirs, banned_reader)
    assert not Report.objects.exists()
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("service", [report_file, recommendation_toggle])
def test_a_suspended_reader_cannot_report_or_recommend_until_the_suspension_ends(
    service, suspended_reader, theirs
):
    with pytest.raises(CommentError, match="Your account is suspended until"):
        _act(service, theirs, suspended_reader)
    assert not Report.objects.exists()
    assert not Recommendation.objects.exists()
    # Once it has run out, they may again.
    later = timezone.now() + timedelta(days=4)
    if service is report_file:
        report_file(comment=theirs, by=suspended_reader, reason="spam", now=later)
        assert Report.objects.count() == 1
    else:
        assert recommendation_toggle(comment=theirs, by=suspended_reader, now=later)


def test_a_lifted_ban_opens_reporting_again(banned_reader, moderator, theirs):
    ban = banned_reader.sanctions.get()
    moderation_services.sanction_lift(sanction=ban, by=moderator, reason="Appeal upheld")
    report_file(comment=theirs, by=banned_reader, reason="spam")
    assert Report.objects.filter(reporter=banned_reader).exists()


def test_a_premoderated_reader_may_still_report_and_recommend(reader, moderator, theirs):
    moderation_services.sanction_apply(
        user=reader, by=moderator, kind="premoderate", reason="Hot-headed"
    )
    report_file(comment=theirs, by=reader, reason="spam")
    assert recommendation_toggle(comment=theirs, by=reader)


# ---------------------------------------------------------------- the views


def test_an_unverified_readers_report_is_refused_with_the_rules_words(
    client, unverified_reader, theirs
):
    client.force_login(unverified_reader)
    response = client.post(
        reverse("comments:report", args=[theirs.pk]), {"reason": "spam"}, follow=True
    )
    assert UNVERIFIED_REPORT in response.text
    assert "We received your report" not in response.text
    assert not Report.objects.exists()


def test_an_unverified_readers_recommendation_is_refused_beside_the_button(
    client, unverified_reader, theirs
):
    client.force_login(unverified_reader)
    response = client.post(
        reverse("comments:recommend", args=[theirs.pk]), headers={"HX-Request": "true"}
    )
    assert UNVERIFIED_RECOMMEND in response.text
    assert 'role="alert"' in response.text
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("persona", ["banned_reader", "suspended_reader"])
def test_a_sanctioned_readers_report_and_recommendation_are_refused(
    client, request, persona, theirs
):
    client.force_login(request.getfixturevalue(persona))
    reported = client.post(
        reverse("comments:report", args=[theirs.pk]), {"reason": "spam"}, follow=True
    )
    recommended = client.post(reverse("comments:recommend", args=[theirs.pk]), follow=True)
    for response in (reported, recommended):
        assert "Your account is " in response.text
    assert not Report.objects.exists()
    assert not Recommendation.objects.exists()


def test_an_unverified_reader_opening_the_report_form_is_told_why_instead(
    client, unverified_reader, theirs
):
    # The shared thread rendering draws the Report button for every signed-in
    # stranger (comments.access.acts); opening it says why, before any typing.
    client.force_login(unverified_reader)
    response = client.get(
        reverse("comments:action", args=[theirs.pk, "report"]), headers={"HX-Request": "true"}
    )
    assert UNVERIFIED_REPORT in response.text
    assert 'name="reason"' not in response.text


def test_a_confirmed_reader_opening_the_report_form_gets_the_form(client, reader, theirs):
    client.force_login(reader)
    response = client.get(
        reverse("comments:action", args=[theirs.pk, "report"]), headers={"HX-Request": "true"}
    )
    assert 'name="reason"' in response.text
