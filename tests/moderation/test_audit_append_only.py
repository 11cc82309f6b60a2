import pytest
from django.db import InternalError, ProgrammingError, connection, transaction

from comments.services import comment_post
from moderation.models import ModerationAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(reader, premod_article):
    comment_post(author=reader, article=premod_article, body="held")
    return ModerationAction.objects.get()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE moderation_moderationaction SET note = 'rewritten'",
        "DELETE FROM moderation_moderationaction",
        "UPDATE moderation_moderationaction SET actor_id = NULL, action = 'x'",
    ],
)
def test_database_refuses_to_rewrite_the_audit_log(action, sql):
    with (
        pytest.raises((InternalError, ProgrammingError), match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    action.refresh_from_db()
    assert action.note == ""


def test_orm_delete_is_refused_too(action):
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        ModerationAction.objects.all().delete()
    assert ModerationAction.objects.count() == 1
