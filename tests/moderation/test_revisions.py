"""Every edit keeps the text it replaces (comments.CommentRevision, append-only in
the database); an edit of a reported comment is held, "edited after report"; the
queue, the comment's history and the user page show what changed."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import CommentRevision, CommentStatus
from comments.services import comment_delete, comment_edit, comment_post, report_file
from moderation import lifecycle, selectors, services
from moderation.models import ActionCode, ModerationAction, Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _entries(comment) -> list[tuple[str, int | None, str, str]]:
    return list(
        ModerationAction.objects.filter(comment=comment)
        .order_by("id")
        .values_list("action", "actor_id", "from_status", "to_status")
    )


def test_an_edit_keeps_the_old_text_and_is_audited_even_without_a_status_change(reader, article):
    comment = comment_post(author=reader, article=article, body="The first words")
    edited = comment_edit(comment=comment, by=reader, body="The second words")
    assert edited.status == CommentStatus.PUBLISHED and edited.body == "The second words"
    revision = CommentRevision.objects.get(comment=comment)
    assert (revision.number, revision.body, revision.status) == (
        1,
        "The first words",
        CommentStatus.PUBLISHED,
    )
    assert revision.written_at == comment.created_at and not revision.after_report
    assert _entries(comment) == [(ActionCode.EDITED, reader.pk, "published", "published")]
    assert ModerationAction.objects.get(comment=comment).data["revision"] == 1

    comment_edit(comment=edited, by=reader, body="The third words")
    texts = list(
        CommentRevision.objects.filter(comment=comment).order_by("number").values_list("body")
    )
    assert texts == [("The first words",), ("The second words",)]


def test_the_database_refuses_to_rewrite_or_delete_a_revision(reader, article):
    comment = comment_post(author=reader, article=article, body="Said once")
    comment_edit(comment=comment, by=reader, body="Said twice")
    revision = CommentRevision.objects.get(comment=comment)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CommentRevision.objects.filter(pk=revision.pk).update(body="Never said")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CommentRevision.objects.filter(pk=revision.pk).delete()
    # A redaction that changes anything else is refused too.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CommentRevision.objects.filter(pk=revision.pk).update(
            body="", redacted_at=timezone.now(), after_report=True
        )
    revision.refresh_from_db()
    assert revision.body == "Said once"


def test_an_edit_of_a_reported_comment_is_held_as_edited_after_report(
    reader, other_reader, article
):
    comment = comment_post(author=reader, article=article, body="He stole the money")
    report_file(comment=comment, by=other_reader, reason="defamation")
    edited = comment_edit(comment=comment, by=reader, body="He may have taken the money")
    assert edited.status == CommentStatus.PENDING
    assert [h["code"] for h in edited.hold_reasons] == [lifecycle.EDITED_AFTER_REPORT]
    assert CommentRevision.objects.get(comment=comment).after_report
    # The reports stay open for the moderator who decides it.
    assert Report.objects.filter(comment=comment, resolved_at__isnull=True).count() == 1
    entry = ModerationAction.objects.filter(comment=comment, action=ActionCode.EDITED).get()
    assert (entry.actor, entry.from_status, entry.to_status) == (reader, "published", "pending")
    assert (entry.reason, entry.note) == (lifecycle.EDITED_AFTER_REPORT, "edited after report")
    assert selectors.tab_queryset("reported").filter(pk=comment.pk).exists()


def test_a_clean_edit_drops_the_old_texts_hold_reasons(reader, article):
    comment = comment_post(author=reader, article=article, body="Ring 0300 1234567")
    assert comment.status == CommentStatus.PENDING
    assert comment.hold_reasons[0]["code"] == "personal_data.phone"
    edited = comment_edit(comment=comment, by=reader, body="Ring the newsroom instead")
    # Held comments never skip the queue, but the phone number is gone from the reasons.
    assert edited.status == CommentStatus.PENDING
    assert [h["code"] for h in edited.hold_reasons] == [lifecycle.EDITED_WHILE_HELD]


def test_withdrawing_blanks_the_text_and_redacts_every_earlier_text(reader, article):
    comment = comment_post(author=reader, article=article, body="First thought")
    comment = comment_edit(comment=comment, by=reader, body="Second thought")
    withdrawn = comment_delete(comment=comment, by=reader)
    assert (withdrawn.body, withdrawn.body_html) == ("", "")
    revision = CommentRevision.objects.get(comment=comment)
    assert revision.body == "" and revision.redacted_at is not None
    entry = ModerationAction.objects.get(comment=comment, action=ActionCode.DELETED_BY_AUTHOR)
    assert entry.data == {"revisions_redacted": 1}


def test_text_diff_escapes_and_marks_words():
    html = selectors.text_diff("He <b>stole</b> it", "He <b>took</b> it")
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert "<del>&lt;b&gt;stole&lt;/b&gt;</del>" in html
    assert "<ins>&lt;b&gt;took&lt;/b&gt;</ins>" in html


@pytest.fixture
def edited_after_report(reader, other_reader, article):
    comment = comment_post(author=reader, article=article, body="He stole the money")
    report_file(comment=comment, by=other_reader, reason="defamation")
    return comment_edit(comment=comment, by=reader, body="He may have taken the money")


def test_the_queue_item_shows_the_diff_and_the_flag(client, moderator, edited_after_report):
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue") + "?tab=reported").content.decode()
    assert "Edited after report" in html
    assert "<del>stole</del>" in html and "<ins>may have taken</ins>" in html
    assert reverse("moderation:comment_history", args=[edited_after_report.pk]) in html
    # Whole sentences, not internal codes.
    assert "compare the versions before deciding" in html
    assert "<code>" not in html


def test_the_queue_reads_revisions_in_one_query_however_many_items(
    client, moderator, reader, article
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("moderation:queue") + "?tab=approved")
        return len(ctx)

    client.force_login(moderator)
    comment_edit(
        comment=comment_post(author=reader, article=article, body="One"), by=reader, body="1"
    )
    queries()  # the first request also reads the session and warms caches
    first = queries()
    for n in range(4):
        c = comment_post(author=UserFactory(), article=article, body=f"Text {n}")
        comment_edit(comment=c, by=c.author, body=f"Changed {n}")
    assert queries() == first


def test_the_history_page_shows_every_version_reports_and_decisions(
    client, moderator, edited_after_report
):
    services.comment_reject(
        comment=edited_after_report,
        by=moderator,
        reason="defamation",
        expected_version=edited_after_report.version,
    )
    client.force_login(moderator)
    html = client.get(
        reverse("moderation:comment_history", args=[edited_after_report.pk])
    ).content.decode()
    assert "Version 1" in html and "He stole the money" not in html.split("Now")[-1]
    assert "<del>stole</del>" in html
    assert "Defamation or false allegation" in html
    assert "Edited by its author" in html and "Rejected" in html
    assert "moderation.comment" not in html


@pytest.mark.parametrize("persona", ["reader", "editor"])
def test_the_history_page_is_for_moderators_only(client, request, persona, edited_after_report):
    url = reverse("moderation:comment_history", args=[edited_after_report.pk])
    assert client.get(url).status_code == 302
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


def test_history_of_a_missing_comment_is_404(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("moderation:comment_history", args=[999999])).status_code == 404


def test_the_user_page_lists_their_edits_with_the_diff(client, moderator, edited_after_report):
    client.force_login(moderator)
    html = client.get(
        reverse("moderation:user", args=[edited_after_report.author_id])
    ).content.decode()
    assert "Edits" in html and "<del>stole</del>" in html
    assert "Edited after report" in html
