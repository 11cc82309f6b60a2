"""Privacy: IP addresses stored only as keyed hashes; hashes and user agents
dropped after 90 days (`manage.py purge_private_data`, run daily); readers
download their data as JSON and delete their account."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import lifecycle as account_lifecycle
from accounts.models import User
from comments import services as comment_services
from comments.models import Comment, CommentStatus, Recommendation
from comments.services import comment_post, recommendation_toggle
from comments.tree import ip_hash
from moderation import services as moderation
from moderation.models import ModerationAction, Report
from tests.factories import ArticleFactory, comment_form

pytestmark = pytest.mark.django_db


def test_the_ip_address_is_stored_only_as_a_keyed_hash(client, reader, article):
    client.force_login(reader)
    client.post(
        reverse("comments:post", args=[article.slug]),
        comment_form("Hello from somewhere"),
        REMOTE_ADDR="203.0.113.42",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )
    comment = Comment.objects.get()
    assert comment.ip_hash == ip_hash("203.0.113.42")
    assert len(comment.ip_hash) == 64 and "203.0.113" not in comment.ip_hash
    row = Comment.objects.filter(pk=comment.pk).values().get()
    assert not any("203.0.113.42" in str(value) for value in row.values())


def test_the_hash_is_keyed_so_hashing_every_address_does_not_reverse_it(settings):
    import hashlib

    first = ip_hash("203.0.113.42")
    assert first != hashlib.sha256(b"203.0.113.42").hexdigest()
    settings.IP_HASH_KEY = "another key"
    assert ip_hash("203.0.113.42") != first


def test_purge_blanks_hashes_and_user_agents_older_than_90_days_only(reader, article):
    old = comment_post(
        author=reader, article=article, body="Old words", ip="192.0.2.1", user_agent="Old/1"
    )
    out = StringIO()
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        fresh = comment_post(
            author=reader,
            article=ArticleFactory(),
            body="Fresh words",
            ip="192.0.2.2",
            user_agent="New/1",
        )
        call_command("purge_private_data", stdout=out)
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.ip_hash, old.user_agent) == ("", "")
    assert fresh.ip_hash and fresh.user_agent == "New/1"
    assert "1 comment(s)" in out.getvalue()
    # A second run has nothing to do.
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        call_command("purge_private_data", stdout=out)
    assert "0 comment(s)" in out.getvalue()


def test_the_purge_is_documented_for_a_daily_schedule():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    docs = (root / "docs" / "SECURITY.md").read_text() + (root / "README.md").read_text()
    assert "purge_private_data" in docs and "daily" in docs


@pytest.fixture
def active_reader(reader, other_reader, moderator, article):
    """A reader with a comment of each kind, a report filed, a recommendation made,
    a reply to them, and a moderator's decision on one of their comments."""
    mine = comment_post(author=reader, article=article, body="My published view", ip="1.2.3.4")
    removed = comment_post(author=reader, article=article, body="My removed view")
    moderation.comment_remove(
        comment=removed,
        by=moderator,
        reason="off_topic",
        expected_version=removed.version,
        note="Please stay on topic",
    )
    theirs = comment_post(author=other_reader, article=article, body="Someone else's view")
    comment_services.report_file(comment=theirs, by=reader, reason="spam", note="Looks like spam")
    recommendation_toggle(comment=theirs, by=reader)
    comment_post(author=other_reader, article=article, body="A reply to you", parent=mine)
    return reader


def test_a_reader_downloads_their_data_as_json(active_reader):
    client = Client()
    client.force_login(active_reader)
    response = client.get(reverse("accounts:export"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert set(data) >= {"profile", "comments", "reports", "recommendations"}
    assert data["profile"]["email"] == active_reader.email
    assert data["profile"]["display_name"] == "Sana Reader"
    bodies = {c["body"]: c for c in data["comments"]}
    assert set(bodies) == {"My published view", "My removed view"}
    assert bodies["My removed view"]["status"] == "removed"
    assert bodies["My removed view"]["note_from_moderators"] == "Please stay on topic"
    assert [r["note"] for r in data["reports"]] == ["Looks like spam"]
    assert len(data["recommendations"]) == 1
    assert "Someone else's view" not in response.content.decode()


def _delete_account(user, password="correct horse battery"):
    client = Client()
    client.force_login(user)
    return client, client.post(
        reverse("accounts:delete"), {"password": password, "confirm": "on"}, follow=True
    )


def test_deleting_an_account_needs_the_password(active_reader):
    _, response = _delete_account(active_reader, password="not mine")
    assert "That is not your password." in response.text
    active_reader.refresh_from_db()
    assert active_reader.deleted_at is None and active_reader.is_active


def test_a_deleted_accounts_comments_show_deleted_account_by_default(
    active_reader, article, other_reader, django_capture_on_commit_callbacks
):
    # The page is read (and its thread cached) with the name before the deletion.
    assert "Sana Reader" in Client().get(reverse("article", args=[article.slug])).text
    with django_capture_on_commit_callbacks(execute=True):
        client, response = _delete_account(active_reader)
    assert "Your account is deleted." in response.text
    user = User.objects.get(pk=active_reader.pk)
    assert user.deleted_at is not None and not user.is_active
    assert user.email.endswith("@deleted.invalid") and "sana" not in user.email
    assert user.display_name == "deleted account"
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    # Signed out, and the old password no longer signs in.
    assert "_auth_user_id" not in client.session
    page = Client().get(reverse("article", args=[article.slug])).text
    assert "My published view" in page and "deleted account" in page
    assert "Sana Reader" not in page
    # Their recommendation and the private data of their comments are gone.
    assert not Recommendation.objects.filter(user=user).exists()
    assert not Comment.objects.filter(author=user).exclude(ip_hash="").exists()


def test_with_the_remove_setting_their_comments_are_withdrawn(active_reader, article, settings):
    settings.ACCOUNT_DELETED_COMMENTS = "remove"
    _delete_account(active_reader)
    statuses = dict(Comment.objects.filter(author=active_reader).values_list("body", "status"))
    # Withdrawn, its text goes with it (issue 14): only the placeholder stays.
    assert "My published view" not in statuses
    assert statuses[""] == CommentStatus.DELETED_BY_AUTHOR
    # A moderator's removal stays a removal: the moderation record is not rewritten.
    assert statuses["My removed view"] == CommentStatus.REMOVED
    page = Client().get(reverse("article", args=[article.slug])).text
    assert "My published view" not in page
    # The reply to it keeps its place.
    assert "A reply to you" in page


def test_moderation_records_keep_the_moderator_side(active_reader, moderator):
    before = ModerationAction.objects.filter(actor=moderator).count()
    _delete_account(active_reader)
    assert ModerationAction.objects.filter(actor=moderator).count() == before
    removal = ModerationAction.objects.get(action="moderation.comment.removed")
    assert removal.target_user_id == active_reader.pk and removal.note == "Please stay on topic"
    # Their report stays with the comment it was about, for the moderators.
    assert Report.objects.filter(reporter_id=active_reader.pk).count() == 1


def test_a_new_reader_may_not_take_the_deleted_accounts_name_but_may_take_the_old_one(
    active_reader,
):
    from accounts.names import display_name_problem

    _delete_account(active_reader)
    assert display_name_problem("Deleted Account") is not None
    assert display_name_problem("Sana Reader") is None


def test_staff_accounts_cannot_be_deleted_by_their_owner(moderator):
    with pytest.raises(account_lifecycle.AccountDeletionError):
        account_lifecycle.account_delete(user=moderator, now=timezone.now())
