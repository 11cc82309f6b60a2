"""Each comment's copy of how its author is shown (name, the name's language,
whether it links to a public profile), kept by the database (comments 0005), so a
thread is read without joining the accounts (issue 18). Whatever writes the
account or the comment, the copy follows."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.lifecycle import account_delete, profile_update
from accounts.models import DELETED_NAME, User
from comments import selectors
from comments.importers.disqus import import_disqus
from comments.models import Comment
from comments.services import comment_post
from tests.comments.datasets import make_export
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


def copy_of(comment: Comment) -> tuple[str, str, bool]:
    return tuple(
        Comment.objects.filter(pk=comment.pk).values_list(
            "author_name", "author_name_lang", "author_public"
        )[0]
    )


def shown_names(article) -> list[str]:
    return [item.comment.author_name for item in selectors.thread_all(article_id=article.pk).items]


def test_a_new_comment_carries_its_authors_name_language_and_link(reader, article):
    comment = comment_post(author=reader, article=article, body="Well reported.")
    assert copy_of(comment) == ("Sana Reader", "en", True)
    item = selectors.thread_all(article_id=article.pk).items[0]
    assert (item.comment.author_name, item.comment.author_lang) == ("Sana Reader", "en")
    assert item.comment.author_public is True


def test_reading_a_thread_reads_no_account(reader, other_reader, article):
    first = comment_post(author=reader, article=article, body="First")
    comment_post(author=other_reader, article=article, body="Second", parent=first)
    with CaptureQueriesContext(connection) as queries:
        assert shown_names(article) == ["Sana Reader", "M. Emad"]
    assert not [q["sql"] for q in queries if "accounts_user" in q["sql"]]


def test_a_rename_through_the_service_reaches_every_comment(reader, article):
    first = comment_post(author=reader, article=article, body="One")
    second = comment_post(author=reader, article=article, body="Two")
    profile_update(user=reader, display_name="سنا رضا", notify_replies=True, notify_moderation=True)
    assert copy_of(first) == copy_of(second) == ("سنا رضا", "ur", True)
    assert shown_names(article) == ["سنا رضا", "سنا رضا"]


def test_a_change_made_without_the_services_reaches_the_comments_too(reader, article):
    # The admin or a queryset update never calls the account services: the
    # database keeps the copy all the same.
    comment = comment_post(author=reader, article=article, body="Hello")
    User.objects.filter(pk=reader.pk).update(display_name="Sana R.", profile_public=False)
    assert copy_of(comment) == ("Sana R.", "en", False)
    User.objects.filter(pk=reader.pk).update(profile_public=True, is_active=False)
    assert copy_of(comment)[2] is False


def test_what_the_orm_sends_for_the_copy_is_replaced(reader, other_reader, article):
    comment = comment_post(author=reader, article=article, body="Hello")
    comment.author_name, comment.author_public = "Someone else", False
    comment.save()  # every field, the stale copy included
    assert copy_of(comment) == ("Sana Reader", "en", True)
    Comment.objects.filter(pk=comment.pk).update(author=other_reader)
    assert copy_of(comment)[0] == "M. Emad"


def test_a_deleted_account_shows_as_deleted_without_a_link(reader, article):
    comment = comment_post(author=reader, article=article, body="Hello")
    account_delete(user=reader, now=timezone.now(), comments="anonymise")
    assert copy_of(comment) == (DELETED_NAME, "en", False)


def test_imported_comments_carry_their_authors_names(tmp_path):
    SectionFactory(slug="archive", name="Archive")
    path = make_export(tmp_path / "small.xml", "--posts-per-thread", "40", "--slug", "copies")
    import_disqus(source=path, section="archive")
    rows = list(Comment.objects.values_list("author_name", "author__display_name", "author_public"))
    assert len(rows) == 40
    assert all(copy == name and copy for copy, name, _ in rows)
    assert any(public for *_, public in rows)


@pytest.mark.django_db(transaction=True)
def test_a_comment_written_while_its_author_is_renamed_gets_the_new_name(reader, article):
    """The rename's trigger cannot see a comment not yet committed; the comment's
    own trigger waits for the rename in flight instead of copying the old name."""
    written: dict[str, object] = {}

    def write() -> None:
        try:
            written["comment"] = Comment.objects.create(
                article=article, author=reader, body="Meanwhile", body_html="<p>Meanwhile</p>"
            )
        finally:
            connection.close()

    with transaction.atomic():
        User.objects.filter(pk=reader.pk).update(display_name="Sana Renamed")
        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.5)
        waited = writer.is_alive()  # held until the rename commits
    writer.join(timeout=10)
    assert waited
    assert copy_of(written["comment"])[0] == "Sana Renamed"
