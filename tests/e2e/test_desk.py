"""The newsroom's journey: an editor writes a piece, watches the preview, looks at it
at its future address, schedules it, publishes it; a visitor then reads it. Screenshots
of the desk, the front page and an article at phone and desktop widths."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles import services
from articles.models import Article, ArticleEvent, ArticleStatus, CommentsMode
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import SectionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BODY = """Committees against harassment exist on paper in most offices.

## What the law asks

The 2010 Act requires **every employer** to form an inquiry committee of three members,
one of them a woman. Read the [Act](https://example.org/act).

> "We did not know where to complain," a nurse in Lahore said.

- Name the members publicly
- Meet within three days of a complaint
"""


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    """Transactional tests flush the tables, and with them the role groups the data
    migration made: put them back before the personas need them."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import ROLE_PERMISSIONS

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=code)
                for app, code in perms
            ]
        )


@pytest.fixture
def newsroom(editor):
    news = SectionFactory(
        name="News", slug="news", position=0, default_comments_mode=CommentsMode.OPEN
    )
    opinion = SectionFactory(name="Opinion", slug="opinion", position=1)
    SectionFactory(name="Law", slug="law", position=2)
    start = timezone.now() - timedelta(days=6)
    pieces = [
        (news, "Lawyers rally in Karachi after harassment case is dismissed",
         "Protesters say the ruling shows how hard it is for women to be heard in court."),
        (opinion, "Why #MeToo in Pakistan needs more than hashtags",
         "Naming is a beginning; institutions that listen are the harder part."),
        (news, "University forms its first harassment inquiry committee",
         "Students had campaigned for two years; three members are named."),
        (opinion, "A letter from a newsroom that finally listened",
         "What changed when editors began to take complaints seriously."),
    ]  # fmt: skip
    for n, (section, title, standfirst) in enumerate(pieces):
        article = services.article_create(
            by=editor, title=title, standfirst=standfirst, body=BODY, section=section, now=start
        )
        when = start + timedelta(days=n)
        services.article_publish(article=article, by=editor, at=when, now=when)
    return news


def test_editor_writes_previews_schedules_and_publishes_and_a_visitor_reads_it(
    new_page, editor, newsroom
):
    page = new_page()
    sign_in(page, editor.email)
    page.get_by_role("link", name="Desk").click()
    expect(page.get_by_role("heading", name="Editor desk")).to_be_visible()
    page.get_by_role("link", name="New article").click()

    page.get_by_label("Title", exact=True).fill("Inquiry committees, two years on")
    page.get_by_label("Standfirst").fill("Most offices still have none. We asked why.")
    page.get_by_label("Section", exact=True).select_option(label="News")
    body = page.get_by_label("Body", exact=True)
    body.fill(BODY)
    body.press("End")
    body.type(" Updated.")
    # htmx renders the sanitised preview as the editor types.
    preview = page.locator("#preview-body")
    expect(preview.locator("strong", has_text="every employer")).to_be_visible()
    # The body's first heading sits right under the headline (articles.services).
    expect(preview.locator("h2", has_text="What the law asks")).to_be_visible()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    article = Article.objects.get(title="Inquiry committees, two years on")
    assert article.slug == "inquiry-committees-two-years-on"
    assert article.status == ArticleStatus.DRAFT

    # Editors see the draft at its future address; a visitor gets 404.
    page.get_by_role("link", name="Preview at its address").click()
    expect(page.get_by_text("this article is not published")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    visitor = new_page()
    # (Asked without rendering: a 404 page load would count as a console error.)
    assert visitor.request.get(article.get_absolute_url()).status == 404

    page.go_back()
    later = timezone.localtime(timezone.now() + timedelta(days=1)).replace(hour=9, minute=0)
    page.get_by_label("Publish at").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Scheduled: it appears by itself")).to_be_visible()
    expect(page.locator(".pill-scheduled")).to_be_visible()
    assert visitor.request.get(article.get_absolute_url()).status == 404

    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text("Published. It is live")).to_be_visible()
    expect(page.locator(".desk-log")).to_contain_text("published")
    expect(page.locator(".desk-log")).to_contain_text("scheduled")
    screenshot(page, "desk-edit-desktop")
    actions = list(
        ArticleEvent.objects.filter(article=article).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["article.created", "article.scheduled", "article.published"]

    visitor.goto("/")
    visitor.get_by_role("link", name=article.title).first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(article.title)
    expect(visitor.locator(".story-body strong", has_text="every employer")).to_be_visible()
    expect(visitor.get_by_text("Preview:")).to_have_count(0)
    expect(visitor.locator(".byline")).to_have_text(editor.display_name)

    # A correction: readers see when the piece was updated.
    page.get_by_label("Body", exact=True).fill(BODY + "\nCorrection: the Act dates from 2010.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes saved.")).to_be_visible()
    visitor.reload()
    expect(visitor.locator(".story-head .updated")).to_contain_text("Updated")


def test_desk_home_and_article_look_finished_on_phone_and_desktop(new_page, editor, newsroom):
    article = Article.objects.published().latest_first().first()
    services.article_create(
        by=editor, title="Draft: the committee members speak", section=newsroom, body=BODY
    )
    for width, name in [(390, "phone"), (1280, "desktop")]:
        page = new_page(width=width, height=844 if width < 500 else 900)
        sign_in(page, editor.email)
        page.goto("/desk/?view=published")
        expect(page.get_by_role("link", name=article.title)).to_be_visible()
        screenshot(page, f"desk-list-{name}")
        page.get_by_role("link", name=article.title).click()
        expect(page.get_by_role("heading", name="Publishing")).to_be_visible()
        if name == "phone":
            screenshot(page, "desk-edit-phone")

        reader = new_page(width=width, height=844 if width < 500 else 900)
        reader.goto("/")
        expect(reader.locator(".teaser-lead")).to_contain_text(article.title)
        screenshot(reader, f"front-{name}")
        reader.get_by_role("link", name=article.title).first.click()
        expect(reader.get_by_role("heading", level=1)).to_have_text(article.title)
        screenshot(reader, f"story-{name}")
