"""comments/access.py is the one rule of who sees a comment and who may do what
with it. Its tables are tested here; the renderer, the selectors, the views and
the services are then checked to ask it rather than decide for themselves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from comments import access
from comments.access import Act
from comments.models import Comment, CommentStatus
from comments.services import CommentError, comment_post, recommendation_toggle, report_file

AUTHOR, OTHER = 7, 8
ALL_STATUSES = list(CommentStatus)


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_only_published_comments_and_ones_own_held_comments_can_be_read(status):
    readable_by_stranger = status == CommentStatus.PUBLISHED
    readable_by_author = status in {CommentStatus.PUBLISHED, CommentStatus.PENDING}

    assert access.may_read(status, AUTHOR, None) is readable_by_stranger
    assert access.may_read(status, AUTHOR, OTHER) is readable_by_stranger
    assert access.may_read(status, AUTHOR, AUTHOR) is readable_by_author


@pytest.mark.django_db
def test_a_thread_starts_with_what_the_reader_may_read_or_a_placeholder(
    reader, other_reader, article
):
    by_status = {}
    for status in ALL_STATUSES:
        comment = comment_post(author=reader, article=article, body=f"In state {status}")
        # Test setup: each status straight in the row (the services would need a
        # moderator and several steps for some of them).
        Comment.objects.filter(pk=comment.pk).update(status=status)
        by_status[status] = comment.pk
    for viewer in (None, other_reader.pk, reader.pk):
        expected = {
            by_status[s] for s in ALL_STATUSES if access.may_start_thread(s, reader.pk, viewer)
        }
        found = set(
            Comment.objects.filter(pk__in=by_status.values())
            .filter(access.thread_starters(viewer))
            .values_list("pk", flat=True)
        )
        assert found == expected
    # Someone else's held comment and any rejected one start no thread.
    assert not access.may_start_thread(CommentStatus.PENDING, reader.pk, other_reader.pk)
    assert not access.may_start_thread(CommentStatus.REJECTED, reader.pk, reader.pk)
    assert access.may_start_thread(CommentStatus.REMOVED, reader.pk, None)


def test_placeholders_say_why_the_text_is_not_shown():
    assert access.placeholder(CommentStatus.PUBLISHED, AUTHOR, None) == ""
    assert access.placeholder(CommentStatus.PENDING, AUTHOR, AUTHOR) == ""
    assert "deleted by its author" in access.placeholder(
        CommentStatus.DELETED_BY_AUTHOR, AUTHOR, OTHER
    )
    assert "removed by a moderator" in access.placeholder(CommentStatus.REMOVED, AUTHOR, OTHER)
    assert "hidden while moderators review" in access.placeholder(
        CommentStatus.PENDING, AUTHOR, OTHER
    )


def _refusal(act: Act, **facts: object) -> str | None:
    defaults: dict[str, object] = {
        "signed_in": True,
        "mine": False,
        "status": CommentStatus.PUBLISHED,
        "in_edit_window": True,
        "comments_open": True,
        "standing": access.IN_GOOD_STANDING,
    }
    return access.refusal(act, **(defaults | facts))


def test_a_signed_out_reader_is_asked_to_sign_in_or_told_it_is_not_theirs():
    assert _refusal(Act.REPLY, signed_in=False) == "Sign in to comment."
    assert _refusal(Act.RECOMMEND, signed_in=False) == "Sign in to recommend comments."
    assert _refusal(Act.REPORT, signed_in=False) == "Sign in to report a comment."
    assert _refusal(Act.EDIT, signed_in=False) == "You can only edit your own comments."
    assert _refusal(Act.DELETE, signed_in=False) == "You can only delete your own comments."


def test_what_a_reader_may_do_to_someone_elses_published_comment():
    allowed = {act for act in Act if _refusal(act) is None}
    assert allowed == {Act.REPLY, Act.REPORT, Act.RECOMMEND}


def test_what_an_author_may_do_to_their_own_comment():
    assert {act for act in Act if _refusal(act, mine=True) is None} == {
        Act.REPLY,
        Act.EDIT,
        Act.DELETE,
    }
    assert _refusal(Act.EDIT, mine=True, in_edit_window=False).startswith(
        "Comments can only be edited within"
    )
    assert _refusal(Act.EDIT, mine=True, comments_open=False) == (
        "Comments are closed on this article."
    )
    assert _refusal(Act.EDIT, mine=True, status=CommentStatus.REMOVED) == (
        "This comment can no longer be edited."
    )
    assert _refusal(Act.REPORT, mine=True) == "You cannot report your own comment."
    assert _refusal(Act.RECOMMEND, mine=True) == "You cannot recommend your own comment."


@pytest.mark.parametrize("status", [s for s in ALL_STATUSES if s != CommentStatus.PUBLISHED])
def test_nobody_replies_to_reports_or_recommends_an_unpublished_comment(status):
    for act in (Act.REPLY, Act.REPORT, Act.RECOMMEND):
        assert _refusal(act, status=status) is not None


def test_acts_is_the_refusal_table_for_a_comment_in_a_thread():
    now = timezone.now()
    cutoff = access.edit_cutoff(now)
    young, old = now - timedelta(minutes=1), now - timedelta(days=1)

    def acts(viewer_id: int | None, created_at=young, status=CommentStatus.PUBLISHED):
        return access.acts(
            viewer_id=viewer_id,
            author_id=AUTHOR,
            status=status,
            created_at=created_at,
            comments_open=True,
            cutoff=cutoff,
        )

    assert acts(None) == frozenset()
    assert acts(OTHER) == {Act.REPLY, Act.REPORT, Act.RECOMMEND}
    assert acts(AUTHOR) == {Act.REPLY, Act.EDIT, Act.DELETE}
    assert acts(AUTHOR, created_at=old) == {Act.REPLY, Act.DELETE}
    assert acts(AUTHOR, status=CommentStatus.PENDING) == {Act.EDIT, Act.DELETE}
    assert Act.REPLY in access.open_after_sign_in(
        status=CommentStatus.PUBLISHED, comments_open=True
    )
    assert Act.REPLY not in access.open_after_sign_in(
        status=CommentStatus.PUBLISHED, comments_open=False
    )


def test_moderating_takes_the_permission(reader, moderator, admin_user):
    assert access.can_moderate(moderator)
    assert access.can_moderate(admin_user)
    assert not access.can_moderate(reader)
    assert not access.can_moderate(None)


@pytest.mark.django_db
def test_the_services_refuse_with_the_rules_own_words(reader, other_reader, article):
    mine = comment_post(author=reader, article=article, body="My own view")
    for service, act in ((recommendation_toggle, Act.RECOMMEND), (report_file, Act.REPORT)):
        expected = _refusal(act, mine=True)
        assert expected is not None
        kwargs = {"reason": "spam"} if service is report_file else {}
        with pytest.raises(CommentError) as refused:
            service(comment=mine, by=reader, **kwargs)
        assert str(refused.value) == expected
