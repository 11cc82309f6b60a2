"""A reader's whole journey through the comment section, in Chromium, without
shortcuts: sign up, confirm the email from the outbox, post, reply, edit, delete,
recommend, report, and see their own comment awaiting moderation. Then the look
of a deep thread on a phone and a desktop, and an accessibility check."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from comments.models import Comment, CommentStatus
from comments.services import comment_delete, comment_post, recommendation_toggle
from moderation.models import Report
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reader_signs_up_verifies_and_takes_part_in_the_discussion(new_page, other_reader, article):
    theirs = comment_post(
        author=other_reader, article=article, body="The committee never met, not once."
    )
    page = new_page()
    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Join the discussion").click()

    # Sign up with a display name; the confirmation comes by email.
    page.get_by_label("Email").fill("zara@example.com")
    page.get_by_label("Display name").fill("Zara K.")
    page.get_by_label("Password:", exact=True).fill("a long and unusual passphrase")
    page.get_by_label("Password (again)").fill("a long and unusual passphrase")
    screenshot(page, "reader-signup")
    page.get_by_role("button", name="Sign Up").click()
    # Signed in straight away and back on the article, but not yet able to comment.
    expect(page.get_by_text("Confirmation email sent to zara@example.com")).to_be_visible()
    expect(page.get_by_role("heading", name=article.title)).to_be_visible()
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    page.goto(path.group(1))
    page.get_by_role("button", name="Confirm").click()
    zara = User.objects.get(email="zara@example.com")
    assert zara.emailaddress_set.get().verified

    # A new account's first comment waits for a moderator; its author sees it in place.
    page.goto(article.get_absolute_url())
    page.get_by_label("Join the discussion").fill("Why did nobody ask the members? یہ سوال اہم ہے")
    page.get_by_role("button", name="Post comment").click()
    mine = page.locator(".comment", has_text="Why did nobody ask")
    expect(mine.get_by_text("Awaiting moderation")).to_be_visible()
    first = Comment.objects.get(author=zara, parent=None)
    assert first.status == CommentStatus.PENDING

    # Reply in place (htmx opens the form under the comment).
    theirs_li = page.locator(f"#c{theirs.pk}")
    theirs_li.get_by_role("link", name="Reply to M. Emad").click()
    reply_box = theirs_li.get_by_role("textbox", name="Reply to M. Emad")
    expect(reply_box).to_be_focused()
    reply_box.fill("Do you have the minutes?")
    expect(theirs_li.locator(".counter")).to_have_text(re.compile(r"2,?9\d\d characters left"))
    theirs_li.get_by_role("button", name="Post reply").click()
    reply = Comment.objects.get(author=zara, parent=theirs)
    expect(page.locator(f"#c{reply.pk}")).to_contain_text("Do you have the minutes?")

    # Edit the first comment within the window; it is marked edited.
    mine = page.locator(f"#c{first.pk}")
    mine.get_by_role("link", name="Edit").click()
    box = mine.get_by_label("Edit your comment")
    box.fill("Why did nobody ask the committee members? یہ سوال اہم ہے")
    mine.get_by_role("button", name="Save changes").click()
    expect(page.locator(f"#c{first.pk}")).to_contain_text("ask the committee members")
    expect(page.locator(f"#c{first.pk} .edited")).to_have_text("edited")

    # Delete the reply: it has no answers, so it disappears.
    target = page.locator(f"#c{reply.pk}")
    target.get_by_role("link", name="Delete").click()
    target.get_by_role("button", name="Delete comment").click()
    expect(page.get_by_text("Your comment is deleted.")).to_be_visible()
    expect(page.locator(f"#c{reply.pk}")).to_have_count(0)

    # Recommend someone else's comment (htmx toggles in place), then report it.
    theirs_li = page.locator(f"#c{theirs.pk}")
    theirs_li.get_by_role("button", name=re.compile("^Recommend")).click()
    expect(theirs_li.get_by_role("button", name=re.compile("^Recommended"))).to_have_attribute(
        "aria-pressed", "true"
    )
    theirs.refresh_from_db()
    assert theirs.recommend_count == 1

    theirs_li.get_by_role("link", name="Report").click()
    theirs_li.get_by_label("Off-topic").check()
    theirs_li.get_by_label("Anything moderators should know?").fill("Not about the article")
    screenshot(page, "reader-report-form")
    theirs_li.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("We received your report")).to_be_visible()
    assert Report.objects.get().reason == "off_topic"

    # "My comments" tells what happened to each.
    page.get_by_role("link", name="My comments").click()
    expect(page.get_by_text("Awaiting moderation").first).to_be_visible()
    expect(page.get_by_text("Deleted by its author")).to_be_visible()
    screenshot(page, "reader-my-comments")


def build_deep_thread(article):
    people = [
        UserFactory(display_name=name)
        for name in ("M. Emad", "Ayesha Siddiqa", "Bilal", "Hina R.", "Kamran A.")
    ]
    sana = UserFactory(email="sana.k@example.com", display_name="Sana Khan")
    start = timezone.now() - timedelta(minutes=55)
    bodies = [
        "A careful piece. The hardest part is what happens after a complaint is filed.",
        "@Ayesha But who sits on these committees? Usually the same people.",
        "Committees must publish their members' names. یہ بہت ضروری ہے۔",
        "Agreed, and the timelines too. Here is the law: https://example.org/act-2010",
        "Timelines without enforcement mean little.",
        "میں متفق ہوں، لیکن عمل درآمد کون کرے گا؟",
        "This is where the thread should stop, and it is still readable.",
    ]
    parent = None
    deep = []
    for level, body in enumerate(bodies):
        parent = comment_post(
            author=people[level % len(people)],
            article=article,
            body=body,
            parent=parent,
            now=start + timedelta(minutes=3 * level),
        )
        deep.append(parent)
    second = comment_post(
        author=people[2],
        article=article,
        body="Naming names is not the same as proof.\n\nWe should be careful here.",
        now=start + timedelta(minutes=25),
    )
    gone = comment_post(
        author=people[3], article=article, body="Withdrawn", now=start + timedelta(minutes=30)
    )
    comment_post(
        author=people[4],
        article=article,
        body="Whatever was said above, the point stands.",
        parent=gone,
        now=start + timedelta(minutes=32),
    )
    comment_delete(comment=gone, by=people[3])
    for person in people[1:4]:
        recommendation_toggle(comment=deep[0], by=person)
    recommendation_toggle(comment=second, by=people[0])
    return sana, deep


@pytest.mark.parametrize(("width", "name"), [(390, "phone"), (1280, "desktop")])
def test_deep_thread_reads_like_a_newspaper_comment_section(new_page, article, width, name):
    from tests.e2e.conftest import sign_in

    sana, deep = build_deep_thread(article)
    comment_post(author=sana, article=article, body="Awaiting a moderator, visible to me only.")
    Comment.objects.filter(author=sana).update(status=CommentStatus.PENDING)

    page = new_page(width=width, height=900)
    sign_in(page, sana.email)
    page.goto(article.get_absolute_url() + "#comments")
    expect(page.locator(f"#c{deep[6].pk}")).to_have_class(re.compile("depth-5"))
    expect(page.locator(f"#c{deep[6].pk} .replying-to")).to_have_text("@M. Emad")
    expect(page.get_by_text("This comment was deleted by its author.")).to_be_visible()
    expect(page.get_by_text("Awaiting moderation")).to_be_visible()
    page.locator(f"#c{deep[2].pk}").get_by_role("link", name=re.compile("^Reply")).click()
    expect(page.locator(f"#c{deep[2].pk} textarea")).to_be_visible()
    page.locator("#comments").scroll_into_view_if_needed()
    screenshot(page, f"reader-deep-thread-{name}")

    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []
