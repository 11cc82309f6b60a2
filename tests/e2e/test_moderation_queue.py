"""A moderator works the queue the way moderators do: from the keyboard."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment, CommentStatus
from comments.services import comment_post
from moderation import services
from moderation.models import ModerationAction
from tests.e2e.conftest import ARTIFACTS, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


BODIES = [
    "The committee must publish its findings. کمیٹی کو اپنی رپورٹ شائع کرنی چاہیے۔",
    "Whoever leaked her number, 0300-1234567, should be ashamed.",
    "I was there in 2018 and the account matches what I saw.",
    "Please stop naming people who are not part of the story.",
]


def serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def fill_queue(article, count: int) -> list[Comment]:
    start = timezone.now() - timedelta(minutes=50)
    return [
        comment_post(
            author=UserFactory(display_name=f"Commenter {n:02d}"),
            article=article,
            body=f"{BODIES[n % len(BODIES)]} (#{n + 1})",
            now=start + timedelta(minutes=n),
        )
        for n in range(count)
    ]


def test_moderator_clears_a_queue_of_twenty_with_the_keyboard_alone(
    new_page, moderator, premod_article
):
    comments = fill_queue(premod_article, 20)
    page = new_page()
    sign_in(page, moderator.email)
    page.goto("/moderation/")
    expect(page.locator("[data-queue-item]")).to_have_count(20)
    expect(page.get_by_role("link", name="Pending 20")).to_be_visible()
    screenshot(page, "moderation-queue")
    page.screenshot(path=str(ARTIFACTS / "moderation-queue-top.png"))

    violations = serious(Axe().run(page))
    assert violations == [], violations

    # The first item has focus on arrival; j and k move between items.
    first_id, second_id = f"q{comments[0].pk}", f"q{comments[1].pk}"
    expect(page.locator(f"#{first_id}")).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator(f"#{second_id}")).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator(f"#{first_id}")).to_be_focused()
    page.keyboard.press("?")
    expect(page.locator("#queue-help dl")).to_be_visible()
    page.keyboard.press("?")

    started = time.perf_counter()
    for n in range(20):
        page.keyboard.press("a")
        expect(page.locator("[data-decided]")).to_have_count(n + 1)
        if n < 19:
            expect(page.locator(f"#q{comments[n + 1].pk}")).to_be_focused()
        if n == 2:
            page.screenshot(path=str(ARTIFACTS / "moderation-queue-after-decisions.png"))
    elapsed = time.perf_counter() - started
    print(f"\nCleared a queue of 20 with the keyboard in {elapsed:.2f} s")

    expect(page.locator("#queue-end")).to_contain_text("The queue is empty")
    assert set(Comment.objects.values_list("status", flat=True)) == {CommentStatus.PUBLISHED}
    assert (
        ModerationAction.objects.filter(
            actor=moderator, action="moderation.comment.approved"
        ).count()
        == 20
    )
    page.reload()
    expect(page.get_by_text("The queue is empty")).to_be_visible()


def test_moderator_rejects_with_keyboard_and_second_moderator_is_told_who_decided(
    new_page, moderator, other_moderator, premod_article
):
    first, second = fill_queue(premod_article, 2)
    page = new_page()
    sign_in(page, moderator.email)
    page.goto("/moderation/")
    other = new_page()
    sign_in(other, other_moderator.email)
    other.goto("/moderation/")

    # The other moderator approves the first comment while this page still shows it.
    other.locator(f"#q{first.pk}").get_by_role("button", name="Approve").click()
    expect(other.get_by_text("Approved the comment by Commenter 00")).to_be_visible()

    page.keyboard.press("r")
    expect(page.locator(f"#reason-{first.pk}")).to_be_focused()
    page.locator(f"#reason-{first.pk}").select_option("defamation")
    page.keyboard.press("Enter")
    refused = page.locator(f"#q{first.pk}")
    expect(refused).to_contain_text("already decided")
    expect(refused).to_contain_text("Ayesha Moderator")
    expect(page.locator(f"#q{second.pk}")).to_be_focused()

    page.keyboard.press("r")
    page.locator(f"#reason-{second.pk}").select_option("personal_information")
    page.keyboard.press("Enter")
    expect(page.locator(f"#q{second.pk}")).to_contain_text("Rejected the comment by Commenter 01")
    second.refresh_from_db()
    assert (second.status, second.reason_category) == ("rejected", "personal_information")
    first.refresh_from_db()
    assert first.status == CommentStatus.PUBLISHED


def test_queue_works_without_javascript(browser, live_server, moderator, premod_article):
    (held,) = fill_queue(premod_article, 1)
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        sign_in(page, moderator.email)
        page.goto("/moderation/")
        item = page.locator(f"#q{held.pk}")
        item.get_by_label("Reason").select_option("spam")
        item.get_by_role("button", name="Reject").click()
        expect(page.get_by_text("Rejected the comment by Commenter 00")).to_be_visible()
    finally:
        context.close()
    held.refresh_from_db()
    assert held.status == CommentStatus.REJECTED


def test_user_page_shows_record_and_bans_with_a_reason(
    new_page, moderator, reader, premod_article, article
):
    comment_post(author=reader, article=article, body="A published view on the committee.")
    held = comment_post(author=reader, article=premod_article, body="Her CNIC is 35202-1234567-1")
    services.comment_reject(
        comment=held,
        by=moderator,
        reason="personal_information",
        expected_version=held.version,
        note="Never share identity numbers.",
    )
    services.user_note_add(user=reader, by=moderator, note="Warned once by email.")
    page = new_page()
    sign_in(page, moderator.email)
    page.goto(f"/moderation/users/{reader.pk}/")
    expect(page.get_by_role("heading", name="Sana Reader", exact=True)).to_be_visible()
    page.get_by_label("Sanction", exact=True).select_option("suspend")
    page.get_by_label("Until").fill(
        (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Reason", exact=True).fill("Shared a CNIC number")
    page.get_by_role("button", name="Apply sanction").click()
    expect(page.get_by_text("Sanction recorded for Sana Reader.")).to_be_visible()
    expect(page.get_by_text("in force")).to_be_visible()
    violations = serious(Axe().run(page))
    assert violations == [], violations
    screenshot(page, "moderation-user-page")
    assert reader.sanctions.get().kind == "suspend"
