"""The desk schedules only within the forms' sane range (core.forms: 1 January 2000 to
ten years ahead): a far-off or ancient date is refused by the form with a message and
changes nothing. Before, 9999-12-31 passed the form and failed with a 500
(OverflowError) further on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleEvent, ArticleStatus
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = [
    "9999-12-31T23:59",
    "9999-12-31",
    "0001-01-01T00:00",
    "0001-01-01",
    "1999-12-31T23:59",
]


@pytest.fixture
def draft(editor):
    return ArticleFactory(
        title="Work in progress", status=ArticleStatus.DRAFT, published_at=None, author=editor
    )


def _schedule(client, article, when: str):
    return client.post(
        reverse("desk:schedule", args=[article.pk]), {"publish_at": when}, follow=True
    )


@pytest.mark.parametrize("when", OUT_OF_RANGE)
def test_a_date_outside_the_range_is_refused_with_a_message(client, editor, draft, when):
    client.force_login(editor)
    events = ArticleEvent.objects.filter(article=draft).count()
    response = _schedule(client, draft, when)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a date between 1 January 2000 and" in html
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT and draft.published_at is None
    assert ArticleEvent.objects.filter(article=draft).count() == events


def test_eleven_years_ahead_is_too_far(client, editor, draft):
    client.force_login(editor)
    when = timezone.localtime(timezone.now() + timedelta(days=11 * 366))
    response = _schedule(client, draft, when.strftime("%Y-%m-%dT%H:%M"))
    assert "Choose a date between 1 January 2000 and" in response.content.decode()
    draft.refresh_from_db()
    assert draft.published_at is None


def test_a_year_ahead_is_scheduled(client, editor, draft):
    client.force_login(editor)
    when = timezone.localtime(timezone.now() + timedelta(days=365)).replace(second=0, microsecond=0)
    response = _schedule(client, draft, when.strftime("%Y-%m-%dT%H:%M"))
    assert "Scheduled: it appears by itself" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_scheduled() and draft.published_at == when


def test_a_date_that_is_no_date_says_how_to_write_one(client, editor, draft):
    client.force_login(editor)
    response = _schedule(client, draft, "10000-01-01T00:00")
    assert "Enter a date and time, such as" in response.content.decode()
