"""Appeals (issue 14): the author of a rejected or removed comment appeals once,
with a note; a moderator other than the one who decided upholds or overturns
it, with a reason the author is emailed; every step is audited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from comments.models import CommentStatus
from comments.services import comment_post
from moderation import services
from moderation.models import ActionCode, Appeal, AppealStatus, ModerationAction
from moderation.services import appeals

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected(reader, premod_article, moderator):
    held = comment_post(author=reader, article=premod_article, body="He is a known liar")
    return services.comment_reject(
        comment=held,
        by=moderator,
        reason="defamation",
        note="Stated as fact",
        expected_version=held.version,
    )


def _codes(comment) -> list[str]:
    return list(
        ModerationAction.objects.filter(comment=comment)
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_the_author_appeals_once_and_it_is_audited(reader, rejected):
    appeal = appeals.appeal_file(comment=rejected, by=reader, note="It is what the story says")
    assert (appeal.status, appeal.appellant, appeal.note) == (
        AppealStatus.OPEN,
        reader,
        "It is what the story says",
    )
    assert appeal.decision.action == ActionCode.REJECTED
    entry = ModerationAction.objects.get(comment=rejected, action=ActionCode.APPEAL_FILED)
    assert entry.actor == reader and entry.data["appeal"] == appeal.pk
    with pytest.raises(appeals.AppealError, match="already been appealed"):
        appeals.appeal_file(comment=rejected, by=reader, note="Again")
    assert Appeal.objects.count() == 1


def test_only_the_author_may_appeal_and_only_a_moderators_decision(
    reader, other_reader, rejected, article
):
    with pytest.raises(appeals.AppealError, match="author"):
        appeals.appeal_file(comment=rejected, by=other_reader, note="Please")
    published = comment_post(author=reader, article=article, body="Fine words")
    with pytest.raises(appeals.AppealError, match="no decision"):
        appeals.appeal_file(comment=published, by=reader, note="Please")
    with pytest.raises(appeals.AppealError, match="why"):
        appeals.appeal_file(comment=rejected, by=reader, note="   ")
    assert not Appeal.objects.exists()


def test_the_moderator_who_decided_cannot_decide_the_appeal(reader, moderator, rejected):
    appeal = appeals.appeal_file(comment=rejected, by=reader, note="Unfair")
    with pytest.raises(appeals.AppealError, match="another moderator"):
        appeals.appeal_decide(appeal=appeal, by=moderator, overturn=True, note="Fine")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN


def test_another_moderator_overturns_publishes_and_emails_the_reason(
    reader, other_moderator, rejected, django_capture_on_commit_callbacks
):
    appeal = appeals.appeal_file(comment=rejected, by=reader, note="The story reports it")
    with django_capture_on_commit_callbacks(execute=True):
        decided = appeals.appeal_decide(
            appeal=appeal, by=other_moderator, overturn=True, note="The story says as much"
        )
    assert (decided.status, decided.decided_by) == (AppealStatus.OVERTURNED, other_moderator)
    rejected.refresh_from_db()
    assert rejected.status == CommentStatus.PUBLISHED and rejected.reason_category == ""
    assert _codes(rejected)[-3:] == [
        ActionCode.APPEAL_FILED,
        ActionCode.RESTORED,
        ActionCode.APPEAL_OVERTURNED,
    ]
    entry = ModerationAction.objects.get(comment=rejected, action=ActionCode.APPEAL_OVERTURNED)
    assert (entry.actor, entry.note) == (other_moderator, "The story says as much")
    (message,) = [m for m in mail.outbox if "appeal" in m.subject]
    assert "granted" in message.subject and "The story says as much" in message.body


def test_an_upheld_appeal_leaves_the_comment_down_and_says_why(
    reader, other_moderator, rejected, django_capture_on_commit_callbacks
):
    appeal = appeals.appeal_file(comment=rejected, by=reader, note="Unfair")
    with django_capture_on_commit_callbacks(execute=True):
        appeals.appeal_decide(
            appeal=appeal, by=other_moderator, overturn=False, note="Still stated as fact"
        )
    rejected.refresh_from_db()
    assert rejected.status == CommentStatus.REJECTED
    assert _codes(rejected)[-1] == ActionCode.APPEAL_UPHELD
    (message,) = [m for m in mail.outbox if "appeal" in m.subject]
    assert "refused" in message.subject and "Still stated as fact" in message.body
    with pytest.raises(appeals.AppealError, match="already decided"):
        appeals.appeal_decide(appeal=appeal, by=other_moderator, overturn=True, note="x")


def test_readers_cannot_decide_appeals(reader, other_reader, rejected):
    appeal = appeals.appeal_file(comment=rejected, by=reader, note="Unfair")
    with pytest.raises(PermissionDenied, match="moderators"):
        appeals.appeal_decide(appeal=appeal, by=other_reader, overturn=True, note="x")


def test_the_decision_email_links_to_the_appeal(
    reader, premod_article, moderator, django_capture_on_commit_callbacks
):
    held = comment_post(author=reader, article=premod_article, body="Held")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(comment=held, by=moderator, reason="spam", expected_version=1)
    assert reverse("moderation:appeal_new", args=[held.pk]) in mail.outbox[0].body


# ---------------------------------------------------------------- pages


def test_the_author_appeals_from_the_page_linked_from_my_comments(client, reader, rejected):
    client.force_login(reader)
    mine = client.get(reverse("accounts:my_comments")).content.decode()
    url = reverse("moderation:appeal_new", args=[rejected.pk])
    assert url in mine
    page = client.get(url).content.decode()
    assert "Defamation or false allegation" in page and "Send the appeal" in page
    response = client.post(url, {"note": "The story reports it"})
    assert response.status_code == 302
    assert Appeal.objects.get(comment=rejected).note == "The story reports it"
    again = client.get(url).content.decode()
    assert "Waiting for a moderator" in again and "Send the appeal" not in again


def test_an_empty_appeal_is_refused_with_a_message(client, reader, rejected):
    client.force_login(reader)
    response = client.post(reverse("moderation:appeal_new", args=[rejected.pk]), {"note": ""})
    assert response.status_code == 400
    assert "Say why the decision should be looked at again." in response.content.decode()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("persona", ["other_reader", "moderator", "editor"])
def test_nobody_else_sees_or_files_an_appeal_page(client, request, persona, rejected):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("moderation:appeal_new", args=[rejected.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "x"}).status_code == 404
    assert not Appeal.objects.exists()


def test_the_appeals_tab_lists_appeals_and_hides_the_form_from_the_decider(
    client, reader, moderator, other_moderator, rejected
):
    appeals.appeal_file(comment=rejected, by=reader, note="The story reports it")
    client.force_login(moderator)
    html = client.get(reverse("moderation:appeals")).content.decode()
    assert "The story reports it" in html and "Imran Moderator" in html
    assert "Defamation or false allegation" in html
    assert "another moderator must decide the appeal" in html
    assert 'name="outcome"' not in html
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert 'id="tab-count-appeals">1<' in queue
    client.force_login(other_moderator)
    html = client.get(reverse("moderation:appeals")).content.decode()
    assert 'name="outcome"' in html and " checked" not in html


def test_a_second_moderator_overturns_from_the_appeals_tab(
    client, reader, other_moderator, rejected
):
    appeal = appeals.appeal_file(comment=rejected, by=reader, note="Unfair")
    client.force_login(other_moderator)
    url = reverse("moderation:appeal_decide", args=[appeal.pk])
    client.post(url, {"outcome": "overturn"})
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN  # no reason, nothing decided
    response = client.post(url, {"outcome": "overturn", "note": "Reported fact"}, follow=True)
    assert "Appeal granted" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OVERTURNED


@pytest.mark.parametrize("persona", ["reader", "editor"])
def test_readers_and_editors_cannot_open_or_decide_appeals(client, request, persona, rejected):
    appeal = appeals.appeal_file(comment=rejected, by=rejected.author, note="Unfair")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("moderation:appeals")).status_code == 403
    response = client.post(
        reverse("moderation:appeal_decide", args=[appeal.pk]),
        {"outcome": "overturn", "note": "x"},
    )
    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN


def test_the_dashboard_shows_appeals_waiting_and_the_overturn_rate(
    client, reader, moderator, other_moderator, rejected
):
    appeal = appeals.appeal_file(comment=rejected, by=reader, note="Unfair")
    appeals.appeal_decide(appeal=appeal, by=other_moderator, overturn=True, note="Fair point")
    client.force_login(moderator)
    html = client.get(reverse("moderation:dashboard")).content.decode()
    assert 'data-figure="appeals-waiting">0<' in html
    assert 'data-figure="overturn-rate">100%<' in html


def test_a_comment_screening_rejected_can_be_appealed_and_any_moderator_decides(
    reader, moderator, article
):
    services.wordlist_add(term="blockedword", kind="block", by=moderator)
    rejected = comment_post(author=reader, article=article, body="A blockedword here")
    assert rejected.status == CommentStatus.REJECTED
    appeal = appeals.appeal_file(comment=rejected, by=reader, note="It was a quotation")
    assert appeal.decision.action == ActionCode.REJECTED_BY_RULE
    decided = appeals.appeal_decide(appeal=appeal, by=moderator, overturn=True, note="Quoted")
    assert decided.status == AppealStatus.OVERTURNED
    rejected.refresh_from_db()
    assert rejected.status == CommentStatus.PUBLISHED
