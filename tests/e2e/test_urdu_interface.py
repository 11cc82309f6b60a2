"""The interface in Urdu, as a browser draws it: the front page, an article with a
thread, the moderation queue (as a moderator) and the desk (as an editor), at 390 and
1280 pixels. Each reads right to left from the right-to-left stylesheets: the masthead,
the section bar, the thread's nesting and the two columns mirrored, nothing wider than
the window, the interface's words in the Urdu fonts, and no serious accessibility
problem; the same pages in English stay left to right.

Screenshots of the Urdu pages go to docs/screenshots/ (urdu-<page>-<width>.png)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import timezone

from articles import services as article_services
from articles.models import CommentsMode
from comments.services import comment_post
from tests.e2e.conftest import screenshot
from tests.factories import SectionFactory, UserFactory
from tests.urdu_content import publish_urdu_story

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = [390, 1280]
PAGES = ["home", "article", "queue", "desk", "desk-edit"]
# The pages whose Urdu screenshots are kept in docs/ (the others go to test-artifacts/).
DOCUMENTED = {"home", "queue", "desk"}


class Newsroom:
    def __init__(self, *, editor, moderator) -> None:
        self.editor, self.moderator = editor, moderator
        news = SectionFactory(
            name="News", slug="news", position=0, default_comments_mode=CommentsMode.OPEN
        )
        opinion = SectionFactory(name="Opinion", slug="opinion", position=1)
        start = timezone.now() - timedelta(days=3)
        for n, (section, title, standfirst) in enumerate(
            [
                (news, "Lawyers rally in Karachi after harassment case is dismissed",
                 "Protesters say the ruling shows how hard it is for women to be heard."),
                (opinion, "Why #MeToo in Pakistan needs more than hashtags",
                 "Naming is a beginning; institutions that listen are the harder part."),
            ]
        ):  # fmt: skip
            article = article_services.article_create(
                by=editor, title=title, standfirst=standfirst, body="Text.", section=section,
                now=start,
            )  # fmt: skip
            when = start + timedelta(hours=n)
            article_services.article_publish(article=article, by=editor, at=when, now=when)
        # The desk opens on its drafts.
        self.draft = article_services.article_create(
            by=editor, title="University forms its first harassment inquiry committee",
            standfirst="Students had campaigned for two years.", body="Text.", section=news,
        )  # fmt: skip
        self.story = publish_urdu_story(
            editor=editor,
            section=news,
            urdu_reader=UserFactory(email="sana.khan@example.com", display_name="ثنا خان"),
            reader=UserFactory(email="bilal@example.com", display_name="Bilal Ahmed"),
        )
        # An English comment waiting in the queue beside the Urdu one.
        comment_post(
            author=UserFactory(display_name="Commenter 01"),
            article=self.story.article,
            body="Whoever leaked her number, 0300-1234567, should be ashamed.",
        )

    def url(self, name: str) -> str:
        return {
            "home": "/",
            "article": self.story.article.get_absolute_url(),
            "queue": "/moderation/",
            "desk": "/desk/",
            "desk-edit": f"/desk/{self.draft.pk}/",
        }[name]

    def persona(self, name: str):
        return {"queue": self.moderator, "desk": self.editor, "desk-edit": self.editor}.get(name)


@pytest.fixture
def newsroom(editor, moderator):
    return Newsroom(editor=editor, moderator=moderator)


def _open(new_page, live_server, *, width: int, language: str, user=None):
    """A page in its own context: the interface language from the cookie the header's
    switch sets; signed in (a session made on the server side) when `user` is given."""
    page = new_page(width=width)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
        )
    page.context.add_cookies(cookies)
    return page


def _go(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")


LAYOUT_JS = """
() => {
  const one = (s) => document.querySelector(s);
  const box = (s) => one(s) && one(s).getBoundingClientRect();
  const css = (s, p) => one(s) && getComputedStyle(one(s))[p];
  const wide = [...document.querySelectorAll('body *')].filter((e) => {
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && style.position !== 'fixed'
      && !e.closest('.visually-hidden, .skip-link')
      // cut by an edge (an element moved wholly off the page is hidden on purpose)
      && ((r.right > innerWidth + 1 && r.left < innerWidth) || (r.left < -1 && r.right > 0));
  }).slice(0, 5).map((e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'));
  return {
    dir: document.documentElement.dir,
    lang: document.documentElement.lang,
    direction: getComputedStyle(document.body).direction,
    sheets: [...document.styleSheets].map((s) => s.href || '').filter(Boolean),
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth,
    wide,
    date: box('.masthead-date'),
    account: box('.account-links'),
    nav: box('.section-nav'),
    search: box('.search-box'),
    buttonFont: css('.search-box button', 'fontFamily'),
    navFont: css('.section-nav a', 'fontFamily'),
    lineHeight: parseFloat(css('.section-nav a', 'lineHeight'))
      / parseFloat(css('.section-nav a', 'fontSize')),
  };
}
"""


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _shot(page, name: str, width: int) -> None:
    if name not in DOCUMENTED:
        screenshot(page, f"urdu-{name}-{width}")
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"urdu-{name}-{width}.png"), full_page=True)


def _check_frame(layout: dict, *, rtl: bool, width: int) -> None:
    assert layout["dir"] == ("rtl" if rtl else "ltr")
    assert layout["lang"] == ("ur" if rtl else "en")
    assert layout["direction"] == ("rtl" if rtl else "ltr")
    right_to_left_sheets = [s for s in layout["sheets"] if ".rtl.css" in s]
    assert bool(right_to_left_sheets) == rtl, layout["sheets"]
    # Nothing runs off the side of the window.
    assert layout["scrollWidth"] <= layout["innerWidth"], layout["wide"]
    assert layout["wide"] == []
    # The masthead mirrors: the date opens the line on the reading side, the account's
    # links close it; the sections lead the section bar and the search box ends it.
    date, account, nav, search = (layout[k] for k in ("date", "account", "nav", "search"))
    if width >= 1000:
        if rtl:
            assert account["right"] < date["left"] and search["right"] < nav["left"]
        else:
            assert account["left"] > date["right"] and search["left"] > nav["right"]
    else:
        # Stacked on a phone: each starts at the reading side.
        start = (lambda b: width - b["right"]) if rtl else (lambda b: b["left"])
        assert start(date) < 40 and start(nav) < 40


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_the_urdu_interface_reads_right_to_left(new_page, live_server, newsroom, name, width):
    page = _open(new_page, live_server, width=width, language="ur", user=newsroom.persona(name))
    _go(page, newsroom.url(name))
    _shot(page, name, width)
    layout = page.evaluate(LAYOUT_JS)
    _check_frame(layout, rtl=True, width=width)
    # The interface's own words are set in the Urdu faces, with room for Nastaliq.
    assert "Noto Nastaliq Urdu Web" in layout["navFont"]
    assert "Noto Naskh Arabic Web" in layout["buttonFont"]
    assert layout["lineHeight"] >= 1.9
    if name == "article":
        story = newsroom.story
        # A reply is indented from the right.
        top = page.locator(f"#c{story.urdu.pk}").bounding_box()
        reply = page.locator(f"#c{story.english.pk}").bounding_box()
        assert reply["x"] + reply["width"] < top["x"] + top["width"] - 5
        assert abs(reply["x"] - top["x"]) < 1
    if name == "queue" and width >= 1000:
        # The author's record stands on the left of the comment, its border between them.
        item = f"#q{newsroom.story.held.pk}"
        body = page.locator(f"{item} .queue-body").bounding_box()
        record = page.locator(f"{item} .author-record").bounding_box()
        assert record["x"] + record["width"] <= body["x"]
    if name == "desk" and width >= 1000:
        first = page.locator(".desk-table th").first.bounding_box()
        last = page.locator(".desk-table th").last.bounding_box()
        assert first["x"] > last["x"]
    if name == "desk-edit":
        # "← Desk" points back, to the right; the form and its side column trade places.
        arrow = page.locator(".desk-crumbs .flip-rtl")
        assert "matrix(-1" in arrow.evaluate("(e) => getComputedStyle(e).transform")
        if width >= 1000:
            form = page.locator(".desk-form").bounding_box()
            side = page.locator(".desk-side").bounding_box()
            assert side["x"] + side["width"] <= form["x"]
    assert _serious(page) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_the_english_interface_stays_left_to_right(new_page, live_server, newsroom, name, width):
    page = _open(new_page, live_server, width=width, language="en", user=newsroom.persona(name))
    _go(page, newsroom.url(name))
    layout = page.evaluate(LAYOUT_JS)
    _check_frame(layout, rtl=False, width=width)
    assert "Nastaliq" not in layout["navFont"].split(",")[0]
    if name == "article":
        story = newsroom.story
        top = page.locator(f"#c{story.urdu.pk}").bounding_box()
        reply = page.locator(f"#c{story.english.pk}").bounding_box()
        assert reply["x"] > top["x"] + 5
    assert _serious(page) == []
