"""The editor desk: list, write, preview, publish, schedule and unpublish articles.

Editors only: anonymous visitors are sent to sign in, everyone else gets 403. Every
change goes through articles.services, which checks the permission again and logs it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from articles import selectors, services
from articles.forms import ArticleForm, PreviewForm, ScheduleForm
from articles.models import Article, Section
from core.dates import newsdate

if TYPE_CHECKING:
    # The project's user model (AUTH_USER_MODEL), as django-stubs resolves it: articles
    # imports no other app, so not accounts.models. Only in annotations; not at runtime.
    from django.contrib.auth.models import _User as User

DESK_PAGE_SIZE = 25


class EditorRequest(HttpRequest):
    """The request of a desk view: `editor_required` lets only a signed-in editor in, so
    its `user` is an account, never AnonymousUser. (accounts.http has the same type for
    other apps; articles imports no other app.)"""

    user: User


def editor_required[**P](
    view: Callable[Concatenate[EditorRequest, P], HttpResponse],
) -> Callable[Concatenate[EditorRequest, P], HttpResponse]:
    """Sign-in first (anonymous: the login page), then the publish permission (403).
    Whatever it answers is marked no-store (never_cache): drafts, embargoed pieces and
    the desk's lists must not stay in a browser's history or a proxy."""

    @wraps(view)
    @never_cache
    @login_required
    @permission_required("articles.publish_article", raise_exception=True)
    def wrapped(request: EditorRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapped


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@editor_required
@require_safe
def article_list(request: EditorRequest) -> HttpResponse:
    view = request.GET.get("view", selectors.DeskView.DRAFTS)
    if view not in dict(selectors.DeskView.CHOICES):
        view = selectors.DeskView.DRAFTS
    query = selectors.clean_query(request.GET.get("q", ""))
    section_id = _int_or_none(request.GET.get("section"))
    author_id = _int_or_none(request.GET.get("author"))
    now = timezone.now()
    articles = selectors.desk_article_list(
        view=view, query=query, section_id=section_id, author_id=author_id, now=now
    )
    page = Paginator(articles, DESK_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.desk_counts(now=now)
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "desk/list.html",
        {
            "page": page,
            "view": view,
            "tabs": [(value, label, counts[value]) for value, label in selectors.DeskView.CHOICES],
            "query": query,
            "section_id": section_id,
            "author_id": author_id,
            "sections": Section.objects.order_by("position", "name"),
            "authors": selectors.desk_authors(),
            "extra": "&" + keep.urlencode() if keep else "",
            "now": now,
        },
    )


def _form_changes(form: ArticleForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    if not data.get("slug"):
        data.pop("slug", None)
    return data


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def article_new(request: EditorRequest) -> HttpResponse:
    preview = None
    if request.method == "POST" and request.POST.get("action") == "preview":
        # Preview only: show the form again as typed, without judging it yet.
        form = ArticleForm(initial=request.POST.dict())
        preview = services.render_markdown(request.POST.get("body", ""))
    elif request.method == "POST":
        form = ArticleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                article = services.article_create(
                    by=request.user,
                    title=data["title"],
                    section=data["section"],
                    body=data["body"],
                    standfirst=data["standfirst"],
                    byline=data["byline"],
                    slug=data["slug"],
                    comments_mode=data["comments_mode"] or None,
                    comments_close_after_days=data["comments_close_after_days"],
                    now=timezone.now(),
                )
            except services.ArticleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Draft saved."))
                return redirect("desk:edit", pk=article.pk)
    else:
        form = ArticleForm()
    return render(request, "desk/edit.html", {"form": form, "article": None, "preview": preview})


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def article_edit(request: EditorRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("section", "author"), pk=pk)
    preview = None
    if request.method == "POST" and request.POST.get("action") == "preview":
        # As typed, over what is stored: a field the form does not send (the slug
        # of a published piece is disabled) keeps its value instead of going blank.
        typed = ArticleForm.initial_for(article) | request.POST.dict()
        if article.slug_frozen:
            typed["slug"] = article.slug
        form = ArticleForm(initial=typed, article=article)
        preview = services.render_markdown(request.POST.get("body", ""))
    elif request.method == "POST":
        form = ArticleForm(request.POST, article=article)
        if form.is_valid():
            try:
                services.article_update(
                    article=article,
                    by=request.user,
                    changes=_form_changes(form),
                    now=timezone.now(),
                )
            except services.ArticleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Changes saved."))
                return redirect("desk:edit", pk=article.pk)
    else:
        form = ArticleForm(initial=ArticleForm.initial_for(article), article=article)
        preview = article.body_html
    return render(
        request,
        "desk/edit.html",
        {
            "form": form,
            "article": article,
            "preview": preview,
            "schedule_form": ScheduleForm(
                initial={"publish_at": timezone.localtime(article.published_at)}
                if article.is_scheduled()
                else None
            ),
            "events": selectors.article_events(article=article)[:100],
            "people": selectors.article_people(article=article),
            "is_live": article.is_visible(),
            "is_scheduled": article.is_scheduled(),
        },
    )


@editor_required
@require_POST
def preview(request: EditorRequest) -> HttpResponse:
    """The sanitised body as readers would see it: htmx swaps it in as you type."""
    form = PreviewForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    return render(request, "desk/edit.html#preview", {"preview": services.render_markdown(body)})


@editor_required
@require_POST
def publish(request: EditorRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    try:
        article = services.article_publish(article=article, by=request.user, now=timezone.now())
    except services.ArticleError as exc:
        messages.error(request, str(exc))
    else:
        url = reverse("article", kwargs={"slug": article.slug})
        messages.success(request, _("Published. It is live at %(url)s") % {"url": url})
    return redirect("desk:edit", pk=pk)


@editor_required
@require_POST
def schedule(request: EditorRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        # An ErrorList yields each message as text; django-stubs types its items as
        # ValidationError | str, so str() states what they are (and changes nothing).
        for error in form.errors.get("publish_at", []):
            messages.error(request, str(error))
        return redirect("desk:edit", pk=pk)
    try:
        article = services.article_publish(
            article=article, by=request.user, at=form.cleaned_data["publish_at"], now=timezone.now()
        )
    except services.ArticleError as exc:
        messages.error(request, str(exc))
    else:
        when = newsdate(article.published_at)
        messages.success(
            request, _("Scheduled: it appears by itself at %(when)s.") % {"when": when}
        )
    return redirect("desk:edit", pk=pk)


@editor_required
@require_POST
def unpublish(request: EditorRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    try:
        services.article_unpublish(article=article, by=request.user, now=timezone.now())
    except services.ArticleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Unpublished: readers no longer see it."))
    return redirect("desk:edit", pk=pk)
