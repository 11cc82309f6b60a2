"""A sanction's end is a date within the forms' sane range (core.forms: 1 January 2000
to ten years ahead): anything else is refused by the form with a message, and no
sanction is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation.models import Sanction

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "until", ["9999-12-31T23:59", "9999-12-31", "0001-01-01T00:00", "0001-01-01", "1999-06-01"]
)
@pytest.mark.parametrize("kind", ["suspend", "ban", "premoderate"])
def test_an_end_outside_the_range_is_refused_with_a_message(client, moderator, reader, until, kind):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:user_sanction", args=[reader.pk]),
        {"kind": kind, "until": until, "reason": "Cooling off"},
    )
    assert response.status_code == 400
    assert "Choose a date between 1 January 2000 and" in response.content.decode()
    assert not Sanction.objects.filter(user=reader).exists()


def test_a_suspension_for_a_month_is_recorded(client, moderator, reader):
    client.force_login(moderator)
    until = timezone.localtime(timezone.now() + timedelta(days=30))
    response = client.post(
        reverse("moderation:user_sanction", args=[reader.pk]),
        {"kind": "suspend", "until": until.strftime("%Y-%m-%dT%H:%M"), "reason": "Cooling off"},
    )
    assert response.status_code == 302
    assert Sanction.objects.get(user=reader).kind == "suspend"


def test_a_bad_end_is_said_once_not_also_as_a_missing_end(client, moderator, reader):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:user_sanction", args=[reader.pk]),
        {"kind": "suspend", "until": "9999-12-31", "reason": "Cooling off"},
    )
    assert "A suspension needs an end time." not in response.content.decode()
