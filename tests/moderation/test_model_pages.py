"""The moderation model's pages: the evaluation page with its figures, curve,
languages, changes and disagreements; activation, rollback and mode changes from
it (audited); scores and their words in the queue; agreement on the dashboard.
Every page and action for every persona."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from comments.models import CommentStatus
from comments.services import comment_post
from moderation import services
from moderation.models import ActionCode, ModelMode, ModelVersion, ModerationAction
from moderation.tasks import RETRAIN_QUEUED_KEY
from tests.moderation.modelkit import BENIGN, HARASSING, active_version, stored_version

pytestmark = pytest.mark.django_db

PAGES = ["model", "model_version"]
ACTIONS = ["model_activate", "model_rollback", "model_settings"]


@pytest.fixture
def versions(moderator):
    first = services.model_activate(version=stored_version(), by=moderator)
    second = stored_version(seed=1)
    return first, second


def url(name: str, versions) -> str:
    _, second = versions
    if name in {"model_version", "model_activate"}:
        return reverse(f"moderation:{name}", args=[second.pk])
    return reverse(f"moderation:{name}")


def payload(name: str, versions) -> dict:
    first, _ = versions
    return {"version": first.pk, "mode": "hold", "threshold": "0.60"}


def state() -> list[tuple]:
    return list(
        ModelVersion.objects.order_by("pk").values_list("pk", "is_active", "mode", "threshold")
    )


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("name", PAGES + ACTIONS)
def test_anonymous_visitors_are_sent_to_sign_in(client, versions, name):
    before = state()
    response = (client.get if name in PAGES else client.post)(
        url(name, versions), payload(name, versions)
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert state() == before


@pytest.mark.parametrize("persona", ["reader", "editor"])
@pytest.mark.parametrize("name", PAGES + ACTIONS)
def test_readers_and_editors_are_refused_and_nothing_changes(
    client, versions, name, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    before = state()
    response = (client.get if name in PAGES else client.post)(
        url(name, versions), payload(name, versions)
    )
    assert response.status_code == 403
    assert state() == before
    assert (
        not ModerationAction.objects.filter(action__startswith="moderation.model")
        .exclude(action=ActionCode.MODEL_ACTIVATED)
        .exists()
    )


@pytest.mark.parametrize("persona", ["moderator", "admin_user"])
@pytest.mark.parametrize("name", PAGES)
def test_moderators_and_admins_see_the_pages(client, versions, name, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(name, versions))
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )


# ---------------------------------------------------------------- the evaluation page


def test_the_evaluation_page_shows_the_active_versions_figures_and_curve(
    client, moderator, versions
):
    first, _ = versions
    client.force_login(moderator)
    html = client.get(reverse("moderation:model")).content.decode()
    assert f"Version {first.pk} on decisions it never saw" in html
    for figure in ("precision", "recall", "f1"):
        assert re.search(rf'data-figure="{figure}">\d+%<', html), figure
    # The curve is an SVG drawn by the site, styled by classes only (the CSP
    # allows no inline style).
    assert '<svg class="pr-curve"' in html and '<polyline class="pr-line"' in html
    assert '<circle class="pr-point"' in html
    assert " style=" not in html
    for language in ("English", "Urdu script", "Roman Urdu", "Mixed"):
        assert f'<th scope="row">{language}</th>' in html
    assert "This is the first version" in html


def test_figures_follow_the_threshold_in_force(client, moderator, versions):
    first, _ = versions
    client.force_login(moderator)

    def recall() -> str:
        html = client.get(reverse("moderation:model")).content.decode()
        return re.search(r'data-figure="recall">(\d+)%<', html).group(1)

    before = int(recall())
    services.model_configure(
        version=first, by=moderator, mode=ModelMode.SHADOW, threshold=Decimal("0.95")
    )
    assert int(recall()) < before


def test_a_version_page_shows_what_changed_since_the_one_before(client, moderator):
    first = services.model_activate(version=stored_version(), by=moderator)
    second = stored_version(seed=1)
    second.metrics = {**second.metrics, "previous": {
        "version": first.pk, "precision": 0.5, "recall": 0.4, "f1": 0.44,
        "average_precision": 0.6, "brier": 0.2, "examples": 100, "features": 900,
        "reasons_scored": ["harassment"], "settings": {"c": 1.0}, "now_held": 3,
        "now_passed": 1,
    }}  # fmt: skip
    second.save(update_fields=["metrics"])
    client.force_login(moderator)
    html = client.get(reverse("moderation:model_version", args=[second.pk])).content.decode()
    assert f"What changed since version {first.pk}" in html
    assert "<td>50%</td>" in html  # the previous version's precision
    assert "3 now held, 1 now passed" in html
    assert "Setting “c”" in html


def test_an_unknown_version_is_not_found(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("moderation:model_version", args=[999999])).status_code == 404


def test_the_page_without_any_version_says_how_to_train_one(client, moderator):
    client.force_login(moderator)
    html = client.get(reverse("moderation:model")).content.decode()
    assert "No version is active" in html and "train_moderation_model" in html


def test_latest_disagreements_are_listed(client, moderator, reader, premod_article):
    active_version(mode=ModelMode.SHADOW)
    kept = comment_post(author=reader, article=premod_article, body=HARASSING)
    taken_down = comment_post(author=reader, article=premod_article, body=BENIGN)
    agreed = comment_post(author=reader, article=premod_article, body=HARASSING + " Really.")
    services.comment_approve(comment=kept, by=moderator, expected_version=kept.version)
    services.comment_reject(
        comment=taken_down, by=moderator, reason="spam", expected_version=taken_down.version
    )
    services.comment_reject(
        comment=agreed, by=moderator, reason="harassment", expected_version=agreed.version
    )
    client.force_login(moderator)
    html = client.get(reverse("moderation:model")).content.decode()
    section = html.split('id="disagree-h"')[1].split("</section>")[0]
    assert "would hold" in section and "Approved" in section
    assert "would pass" in section and "Rejected: Spam" in section
    assert "Really." not in section


# ---------------------------------------------------------------- acting from the page


def test_a_moderator_activates_a_version_in_shadow_mode(client, moderator, versions):
    _, second = versions
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:model_activate", args=[second.pk]), {"mode": "shadow"}, follow=True
    )
    assert f"Version {second.pk} is now active, in shadow mode." in response.content.decode()
    assert ModelVersion.objects.get(is_active=True) == second
    entry = ModerationAction.objects.filter(action=ActionCode.MODEL_ACTIVATED).latest("id")
    assert (entry.actor, entry.data["previous"]) == (moderator, versions[0].pk)


def test_a_moderator_switches_to_hold_mode_and_changes_the_threshold(client, moderator, versions):
    first, _ = versions
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:model_settings"),
        {"version": first.pk, "mode": "hold", "threshold": "0.65"},
        follow=True,
    )
    assert "hold mode, threshold 0.65" in response.content.decode()
    first.refresh_from_db()
    assert (first.mode, first.threshold) == ("hold", Decimal("0.65"))
    assert ModerationAction.objects.filter(
        action=ActionCode.MODEL_MODE_CHANGED, actor=moderator
    ).exists()


def test_a_bad_threshold_is_refused_with_a_message(client, moderator, versions):
    first, _ = versions
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:model_settings"),
        {"version": first.pk, "mode": "hold", "threshold": "1.5"},
        follow=True,
    )
    assert "The threshold must be at most 0.99." in response.content.decode()
    first.refresh_from_db()
    assert first.mode == "shadow"


def test_a_moderator_rolls_back_a_version(client, moderator, versions):
    first, second = versions
    services.model_activate(version=second, by=moderator)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:model_rollback"), {"version": second.pk}, follow=True
    )
    assert f"Rolled back to version {first.pk}, in shadow mode." in response.content.decode()
    assert ModelVersion.objects.get(is_active=True) == first
    assert ModerationAction.objects.filter(
        action=ActionCode.MODEL_ROLLED_BACK, actor=moderator
    ).exists()


def test_a_stale_rollback_changes_nothing(client, moderator, versions):
    first, second = versions
    services.model_activate(version=second, by=moderator)
    client.force_login(moderator)
    response = client.post(reverse("moderation:model_rollback"), {"version": first.pk}, follow=True)
    assert "someone changed it meanwhile" in response.content.decode()
    assert ModelVersion.objects.get(is_active=True) == second


# ---------------------------------------------------------------- queue and dashboard


def test_the_queue_shows_a_held_comments_score_and_the_words_that_raised_it(
    client, moderator, reader, premod_article
):
    version = active_version(mode=ModelMode.SHADOW)
    comment = comment_post(author=reader, article=premod_article, body=HARASSING)
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    item = html.split(f'id="q{comment.pk}"')[1].split("</li></ul>")[0]
    assert "Moderation model’s score" in item
    assert re.search(r"Score (0\.9\d|1\.00) \(threshold 0\.50\)", item)
    assert '<mark class="model-span">jahil aurat</mark>' in item
    assert '<meter class="model-meter"' in item
    assert reverse("moderation:model_version", args=[version.pk]) in item


def test_the_queue_filters_on_comments_the_model_held(client, moderator, reader, article):
    active_version(mode=ModelMode.HOLD)
    held = comment_post(author=reader, article=article, body=HARASSING)
    assert held.status == CommentStatus.PENDING
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue"), {"reason": "model.held"}).content.decode()
    assert f'id="q{held.pk}"' in html
    assert "Held by the moderation model" in html


def test_the_dashboard_shows_how_often_the_model_agreed(client, moderator, reader, premod_article):
    active_version(mode=ModelMode.SHADOW)
    bodies = [HARASSING, HARASSING + " Again.", BENIGN, BENIGN + " Yes."]
    comments = [comment_post(author=reader, article=premod_article, body=b) for b in bodies]
    services.comment_reject(
        comment=comments[0], by=moderator, reason="harassment", expected_version=1
    )
    services.comment_approve(comment=comments[1], by=moderator, expected_version=1)
    services.comment_approve(comment=comments[2], by=moderator, expected_version=1)
    services.comment_approve(comment=comments[3], by=moderator, expected_version=1)
    client.force_login(moderator)
    html = client.get(reverse("moderation:dashboard")).content.decode()
    assert 'data-figure="agreement">75%<' in html
    assert "in shadow mode: it scores every comment and holds none" in html


def test_a_decision_in_the_queue_queues_a_retraining_once_enough_are_made(
    client, moderator, reader, premod_article, settings
):
    settings.MODERATION_MODEL_RETRAIN_AFTER = 2
    comments = [
        comment_post(author=reader, article=premod_article, body=f"{BENIGN} {n}") for n in range(2)
    ]
    client.force_login(moderator)
    for n, comment in enumerate(comments):
        assert cache.get(RETRAIN_QUEUED_KEY) is None, n
        client.post(reverse("moderation:approve", args=[comment.pk]), {"version": 1})
    assert cache.get(RETRAIN_QUEUED_KEY) is not None


def test_the_try_a_text_box_shows_the_models_score_and_words(client, moderator):
    active_version(mode=ModelMode.SHADOW)
    client.force_login(moderator)
    html = client.get(reverse("moderation:words"), {"text": HARASSING}).content.decode()
    assert "Result: published (the model’s score is only noted)" in html
    assert re.search(r"Score (0\.9\d|1\.00) \(threshold 0\.50\)", html)
    assert '<mark class="model-span">jahil aurat</mark>' in html
