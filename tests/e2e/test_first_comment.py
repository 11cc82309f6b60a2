"""A new reader's first comment, in Chromium, counting the steps: nothing they
type is lost on the way through signing up and confirming the email, and they
land back on the article each time (issue 16, part 1).

A step is one thing the reader does that takes them to another page: pressing a
button that sends a form, or opening the link in the confirmation email. Typing
into a field is not a step. The count is printed (`-s` shows it) and asserted.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from comments.models import Comment
from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_editors_picks import serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST_WORDS = "Who sits on these committees? The article does not say. یہ سوال اہم ہے"


class Steps:
    def __init__(self) -> None:
        self.taken: list[str] = []

    def __call__(self, what: str) -> None:
        self.taken.append(what)

    def __len__(self) -> int:
        return len(self.taken)


def confirmation_path(to: str) -> str:
    sent = [m for m in mail.outbox if to in m.to]
    found = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", sent[-1].body)
    assert found, sent[-1].body
    return found.group(1)


@pytest.fixture
def page_without_javascript(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        base_url=live_server.url,
        java_script_enabled=False,
    )
    yield context.new_page()
    context.close()


def test_a_new_readers_first_comment_survives_sign_up_and_confirmation_in_six_steps(
    new_page, article
):
    first_comment_journey(new_page(), article, name="js")


def test_the_same_journey_works_without_javascript(page_without_javascript, article):
    first_comment_journey(page_without_javascript, article, name="no-js")


def first_comment_journey(page, article, *, name: str) -> None:
    steps = Steps()
    page.goto(article.get_absolute_url())

    # Written before anything else, as a visitor.
    page.get_by_label("Join the discussion").fill(FIRST_WORDS)
    page.get_by_role("button", name="Post comment").click()
    steps("post the comment (as a visitor)")

    # The sign-up page says the comment is kept and what confirming unlocks.
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    expect(page.get_by_text("Your comment is kept.")).to_be_visible()
    expect(page.get_by_text("Once you confirm your email")).to_be_visible()
    page.get_by_label("Email").fill("zara@example.com")
    page.get_by_label("Display name").fill("Zara K.")
    page.get_by_label("Password:", exact=True).fill("a long and unusual passphrase")
    page.get_by_label("Password (again)").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Sign Up").click()
    steps("sign up")

    # Back on the article, the words back in the box.
    expect(page.get_by_role("heading", name=article.title)).to_be_visible()
    expect(page.get_by_label(re.compile("Join the discussion"))).to_have_value(FIRST_WORDS)

    page.goto(confirmation_path("zara@example.com"))
    steps("open the link in the confirmation email")
    page.get_by_role("button", name="Confirm").click()
    steps("confirm")

    # Confirming lands on the article at the form, not the home page.
    assert page.url.split("#")[0].endswith(article.get_absolute_url())
    box = page.get_by_label(re.compile("Join the discussion"))
    expect(box).to_have_value(FIRST_WORDS)
    expect(box).to_be_in_viewport()
    page.get_by_role("button", name="Post comment").click()
    steps("post the comment")

    zara = User.objects.get(email="zara@example.com")
    mine = Comment.objects.get(author=zara)
    assert mine.body == FIRST_WORDS
    # The outcome is said at the comment the page scrolled to, not far above it.
    notice = page.locator(f"#c{mine.pk} .form-notice")
    expect(notice).to_contain_text("Your comment will appear once a moderator")
    expect(notice).to_be_in_viewport()
    expect(notice).to_have_attribute("role", "status")
    screenshot(page, f"first-comment-posted-{name}")

    print(f"\nA new reader's first comment ({name}) took {len(steps)} steps: {steps.taken}")
    assert len(steps) <= 6


def test_confirming_in_another_browser_still_leads_back_to_the_article(new_page, article):
    page = new_page()
    page.goto(article.get_absolute_url())
    page.get_by_label("Join the discussion").fill(FIRST_WORDS)
    page.get_by_role("button", name="Post comment").click()
    page.get_by_label("Email").fill("hina@example.com")
    page.get_by_label("Display name").fill("Hina R.")
    page.get_by_label("Password:", exact=True).fill("a long and unusual passphrase")
    page.get_by_label("Password (again)").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Sign Up").click()

    # The mail is opened on a phone: another browser, without the session.
    phone = new_page(width=390, height=800)
    phone.goto(confirmation_path("hina@example.com"))
    phone.get_by_role("button", name="Confirm").click()
    assert phone.url.split("#")[0].endswith(article.get_absolute_url())

    # The words wait in the first browser, now allowed to post.
    page.reload()
    expect(page.get_by_label(re.compile("Join the discussion"))).to_have_value(FIRST_WORDS)
    page.get_by_role("button", name="Post comment").click()
    assert Comment.objects.get(author__email="hina@example.com").body == FIRST_WORDS


def test_an_unconfirmed_readers_comment_is_kept_and_the_warning_is_beside_the_box(
    new_page, unverified_reader, article
):
    page = new_page()
    sign_in(page, unverified_reader.email)
    page.goto(article.get_absolute_url())
    page.get_by_label(re.compile("Join the discussion")).fill(FIRST_WORDS)
    page.get_by_role("button", name="Post comment").click()

    warning = page.locator("#respond .form-notice")
    expect(warning).to_contain_text("Please verify your email address")
    expect(warning).to_contain_text("Your comment is kept")
    expect(warning).to_have_attribute("role", "alert")
    expect(warning).to_be_in_viewport()
    expect(page.get_by_label(re.compile("Join the discussion"))).to_have_value(FIRST_WORDS)
    assert not Comment.objects.exists()

    # The link in the email brings the reader back to the box, text and all.
    page.goto(confirmation_path(unverified_reader.email))
    page.get_by_role("button", name="Confirm").click()
    assert page.url.split("#")[0].endswith(article.get_absolute_url())
    expect(page.get_by_label(re.compile("Join the discussion"))).to_have_value(FIRST_WORDS)
    page.get_by_role("button", name="Post comment").click()
    assert Comment.objects.get(author=unverified_reader).body == FIRST_WORDS


def test_pasted_text_over_the_limit_is_kept_whole_and_refused_with_the_count(
    new_page, reader, article, settings
):
    settings.COMMENT_MAX_LENGTH = 300
    long_text = "The committee did not meet. " * 12  # 336 characters, one trailing space
    page = new_page(width=390, height=800)
    sign_in(page, reader.email)
    page.goto(article.get_absolute_url())
    box = page.get_by_label(re.compile("Join the discussion"))
    box.fill(long_text)
    # Nothing cut by the browser; the count says by how much it is over.
    expect(box).to_have_value(long_text)
    expect(page.locator("#respond .counter")).to_have_text("36 characters over the limit of 300")
    page.get_by_role("button", name="Post comment").click()

    error = page.locator("#respond .form-notice")
    expect(error).to_contain_text("at most 300 characters (this one has 335)")
    expect(error).to_be_in_viewport()
    expect(page.get_by_label(re.compile("Join the discussion"))).to_have_value(long_text)
    assert not Comment.objects.exists()


def test_sign_up_errors_look_like_errors_and_are_announced(new_page, reader):
    page = new_page(width=390, height=900)
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("zara@example.com")
    page.get_by_label("Display name").fill(reader.display_name)
    page.get_by_label("Password:", exact=True).fill("a long and unusual passphrase")
    page.get_by_label("Password (again)").fill("another passphrase entirely")
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_role("alert")).to_contain_text("Your account was not created yet")
    name_box = page.get_by_label("Display name")
    expect(name_box).to_have_attribute("aria-invalid", "true")
    error = page.locator(".has-error .errorlist").first
    expect(error).to_be_visible()
    # Red, bold: an error, not help text.
    assert error.evaluate("e => getComputedStyle(e).fontWeight") == "600"
    assert error.evaluate("e => getComputedStyle(e).color") == "rgb(163, 20, 27)"
    screenshot(page, "signup-errors-phone")
    assert serious_violations(page) == []
