import pytest
from django.core.management import call_command

from articles.models import Article
from comments.models import Comment, CommentStatus
from moderation.models import ModerationAction

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_prints_logins(capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "Demo logins" in first and "moderator@metoo.test" in first
    counts = (Article.objects.count(), Comment.objects.count(), ModerationAction.objects.count())
    assert counts[0] >= 4
    statuses = set(Comment.objects.values_list("status", flat=True))
    assert {
        CommentStatus.PUBLISHED,
        CommentStatus.PENDING,
        CommentStatus.REJECTED,
        CommentStatus.REMOVED,
        CommentStatus.DELETED_BY_AUTHOR,
    } <= statuses
    assert Comment.objects.filter(depth__gte=5).exists()

    call_command("load_demo")
    assert "nothing loaded" in capsys.readouterr().out
    assert counts == (
        Article.objects.count(),
        Comment.objects.count(),
        ModerationAction.objects.count(),
    )
