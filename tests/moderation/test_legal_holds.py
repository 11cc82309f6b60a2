"""Legal holds (issue 14): an editor or admin records a legal request and its
scope; while it stands nothing in it is purged, anonymised or deleted; "Export
history" writes a ZIP whose SHA-256 manifest verifies, and is audited."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts import lifecycle as account_lifecycle
from comments.models import CommentRevision, CommentStatus
from comments.services import (
    comment_delete,
    comment_edit,
    comment_post,
    private_data_purge,
    report_file,
)
from moderation.models import ActionCode, LegalHold, ModerationAction, user_under_hold
from moderation.services import holds
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _place(by, **scope):
    return holds.hold_place(
        by=by,
        kind="court_order",
        reference="CO-2026/118",
        received_on=timezone.localdate(),
        requester="Lahore High Court",
        **scope,
    )


def test_an_editor_records_a_hold_and_it_is_audited(editor, reader):
    hold = _place(editor, scope="user", user=reader)
    entry = ModerationAction.objects.get(action=ActionCode.LEGAL_HOLD_PLACED)
    assert (entry.actor, entry.target_user, entry.reason) == (editor, reader, "court_order")
    assert entry.data["hold"] == hold.pk and user_under_hold(reader)


@pytest.mark.parametrize("persona", ["reader", "moderator"])
def test_readers_and_moderators_cannot_record_holds(request, persona, reader):
    with pytest.raises(PermissionDenied):
        _place(request.getfixturevalue(persona), scope="user", user=reader)
    assert not LegalHold.objects.exists()


def test_a_hold_stops_an_account_deletions_anonymisation(admin_user, reader, article):
    comment_post(author=reader, article=article, body="What I saw that night")
    hold = _place(admin_user, scope="user", user=reader)
    with pytest.raises(account_lifecycle.AccountDeletionError, match="legal matter"):
        account_lifecycle.account_delete(user=reader, now=timezone.now())
    reader.refresh_from_db()
    assert reader.deleted_at is None and reader.display_name == "Sana Reader"
    holds.hold_release(hold=hold, by=admin_user, note="Case closed")
    account_lifecycle.account_delete(user=reader, now=timezone.now())
    reader.refresh_from_db()
    assert reader.deleted_at is not None
    assert list(
        ModerationAction.objects.filter(action__startswith="legal.hold")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [ActionCode.LEGAL_HOLD_PLACED, ActionCode.LEGAL_HOLD_RELEASED]


def test_a_hold_on_an_article_keeps_its_comments_private_data_from_the_purge(
    editor, reader, article
):
    kept = comment_post(author=reader, article=article, body="Kept", ip="10.0.0.1")
    other = comment_post(author=reader, article=ArticleFactory(), body="Gone", ip="10.0.0.2")
    _place(editor, scope="article", article=article)
    assert private_data_purge(older_than=timezone.now() + timedelta(days=1)) == 1
    kept.refresh_from_db()
    other.refresh_from_db()
    assert kept.ip_hash != "" and other.ip_hash == ""


def test_an_author_deleting_a_held_comment_keeps_its_text_as_a_revision(editor, reader, article):
    comment = comment_post(author=reader, article=article, body="The words in question")
    comment = comment_edit(comment=comment, by=reader, body="The words, softened")
    _place(editor, scope="comments", comment_ids=[comment.pk])
    withdrawn = comment_delete(comment=comment, by=reader)
    assert withdrawn.status == CommentStatus.DELETED_BY_AUTHOR and withdrawn.body == ""
    texts = list(
        CommentRevision.objects.filter(comment=comment)
        .order_by("number")
        .values_list("body", "redacted_at")
    )
    assert texts == [("The words in question", None), ("The words, softened", None)]


def test_the_export_holds_every_record_and_its_manifest_verifies(
    editor, moderator, reader, other_reader, article
):
    comment = comment_post(author=reader, article=article, body="=HYPERLINK(evil) he did it")
    report_file(comment=comment, by=other_reader, reason="defamation")
    comment = comment_edit(comment=comment, by=reader, body="He may have done it")
    hold = _place(editor, scope="comments", comment_ids=[comment.pk])
    archive = holds.hold_export(hold=hold, by=editor)
    assert holds.manifest_verifies(archive)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        names = set(zf.namelist())
        for table in ("comments", "revisions", "decisions", "reports", "appeals"):
            assert {f"{table}.json", f"{table}.csv"} <= names
        revisions = json.loads(zf.read("revisions.json"))
        assert revisions[0]["body"] == "=HYPERLINK(evil) he did it"
        assert "'=HYPERLINK(evil) he did it" in zf.read("revisions.csv").decode()
        assert len(json.loads(zf.read("reports.json"))) == 1
        sums = zf.read("SHA256SUMS").decode()
        assert hashlib.sha256(zf.read("comments.json")).hexdigest() + "  comments.json" in sums
    entry = ModerationAction.objects.get(action=ActionCode.LEGAL_HOLD_EXPORTED)
    assert entry.actor == editor
    assert entry.data["sha256"] == hashlib.sha256(archive).hexdigest()


def test_a_tampered_export_fails_its_manifest(editor, reader, article):
    comment = comment_post(author=reader, article=article, body="Original")
    archive = holds.hold_export(
        hold=_place(editor, scope="comments", comment_ids=[comment.pk]), by=editor
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as src, zipfile.ZipFile(buffer, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            out.writestr(
                name, data.replace(b"Original", b"Altered") if name == "comments.json" else data
            )
    assert not holds.manifest_verifies(buffer.getvalue())


# ---------------------------------------------------------------- pages


def test_an_editor_records_a_hold_and_exports_it_from_the_pages(client, editor, reader, article):
    comment_post(author=reader, article=article, body="Words")
    client.force_login(editor)
    response = client.post(
        reverse("moderation:holds"),
        {
            "kind": "complaint",
            "reference": "C-7",
            "received_on": timezone.localdate().isoformat(),
            "requester": "A named person",
            "scope": "user",
            "user_email": reader.email,
        },
    )
    hold = LegalHold.objects.get()
    assert response.status_code == 302 and hold.user == reader
    page = client.get(reverse("moderation:hold", args=[hold.pk])).content.decode()
    assert 'data-figure="comments">1<' in page and "Export history" in page
    export = client.post(reverse("moderation:hold_export", args=[hold.pk]))
    assert export["Content-Type"] == "application/zip"
    assert holds.manifest_verifies(export.content)


def test_the_hold_form_preselects_nothing_and_refuses_an_empty_request(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("moderation:holds")).content.decode()
    assert "selected" not in page[page.index('name="kind"') : page.index('name="reference"')]
    response = client.post(reverse("moderation:holds"), {"reference": "X"})
    assert response.status_code == 400 and not LegalHold.objects.exists()


@pytest.mark.parametrize("persona", ["reader", "moderator"])
def test_readers_and_moderators_are_refused_the_hold_pages(client, request, persona, editor):
    hold = _place(editor, scope="user", user=UserFactory())
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("moderation:holds")).status_code == 403
    assert client.post(reverse("moderation:hold_export", args=[hold.pk])).status_code == 403
    assert not ModerationAction.objects.filter(action=ActionCode.LEGAL_HOLD_EXPORTED).exists()
