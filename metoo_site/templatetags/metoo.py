"""Template helpers used on every page (registered as builtins in settings)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles import selectors as article_selectors
from articles.models import Article
from core import dates, languages, script, stylesheets

register = template.Library()


@register.filter
def newsdate(value: datetime | None) -> str:
    """The newspaper's timestamp: "Nov 13, 2018 09:47am" in the site's time zone."""
    return dates.newsdate(value)


@register.filter
def newsday(value: datetime | None) -> str:
    """A date alone, as in "Updated 13 Nov, 2018"."""
    return dates.newsday(value)


@register.filter
def lang_attrs(language: str | None) -> SafeString:
    """` lang="ur" dir="rtl"` for an element holding a text of that language
    (core.languages): `{{ article.title_lang|lang_attrs }}`."""
    return mark_safe(languages.lang_attrs(language or ""))  # noqa: S308 - fixed values


@register.filter
def text_dir(language: str | None) -> str:
    """The direction ("rtl", "ltr" or "auto") of a text of that language."""
    return script.direction_of(language or "")


@register.filter
def search_snippet(article: Article) -> str:
    """A search result's snippet as the article has it, markers still in:
    `{{ article|search_snippet|highlight }}` (articles.selectors.search_snippet)."""
    return article_selectors.search_snippet(article)


@register.filter
def isolated(text: str | None) -> SafeString:
    """Plain text escaped, its numbers and @names isolated (core.script.isolate), so
    their order survives in right-to-left text: `{{ article.standfirst|isolated }}`."""
    return mark_safe(script.isolate(str(escape(text or ""))))  # noqa: S308 - escaped first


@register.inclusion_tag("components/language_switch.html", takes_context=True)
def language_switch(context: template.Context) -> dict[str, object]:
    """The header's switch to the other interface language (accounts.views.set_language):
    one button naming that language in itself, back to this page after."""
    request = context.get("request")
    current = translation.get_language() or settings.LANGUAGE_CODE
    other = next(code for code, _name in settings.LANGUAGES if code != current[:2])
    info = translation.get_language_info(other)
    return {
        "code": other,
        "name": info["name_local"],
        "dir": "rtl" if info["bidi"] else "ltr",
        "next": request.get_full_path() if request is not None else "/",
    }


@register.simple_tag
def stylesheets_links() -> SafeString:
    """The <link>s of every page's stylesheets: the bundle `make css` builds
    (settings.CSS_BUNDLED) or its sources, in order, right to left when the active
    language is (core/stylesheets.py; base.html's `dir` asks the same question)."""
    paths = stylesheets.links(bundled=settings.CSS_BUNDLED, rtl=translation.get_language_bidi())
    return mark_safe(  # noqa: S308 - static() of fixed paths, escaped
        "\n  ".join(f'<link rel="stylesheet" href="{escape(static(p))}">' for p in paths)
    )


@register.simple_tag
def timestamp(value: datetime | None) -> SafeString:
    """A <time> element carrying the machine-readable instant."""
    return mark_safe(dates.time_element(value))  # noqa: S308 - digits and month names


@register.filter
def highlight(snippet: str | None) -> SafeString:
    """Escape a search snippet, then mark the matches (see articles.selectors)."""
    text = escape(snippet or "")
    return mark_safe(text.replace("\u27e6", "<mark>").replace("\u27e7", "</mark>"))  # noqa: S308
