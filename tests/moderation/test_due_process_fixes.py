"""The fixes of issue 14: every CSV cell guarded against formulas, a dismissal
covers only the reports the moderator saw, counts follow a decision without a
reload, no destructive default in the sanction and word-list forms."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from comments.models import Comment, reason_statements
from comments.services import comment_post, report_file
from moderation import services
from moderation.forms import SanctionForm, WordForm
from moderation.models import ActionCode, ModerationAction, Report, Sanction, WordListEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_csv_column_is_guarded_against_spreadsheet_formulas(client, moderator):
    evil = UserFactory(display_name="=HYPERLINK(evil)")
    services.user_note_add(user=evil, by=moderator, note="@SUM(1)")
    client.force_login(moderator)
    body = b"".join(client.get(reverse("moderation:audit_csv")).streaming_content).decode()
    row = list(csv.reader(io.StringIO(body)))[1]
    assert row[4] == "'=HYPERLINK(evil)" and row[8] == "'@SUM(1)"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


@pytest.fixture
def reported(reader, article):
    comment = comment_post(author=reader, article=article, body="Contested words")
    report_file(comment=comment, by=UserFactory(), reason="spam")
    comment.refresh_from_db()
    return comment


def test_a_dismissal_leaves_open_the_reports_filed_after_the_page_was_loaded(
    client, moderator, reported
):
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue") + "?tab=reported").content.decode()
    seen = re.search(r'name="reports_seen" value="(\d+)"', page)
    assert seen is not None
    # Another reader reports it while the moderator reads the page.
    late = report_file(comment=reported, by=UserFactory(), reason="defamation")
    client.post(
        reverse("moderation:dismiss", args=[reported.pk]),
        {"version": reported.version, "reports_seen": seen.group(1)},
    )
    late.refresh_from_db()
    assert late.resolved_at is None
    assert Report.objects.filter(comment=reported, resolved_at__isnull=False).count() == 1
    entry = ModerationAction.objects.get(comment=reported, action=ActionCode.REPORTS_DISMISSED)
    assert entry.actor == moderator
    assert entry.data == {"reports_resolved": 1, "reports_left_open": 1}


def test_a_dismissal_without_a_seen_mark_still_resolves_every_open_report(moderator, reported):
    report_file(comment=reported, by=UserFactory(), reason="defamation")
    services.reports_dismiss(comment=reported, by=moderator, expected_version=reported.version)
    assert not Report.objects.filter(comment=reported, resolved_at__isnull=True).exists()


def test_an_htmx_decision_brings_the_new_tab_counts_out_of_band(
    client, moderator, reader, premod_article
):
    held = comment_post(author=reader, article=premod_article, body="Waiting")
    comment_post(author=reader, article=premod_article, body="Also waiting")
    client.force_login(moderator)
    html = client.post(
        reverse("moderation:approve", args=[held.pk]),
        {"version": held.version},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert re.search(
        r'<span class="tab-count" id="tab-count-pending" data-hx-swap-oob="true">1</span>', html
    )
    assert re.search(r'id="tab-count-approved" data-hx-swap-oob="true">1<', html)
    assert 'id="queue-lead" data-hx-swap-oob="true">1 comment awaiting moderation' in html


def test_the_sanction_form_preselects_no_sanction(client, moderator, reader):
    assert SanctionForm().fields["kind"].choices[0] == ("", "Choose a sanction")
    client.force_login(moderator)
    html = client.get(reverse("moderation:user", args=[reader.pk])).content.decode()
    select = html[
        html.index('<select name="kind"') : html.index(
            "</select>", html.index('<select name="kind"')
        )
    ]
    assert "selected" not in select
    response = client.post(
        reverse("moderation:user_sanction", args=[reader.pk]), {"kind": "", "reason": "Abuse"}
    )
    assert response.status_code == 400 and "Choose a sanction." in response.content.decode()
    assert not Sanction.objects.exists()


def test_the_word_form_preselects_neither_list(client, moderator):
    assert WordForm().fields["kind"].choices[0] == ("", "Choose what to do")
    client.force_login(moderator)
    client.post(reverse("moderation:word_add"), {"term": "liar"})
    assert not WordListEntry.objects.exists()


def test_hold_reasons_read_as_whole_sentences(client, moderator, article):
    newcomer = UserFactory(date_joined=timezone.now())
    comment_post(author=newcomer, article=article, body="Hello there")
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert "it is one of the first comments of a new account;" in html
    assert "(One of a new account" not in html


def test_every_reason_is_explained_on_the_guidelines_and_to_the_author(
    client, reader, moderator, premod_article
):
    html = client.get(reverse("guidelines")).content.decode()
    for code, label, explanation in reason_statements():
        assert f'id="reason-{code}"' in html and label in html and escape(explanation) in html
    held = comment_post(author=reader, article=premod_article, body="Spam spam")
    services.comment_reject(
        comment=held, by=moderator, reason="spam", note="Please stop", expected_version=1
    )
    client.force_login(reader)
    page = client.get(reverse("accounts:my_comments")).content.decode()
    assert "Reason: Spam. It advertises something or repeats itself" in page


def test_the_audit_screen_uses_labels_for_reasons_and_statuses(client, moderator, reported):
    services.comment_remove(
        comment=reported, by=moderator, reason="personal_information", expected_version=1
    )
    client.force_login(moderator)
    html = client.get(reverse("moderation:audit")).content.decode()
    table = html[html.index("<tbody>") :]
    assert "<td>Personal information</td>" in table and "Published → Removed" in table
    assert "personal_information" not in table


def test_a_decided_item_says_who_decided_and_when(client, moderator, reader, premod_article):
    held = comment_post(author=reader, article=premod_article, body="Rejected words")
    services.comment_reject(comment=held, by=moderator, reason="spam", expected_version=1)
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue") + "?tab=rejected").content.decode()
    assert re.search(
        r'<p class="queue-decided">Rejected by <strong>Imran Moderator</strong>, <time datetime=',
        html,
    )


def test_the_dashboard_flags_comments_waiting_longer_than_the_setting(
    client, moderator, reader, premod_article, settings
):
    settings.MODERATION_STALE_HOURS = 24
    old = comment_post(author=reader, article=premod_article, body="Old and waiting")
    # Posted 30 hours ago (set directly: the article is younger than that).
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=30))
    comment_post(author=reader, article=premod_article, body="Fresh and waiting")
    client.force_login(moderator)
    html = client.get(reverse("moderation:dashboard")).content.decode()
    assert "Waiting over 24 hours" in html and 'data-figure="stale">1<' in html


def test_the_user_page_shows_reports_received_and_filed_and_appeals(
    client, moderator, reader, other_reader, article
):
    mine = comment_post(author=reader, article=article, body="Mine")
    theirs = comment_post(author=other_reader, article=article, body="Theirs")
    report_file(comment=mine, by=other_reader, reason="spam")
    report_file(comment=theirs, by=reader, reason="hate")
    client.force_login(moderator)
    html = client.get(reverse("moderation:user", args=[reader.pk])).content.decode()
    received = html[html.index('id="received-h"') : html.index('id="filed-h"')]
    filed = html[html.index('id="filed-h"') : html.index('id="user-appeals-h"')]
    assert "Spam" in received and "M. Emad" in received
    assert "Hate" in filed
