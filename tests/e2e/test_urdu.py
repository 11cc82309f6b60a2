"""Urdu as a reader sees it (issue 15): the Urdu report at 390 and 1280 pixels set in
the site's own Nastaliq, lines that never collide, a mixed thread where each comment
runs in its own direction, and numbers that keep their order inside Urdu, in the
thread and in the moderation queue.

Screenshots go to test-artifacts/urdu/ and test-artifacts/; the two of the article
(test-artifacts/urdu/urdu-article-{390,1280}.png) are the ones copied to docs/ after
being looked at."""

from __future__ import annotations

import itertools

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import ARTIFACTS, screenshot, sign_in
from tests.factories import SectionFactory, UserFactory
from tests.urdu_content import publish_urdu_story

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "urdu"

# Every line of text inside the elements, in page order: the text nodes' boxes
# (Range.getClientRects, one per line fragment), grouped into lines (a box whose
# middle lies inside a line's extent is on that line).
LINES_JS = """
(selectors) => {
  const lines = [];
  for (const selector of selectors) {
    for (const element of document.querySelectorAll(selector)) {
      const boxes = [];
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) {
          if (r.width > 0.5 && r.height > 0.5) {
            boxes.push({top: r.top + scrollY, bottom: r.bottom + scrollY,
                        left: r.left, right: r.right});
          }
        }
      }
      boxes.sort((a, b) => a.top - b.top);
      const mine = [];
      for (const box of boxes) {
        const middle = (box.top + box.bottom) / 2;
        const line = mine.find((l) => middle >= l.top && middle <= l.bottom);
        if (line) {
          line.top = Math.min(line.top, box.top);
          line.bottom = Math.max(line.bottom, box.bottom);
          line.left = Math.min(line.left, box.left);
          line.right = Math.max(line.right, box.right);
        } else {
          mine.push({...box, selector,
                     fontSize: parseFloat(getComputedStyle(element).fontSize)});
        }
      }
      lines.push(...mine);
    }
  }
  return lines.sort((a, b) => a.top - b.top);
}
"""

# Where the first and the second part of a number stand on screen, in the element.
ORDER_JS = """
([selector, first, second]) => {
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const text = node.textContent;
      const a = text.indexOf(first), b = text.indexOf(second);
      if (a < 0 || b < 0) continue;
      const at = (start, length) => {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + length);
        return range.getBoundingClientRect().left;
      };
      return [at(a, first.length), at(b, second.length)];
    }
  }
  return null;
}
"""

ARTICLE_TEXT = [
    ".story .kicker",
    ".story-title",
    ".story .standfirst",
    ".story .meta",
    ".story-body > *",
]


def overlapping(lines: list[dict]) -> list[tuple[dict, dict]]:
    """Consecutive lines whose boxes intersect (half a pixel of rounding allowed)."""
    return [
        (upper, lower)
        for upper, lower in itertools.pairwise(lines)
        if upper["bottom"] > lower["top"] + 0.5
        and upper["left"] < lower["right"]
        and lower["left"] < upper["right"]
    ]


@pytest.fixture
def story(editor):
    urdu_reader = UserFactory(email="sana.khan@example.com", display_name="ثنا خان")
    reader = UserFactory(email="bilal@example.com", display_name="Bilal Ahmed")
    section = SectionFactory(name="Opinion", slug="opinion")
    return publish_urdu_story(
        editor=editor, section=section, urdu_reader=urdu_reader, reader=reader
    )


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_urdu_article_is_set_in_nastaliq_and_no_two_lines_collide(new_page, story, width):
    # Read as an Urdu reader reads it: a browser set to Urdu, so the interface
    # around the piece is Urdu too (the screenshots in docs/ show this page).
    page = new_page(width=width, locale="ur")
    _open(page, story.article.get_absolute_url())
    assert page.evaluate("document.documentElement.lang") == "ur"

    # The site's own Nastaliq is loaded and the page reads right to left.
    assert page.evaluate("document.fonts.check('20px \"Noto Nastaliq Urdu Web\"', 'کام')")
    assert page.evaluate("getComputedStyle(document.querySelector('.story')).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('.story-body')).direction") == (
        "rtl"
    )
    assert page.locator(".story-title").get_attribute("lang") == "ur"

    lines = page.evaluate(LINES_JS, ARTICLE_TEXT)
    headline = [line for line in lines if line["selector"] == ".story-title"]
    body = [line for line in lines if line["selector"] == ".story-body > *"]
    assert len(headline) >= 2 and len(body) >= 10
    # The boxes are Nastaliq's (2.5 em from its ascent to its descent), not a Latin
    # font's: otherwise the check below would prove nothing.
    assert all(line["bottom"] - line["top"] >= 2.4 * line["fontSize"] for line in headline)
    assert overlapping(lines) == []

    # The helpline's number reads 0800 first (left), then 12345, inside the Urdu.
    left, right = page.evaluate(ORDER_JS, [".story-body", "0800", "12345"])
    assert left < right

    # The page from the masthead to the end of the piece (Nastaliq overhangs its
    # box a little at line ends: the margins stay in the picture).
    SHOTS.mkdir(parents=True, exist_ok=True)
    story = page.locator(".story").bounding_box()
    assert story is not None
    height = story["y"] + story["height"] + 24
    page.screenshot(
        path=str(SHOTS / f"urdu-article-{width}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
    )
    screenshot(page, f"urdu-article-page-{width}")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_mixed_thread_sets_each_comment_in_its_own_direction(new_page, story, width):
    page = new_page(width=width)
    _open(page, story.article.get_absolute_url())

    def direction(comment) -> str:
        return page.evaluate(
            "(id) => getComputedStyle(document.querySelector(`#c${id} .comment-body`)).direction",
            comment.pk,
        )

    assert direction(story.urdu) == "rtl"
    # English that opens with an Urdu word runs left to right, its full stop at the end.
    assert direction(story.english) == "ltr"
    assert direction(story.roman) == "ltr"
    assert direction(story.with_number) == "rtl"
    # "0800-12345" inside Urdu still reads 0800 first (left), then 12345.
    left, right = page.evaluate(
        ORDER_JS, [f"#c{story.with_number.pk} .comment-body", "0800", "12345"]
    )
    assert left < right
    # Urdu comment lines do not collide either.
    lines = page.evaluate(LINES_JS, [f"#c{story.urdu.pk} .comment-body"])
    assert len(lines) >= 2
    assert overlapping(lines) == []

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".thread").screenshot(path=str(SHOTS / f"urdu-thread-{width}.png"))


def test_the_queue_keeps_a_phone_numbers_order_inside_urdu(new_page, story, moderator):
    page = new_page(width=1280)
    sign_in(page, moderator.email)
    _open(page, "/moderation/")
    item = f"#q{story.held.pk}"
    assert page.locator(f"{item} .queue-body").get_attribute("lang") == "ur"
    # The highlight and the text agree: 0333 stands left of 1234567 in both.
    left, right = page.evaluate(ORDER_JS, [f"{item} .queue-body", "0333", "1234567"])
    assert left < right
    left, right = page.evaluate(ORDER_JS, [f"{item} .hold-reasons", "0333", "1234567"])
    assert left < right
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(item).screenshot(path=str(SHOTS / "urdu-queue-1280.png"))


def test_the_urdu_article_has_no_serious_accessibility_problem(new_page, story):
    page = new_page(width=1280)
    _open(page, story.article.get_absolute_url())
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []


def test_my_comments_underlines_urdu_below_its_dots(new_page, story):
    # The defect: the underline of an Urdu link ran through the dots below its
    # letters ("ہ" read as "پ"). Urdu links are underlined below the descent.
    page = new_page(width=390)
    sign_in(page, "sana.khan@example.com")
    _open(page, "/accounts/me/comments/")
    link = page.locator(".my-comment .meta a[lang='ur']").first
    assert link.get_attribute("dir") == "rtl"
    style = link.evaluate(
        "(a) => [getComputedStyle(a).textUnderlinePosition, getComputedStyle(a).fontFamily]"
    )
    assert style[0] == "under"
    assert "Noto Nastaliq Urdu Web" in style[1]
    body = page.locator(".my-comment .comment-body[lang='ur']").first
    assert body.evaluate("(b) => getComputedStyle(b).direction") == "rtl"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".my-comments").screenshot(path=str(SHOTS / "urdu-my-comments-390.png"))
