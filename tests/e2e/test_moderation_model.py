"""A moderator and the moderation model, in the browser: a held comment's score
explained in the queue, the evaluation page, the switch from shadow to hold mode,
and a rollback to the version before."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from comments.models import CommentStatus
from comments.services import comment_post
from moderation import services
from moderation.models import ActionCode, ModelVersion, ModerationAction
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import UserFactory
from tests.moderation.modelkit import HARASSING, stored_version

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_moderator_reads_an_explained_score_switches_to_hold_mode_and_rolls_back(
    new_page, moderator, reader, premod_article, article
):
    first = services.model_activate(version=stored_version(seed=1), by=moderator)
    second = services.model_activate(version=stored_version(seed=0), by=moderator)
    held = comment_post(author=reader, article=premod_article, body=HARASSING)
    assert held.status == CommentStatus.PENDING

    page = new_page()
    sign_in(page, moderator.email)
    page.goto("/moderation/")
    item = page.locator(f"#q{held.pk}")
    # Shadow mode: the premoderated article held it; the model's score is explained.
    expect(item.locator(".hold-reasons")).to_contain_text("Moderation model’s score")
    expect(item.locator(".hold-reasons")).to_contain_text("raised most by “jahil aurat”")
    expect(item.locator(".queue-body mark.model-span").first).to_have_text("jahil aurat")
    expect(item.locator("meter.model-meter")).to_have_count(1)
    screenshot(page, "moderation-model-queue")

    page.get_by_role("navigation", name="Moderation").get_by_role("link", name="Model").click()
    expect(
        page.get_by_role("heading", name=f"Version {second.pk} on decisions it never saw")
    ).to_be_visible()
    expect(page.locator("svg.pr-curve polyline.pr-line")).to_have_count(1)
    expect(page.locator("table.confusion-table tbody tr")).to_have_count(4)
    violations = serious(Axe().run(page))
    assert violations == [], violations
    screenshot(page, "moderation-model-evaluation")

    # Shadow to hold mode.
    page.get_by_label("Hold: hold comments scored at or above the threshold").check()
    page.get_by_role("button", name="Save mode and threshold").click()
    expect(page.get_by_text(f"Version {second.pk}: hold mode, threshold 0.50.")).to_be_visible()
    second.refresh_from_db()
    assert second.mode == "hold"

    # The next such comment, on an open article, waits for a moderator.
    now_held = comment_post(author=UserFactory(), article=article, body=HARASSING + " Again.")
    assert now_held.status == CommentStatus.PENDING
    page.goto("/moderation/?reason=model.held")
    expect(page.locator(f"#q{now_held.pk}")).to_contain_text("Held by the moderation model")
    expect(page.locator(f"#q{held.pk}")).to_have_count(0)

    # Roll back to the version before, in the mode it had.
    page.goto("/moderation/model/")
    page.get_by_role("button", name=f"Roll back to version {first.pk}").click()
    expect(page.get_by_text(f"Rolled back to version {first.pk}, in shadow mode.")).to_be_visible()
    assert ModelVersion.objects.get(is_active=True) == first
    screenshot(page, "moderation-model-rolled-back")
    codes = list(
        ModerationAction.objects.filter(actor=moderator, action__startswith="moderation.model")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert codes[-2:] == [ActionCode.MODEL_MODE_CHANGED, ActionCode.MODEL_ROLLED_BACK]
    # Back in shadow mode, nothing more is held by the model.
    passed = comment_post(author=UserFactory(), article=article, body=HARASSING + " Third.")
    assert passed.status == CommentStatus.PUBLISHED
