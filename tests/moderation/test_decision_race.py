"""Two moderators deciding the same comment at the same moment, in two real
database connections: the first decision stands, the second is told."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from comments.models import Comment, CommentStatus
from comments.services import comment_post
from moderation import services
from moderation.models import ModerationAction

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_approve_and_reject_leave_one_decision_and_one_audit_row(
    reader, premod_article, moderator, other_moderator
):
    pending = comment_post(author=reader, article=premod_article, body="Contested")
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decide(name, call):
        try:
            barrier.wait()
            outcomes[name] = call()
        except services.ModerationError as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=decide,
            args=(
                "approve",
                lambda: services.comment_approve(
                    comment=pending, by=moderator, expected_version=pending.version
                ),
            ),
        ),
        threading.Thread(
            target=decide,
            args=(
                "reject",
                lambda: services.comment_reject(
                    comment=pending,
                    by=other_moderator,
                    reason="spam",
                    expected_version=pending.version,
                ),
            ),
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    conflicts = [o for o in outcomes.values() if isinstance(o, services.DecisionConflict)]
    winners = [o for o in outcomes.values() if isinstance(o, Comment)]
    assert len(conflicts) == 1 and len(winners) == 1
    final = Comment.objects.get(pk=pending.pk)
    assert final.status == winners[0].status
    assert final.status in {CommentStatus.PUBLISHED, CommentStatus.REJECTED}
    winner_name = "Imran Moderator" if final.status == "published" else "Ayesha Moderator"
    assert winner_name in str(conflicts[0])
    assert ModerationAction.objects.filter(comment=pending).exclude(actor=None).count() == 1
