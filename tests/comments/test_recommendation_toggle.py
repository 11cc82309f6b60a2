from __future__ import annotations

import pytest

from comments.models import Recommendation
from comments.services import CommentError, comment_delete, comment_post, recommendation_toggle

pytestmark = pytest.mark.django_db


def test_reader_recommends_a_comment_and_the_count_goes_up(reader, other_reader, article):
    comment = comment_post(author=other_reader, article=article, body="Worth reading")

    assert recommendation_toggle(comment=comment, by=reader) is True

    comment.refresh_from_db()
    assert comment.recommend_count == 1
    assert Recommendation.objects.filter(user=reader, comment=comment).exists()


def test_recommending_again_takes_the_recommendation_back(reader, other_reader, article):
    comment = comment_post(author=other_reader, article=article, body="Worth reading")
    recommendation_toggle(comment=comment, by=reader)

    assert recommendation_toggle(comment=comment, by=reader) is False

    comment.refresh_from_db()
    assert comment.recommend_count == 0
    assert not Recommendation.objects.exists()


def test_two_readers_recommendations_add_up(reader, other_reader, editor, article):
    comment = comment_post(author=other_reader, article=article, body="Worth reading")
    recommendation_toggle(comment=comment, by=reader)
    recommendation_toggle(comment=comment, by=editor)

    comment.refresh_from_db()
    assert comment.recommend_count == 2


def test_reader_cannot_recommend_their_own_comment(reader, article):
    comment = comment_post(author=reader, article=article, body="Mine")

    with pytest.raises(CommentError, match="your own"):
        recommendation_toggle(comment=comment, by=reader)
    comment.refresh_from_db()
    assert comment.recommend_count == 0


def test_a_comment_that_is_not_published_cannot_be_recommended(
    reader, other_reader, premod_article, article
):
    pending = comment_post(author=other_reader, article=premod_article, body="Held")
    deleted = comment_post(author=other_reader, article=article, body="Gone soon")
    comment_delete(comment=deleted, by=other_reader)

    for comment in (pending, deleted):
        with pytest.raises(CommentError, match="cannot be recommended"):
            recommendation_toggle(comment=comment, by=reader)
    assert not Recommendation.objects.exists()
