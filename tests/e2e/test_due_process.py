"""Due process in the browser (issue 14): an author edits a comment readers have
reported; a moderator sees what changed and rejects it; the author appeals from
"My comments"; the same moderator cannot decide the appeal; a second moderator
overturns it, and the comment is published again."""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.lifecycle import AccountDeletionError, account_delete
from comments.models import Comment, CommentStatus
from comments.services import comment_post, report_file
from moderation.models import ActionCode, Appeal, AppealStatus, ModerationAction
from moderation.services import holds
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_edit_after_report_diff_reject_appeal_and_overturn_by_another_moderator(
    new_page, reader, other_reader, moderator, other_moderator, article
):
    comment = comment_post(
        author=reader, article=article, body="The chairman stole the relief money."
    )
    report_file(comment=comment, by=other_reader, reason="defamation", note="Stated as fact")

    # The author softens the reported comment inside the edit window.
    author = new_page()
    sign_in(author, reader.email)
    author.goto(article.get_absolute_url())
    mine = author.locator(f"#c{comment.pk}")
    mine.get_by_role("link", name="Edit").click()
    mine.get_by_label("Edit your comment").fill(
        "The chairman is accused of taking the relief money."
    )
    mine.get_by_role("button", name="Save changes").click()
    expect(author.locator(f"#c{comment.pk}")).to_contain_text("accused of taking")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING

    # The first moderator sees it on the Reported tab, flagged, with the diff.
    first = new_page()
    sign_in(first, moderator.email)
    first.goto("/moderation/?tab=reported")
    item = first.locator(f"#q{comment.pk}")
    expect(item.locator(".edit-flag")).to_have_text("Edited after report")
    expect(item.locator(".revision-diff del").first).to_contain_text("stole")
    expect(item.locator(".revision-diff ins").first).to_contain_text("is accused of taking")
    expect(item).to_contain_text("compare the versions before deciding")
    screenshot(first, "h14-queue-item-with-diff")
    item.get_by_label("Reason").select_option("defamation")
    item.get_by_label("Note to the author (optional)").fill("Still reads as an accusation")
    item.get_by_role("button", name="Reject").click()
    expect(first.locator(f"#q{comment.pk}")).to_contain_text("Rejected the comment by")
    # The counts follow without a reload.
    expect(first.locator("#tab-count-reported")).to_have_text("0")

    # The author appeals from "My comments".
    author.goto("/accounts/me/comments/")
    author.get_by_role("link", name="Appeal this decision, or see your appeal").click()
    expect(author.get_by_text("Defamation or false allegation")).to_be_visible()
    author.get_by_label("Why should the decision be looked at again?").fill(
        "I wrote that he is accused, which is what the story reports."
    )
    author.get_by_role("button", name="Send the appeal").click()
    expect(author.get_by_text("Your appeal was sent.")).to_be_visible()

    # The moderator who rejected it cannot decide the appeal.
    first.goto("/moderation/appeals/")
    appeal_item = first.locator(".appeal-item").first
    expect(appeal_item).to_contain_text("what the story reports")
    expect(appeal_item).to_contain_text("another moderator must decide the appeal")
    expect(appeal_item.locator('input[name="outcome"]')).to_have_count(0)

    # A second moderator overturns it, with a reason.
    second = new_page()
    sign_in(second, other_moderator.email)
    second.goto("/moderation/appeals/")
    appeal_item = second.locator(".appeal-item").first
    expect(appeal_item).to_contain_text("Rejected by Imran Moderator")
    screenshot(second, "h14-appeals-tab")
    appeal_item.get_by_label("Overturn it and publish the comment").check()
    appeal_item.get_by_label("Reason (sent to the author)").fill(
        "It reports an accusation, as the story does."
    )
    appeal_item.get_by_role("button", name="Decide the appeal").click()
    expect(second.get_by_text("Appeal granted: the comment is published again.")).to_be_visible()

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    appeal = Appeal.objects.get(comment=comment)
    assert (appeal.status, appeal.decided_by) == (AppealStatus.OVERTURNED, other_moderator)
    codes = list(
        ModerationAction.objects.filter(comment=comment)
        .order_by("id")
        .values_list("action", "actor_id")
    )
    assert codes == [
        (ActionCode.EDITED, reader.pk),
        (ActionCode.REJECTED, moderator.pk),
        (ActionCode.APPEAL_FILED, reader.pk),
        (ActionCode.RESTORED, other_moderator.pk),
        (ActionCode.APPEAL_OVERTURNED, other_moderator.pk),
    ]
    # Its history page shows both versions and every step.
    second.goto(f"/moderation/comments/{comment.pk}/history/")
    expect(second.locator(".revision-diff del").first).to_contain_text("stole")
    expect(second.locator(".history-log")).to_contain_text("Appeal granted, decision overturned")
    assert Comment.objects.get(pk=comment.pk).revisions.count() == 1


def test_an_editor_records_a_legal_hold_and_exports_a_verified_history(
    new_page, editor, reader, other_reader, article
):
    comment = comment_post(author=reader, article=article, body="What he did in 2018.")
    report_file(comment=comment, by=other_reader, reason="defamation")
    page = new_page()
    sign_in(page, editor.email)
    page.goto("/moderation/holds/")
    page.get_by_label("Kind of request").select_option("court_order")
    page.get_by_label("Reference").fill("CO-2026/118")
    page.get_by_label("Received on").fill(timezone.localdate().isoformat())
    page.get_by_label("Requester").fill("Lahore High Court")
    page.get_by_label("What it covers").select_option("user")
    page.get_by_label("User (email), for a user's writing").fill(reader.email)
    page.get_by_role("button", name="Record the hold").click()
    expect(page.get_by_text("Legal hold CO-2026/118 recorded.")).to_be_visible()
    expect(page.locator('[data-figure="comments"]')).to_have_text("1")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export history (ZIP)").click()
    archive = Path(download.value.path()).read_bytes()
    assert holds.manifest_verifies(archive)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        listing = "\n".join(
            f"{info.filename:18} {info.file_size:>7} bytes" for info in zf.infolist()
        )
        manifest = zf.read("SHA256SUMS").decode()
    # The export's contents, shown on a page for the record (no network: a data URL).
    page.set_content(
        f"<h1>legal-hold-export.zip</h1><pre>{html.escape(listing)}</pre>"
        f"<h2>SHA256SUMS</h2><pre>{html.escape(manifest)}</pre>"
    )
    screenshot(page, "h14-export-contents")
    # The reader's account deletion is refused while the hold stands.
    with pytest.raises(AccountDeletionError):
        account_delete(user=reader, now=timezone.now())
