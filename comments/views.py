from __future__ import annotations

from datetime import timedelta

from allauth.account.internal.flows.email_verification import (
    send_verification_email_for_user,
)
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from accounts import services as account_services
from articles.models import Article
from comments import render as thread_render
from comments import selectors, services
from comments.cache import rendering_get, rendering_set, thread_version
from comments.forms import CommentForm, EditForm, ReportForm
from comments.models import Comment, CommentStatus
from metoo_site.ratelimit import client_ip, ratelimit
from moderation import services as moderation
from moderation.models import ReportReason

SORT_COOKIE = "comment_sort"
ACTIONS = frozenset({"reply", "edit", "delete", "report"})
TEMPLATE = "comments/article_detail.html"


def _visible_article(request: HttpRequest, slug: str) -> Article:
    """The access rule for an article page: published ones for everyone, drafts and
    scheduled pieces only for editors (everyone else gets 404, not 403)."""
    article = get_object_or_404(Article.objects.select_related("section", "author"), slug=slug)
    if article.is_visible() or (request.user.is_authenticated and request.user.is_editor):
        return article
    raise Http404("No such article")


def _comment_on_visible_article(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("article", "author", "root"), pk=pk)
    _visible_article(request, comment.article.slug)
    return comment


def _remembered_sort(request: HttpRequest) -> str:
    """The order asked for in the URL, else the one the reader chose last time:
    kept on the account when signed in, in a cookie otherwise."""
    asked = request.GET.get("sort")
    if asked in selectors.Sort.VALUES:
        return asked
    if request.user.is_authenticated:
        return request.user.comment_sort
    cookie = request.COOKIES.get(SORT_COOKIE)
    return cookie if cookie in selectors.Sort.VALUES else selectors.Sort.OLDEST


def _remember_sort(request: HttpRequest, response: HttpResponse, sort: str) -> None:
    if request.GET.get("sort") != sort:
        return
    if request.user.is_authenticated:
        account_services.comment_sort_remember(user=request.user, sort=sort)
    elif request.COOKIES.get(SORT_COOKIE) != sort:
        response.set_cookie(
            SORT_COOKIE, sort, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )


def _int_or_none(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def _thread_context(request: HttpRequest, article: Article, **extra) -> dict:
    now = timezone.now()
    return {
        "article": article,
        "comments_open": article.comments_open(now),
        "edit_cutoff": now - timedelta(minutes=settings.COMMENT_EDIT_WINDOW_MINUTES),
        "comment_max": settings.COMMENT_MAX_LENGTH,
        "report_reasons": ReportReason.choices,
        "sorts": selectors.Sort.CHOICES,
        **extra,
    }


THREAD_SLOT = "<!--thread-html-->"
CSRF_SENTINEL_BYTES = thread_render.CSRF_SENTINEL.encode()
# Rendered thread HTML lives this long at most; a change makes it unreachable at
# once anyway (comments/cache.py), so this only bounds the cache's size over time.
THREAD_CACHE_TIMEOUT = 24 * 3600


def _thread_html(
    request: HttpRequest,
    article: Article,
    *,
    sort: str,
    cursor: str | None,
    whole: bool,
    open_kind: str = "",
    open_id: int | None = None,
) -> tuple[bytes, bool]:
    """The <li>s of the thread list, as UTF-8, and whether it holds any comment.

    Readers whose view is nobody else's (they wrote or recommended something in
    this article) and pages with a form opened in place are rendered for them
    alone. Everyone else shares one rendering per thread version, page and kind
    of reader, with the CSRF input put in on the way out. The shared rendering is
    kept encoded: a whole thread is over a megabyte, and encoding it (and unpickling
    it as text) on every request was most of a cached page's time."""
    now = timezone.now()
    user = request.user
    signed_in = user.is_authenticated
    comments_open = article.comments_open(now)
    page_path = article.get_absolute_url()
    if cursor is not None:
        decoded = selectors.decode_cursor(cursor)
        cursor = f"{decoded[0]}.{decoded[1]}" if decoded else None

    def read(reader):
        if whole:
            return selectors.thread_all(article_id=article.pk, user=reader)
        return selectors.thread_page(article_id=article.pk, user=reader, sort=sort, cursor=cursor)

    personal = selectors.viewer_has_personal_state(article_id=article.pk, user=user)
    if personal or (open_kind and open_id):
        page = read(user)
        viewer = thread_render.Viewer(
            signed_in=signed_in,
            user_id=user.pk if signed_in else None,
            comments_open=comments_open,
            edit_cutoff=now - timedelta(minutes=settings.COMMENT_EDIT_WINDOW_MINUTES),
            csrf_input=str(csrf_input(request)) if signed_in else "",
        )
        forms = {}
        if open_kind and any(item.comment.pk == open_id for item in page.items):
            comment = Comment.objects.select_related("author").get(pk=open_id)
            context = _thread_context(
                request, article, c=comment, open_kind=open_kind, open_id=open_id
            )
            forms[open_id] = render_to_string(f"{TEMPLATE}#action-form", context, request)
        html = thread_render.thread_page(page, viewer, page_path=page_path, forms=forms)
        return html.encode(), bool(page.items)

    def shared() -> tuple[bytes, bool]:
        """The rendering every stranger to this thread gets, CSRF input left out."""
        page = read(None)
        viewer = thread_render.Viewer(
            signed_in=signed_in, user_id=None, comments_open=comments_open
        )
        html = thread_render.thread_page(page, viewer, page_path=page_path)
        return html.encode(), bool(page.items)

    if settings.THREAD_CACHE:
        version = thread_version(article.pk)
        key = ":".join(
            str(part)
            for part in (
                "thread-html-utf8",  # renamed when entries became bytes
                article.pk,
                version,
                "all" if whole else sort,
                cursor or "",
                "reader" if signed_in else "anon",
                int(comments_open),
            )
        )
        cached = rendering_get(key)
        if cached is None:
            cached = shared()
            rendering_set(key, cached, THREAD_CACHE_TIMEOUT)
    else:
        cached = shared()
    html, has_items = cached
    if signed_in:
        html = html.replace(CSRF_SENTINEL_BYTES, str(csrf_input(request)).encode())
    return html, has_items


def _article_page(request: HttpRequest, article: Article, *, whole: bool) -> HttpResponse:
    sort = selectors.Sort.OLDEST if whole else _remembered_sort(request)
    after = None if whole else request.GET.get("after")
    open_kind = request.GET.get("open")
    open_kind = open_kind if open_kind in ACTIONS else ""
    open_id = _int_or_none(request.GET.get("on"))
    thread_html, has_items = _thread_html(
        request,
        article,
        sort=sort,
        cursor=after,
        whole=whole,
        open_kind=open_kind,
        open_id=open_id,
    )
    if not whole and request.htmx and request.GET.get("fragment") == "thread-page":
        return HttpResponse(thread_html)
    context = _thread_context(
        request,
        article,
        thread_html=mark_safe(THREAD_SLOT),  # noqa: S308 - a constant
        current_sort=sort,
        whole=whole,
        after=after if has_items and after else "",
    )
    context["form"] = CommentForm()
    context["user_verified"] = (
        request.user.is_authenticated
        and EmailAddress.objects.filter(user=request.user, verified=True).exists()
    )
    response = render(request, TEMPLATE, context)
    # Spliced in once here, not passed through the template: every nested node
    # list would copy a thread that can be a megabyte long.
    response.content = response.content.replace(THREAD_SLOT.encode(), thread_html, 1)
    if not whole:
        _remember_sort(request, response, sort)
    return response


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _article_page(request, _visible_article(request, slug), whole=False)


def article_all(request: HttpRequest, slug: str) -> HttpResponse:
    """Every comment of the article on one page, in thread order: for readers who
    want to read it all at once (and like the pages other comment systems serve)."""
    return _article_page(request, _visible_article(request, slug), whole=True)


def _back_to(article: Article, parent: Comment | None) -> str:
    if parent is not None:
        return f"{reverse('comments:permalink', args=[parent.pk])}?open=reply"
    return f"{article.get_absolute_url()}#respond"


@require_POST
@login_required
@ratelimit("comment")
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    article = _visible_article(request, slug)
    form = CommentForm(request.POST)
    parent = None
    if form.is_valid() and form.cleaned_data["parent"]:
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
        if parent is None:
            messages.error(request, "The comment you replied to does not exist.")
            return redirect(_back_to(article, None))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back_to(article, None))
    try:
        comment = services.comment_post(
            author=request.user,
            article=article,
            body=form.cleaned_data["body"],
            parent=parent,
            # The client's address behind the proxy, as the rate limits see it.
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            now=timezone.now(),
        )
    except services.VerificationRequired as exc:
        # Nothing was stored; the link goes to the account's own address only
        # (allauth rate-limits resends), so this form cannot mail strangers.
        send_verification_email_for_user(request, request.user)
        messages.warning(request, str(exc))
        return redirect(_back_to(article, parent))
    except services.CommentError as exc:
        messages.error(request, str(exc))
        visible_parent = parent if parent and parent.article_id == article.pk else None
        return redirect(_back_to(article, visible_parent))
    _tell_outcome(
        request,
        comment,
        published="Your comment is published.",
        pending="Thanks. Your comment will appear once a moderator has reviewed it.",
        rejected="Your comment was not published: it breaks our guidelines.",
    )
    return redirect(comment.get_absolute_url())


def _tell_outcome(
    request: HttpRequest, comment: Comment, *, published: str, pending: str, rejected: str
) -> None:
    """Say what screening made of a post or an edit, by the status it left."""
    if comment.status == CommentStatus.PUBLISHED:
        messages.success(request, published)
    elif comment.status == CommentStatus.PENDING:
        messages.info(request, pending)
    else:
        messages.error(request, rejected)


@require_GET
def comment_action_form(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The reply, edit, delete or report form of one comment, opened in place by
    htmx. Without htmx the same form is part of the article page."""
    if kind not in ACTIONS:
        raise Http404("No such action")
    comment = _comment_on_visible_article(request, pk)
    if not request.htmx:
        return redirect(f"{reverse('comments:permalink', args=[pk])}?open={kind}")
    context = _thread_context(
        request, comment.article, c=comment, open_kind=kind, open_id=comment.pk, htmx=True
    )
    return render(request, f"{TEMPLATE}#action-form", context)


@require_POST
@login_required
@ratelimit("comment")
def comment_update(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_on_visible_article(request, pk)
    form = EditForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("body", []):
            messages.error(request, error)
        return redirect(f"{reverse('comments:permalink', args=[pk])}?open=edit")
    try:
        comment = services.comment_edit(
            comment=comment, by=request.user, body=form.cleaned_data["body"], now=timezone.now()
        )
    except (services.CommentError, PermissionDenied) as exc:
        messages.error(request, str(exc))
        return redirect(comment.get_absolute_url())
    _tell_outcome(
        request,
        comment,
        published="Your changes are saved.",
        pending="Your changes are saved and wait for a moderator's review.",
        rejected="Your edited comment breaks our guidelines and was not published.",
    )
    return redirect(comment.get_absolute_url())


@require_POST
@login_required
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_on_visible_article(request, pk)
    try:
        moderation.comment_delete_by_author(comment=comment, by=request.user, now=timezone.now())
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(comment.get_absolute_url())
    messages.success(request, "Your comment is deleted.")
    if comment.parent_id:
        return redirect(reverse("comments:permalink", args=[comment.parent_id]))
    return redirect(f"{comment.article.get_absolute_url()}#comments")


@require_POST
@login_required
@ratelimit("recommend")
def comment_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_on_visible_article(request, pk)
    error = ""
    recommended = False
    try:
        recommended = services.recommendation_toggle(
            comment=comment, by=request.user, now=timezone.now()
        )
    except services.CommentError as exc:
        error = str(exc)
    if request.htmx:
        return HttpResponse(
            thread_render.recommend_form(
                comment_id=comment.pk,
                count=comment.recommend_count,
                recommended=recommended,
                csrf_input=str(csrf_input(request)),
                error=error,
            )
        )
    if error:
        messages.error(request, error)
    return redirect(comment.get_absolute_url())


@require_POST
@login_required
@ratelimit("report")
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_on_visible_article(request, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{reverse('comments:permalink', args=[pk])}?open=report")
    try:
        moderation.report_file(
            comment=comment,
            by=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            now=timezone.now(),
        )
    except moderation.ModerationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Thank you. We received your report and a moderator will look at it."
        )
    return redirect(comment.get_absolute_url())


def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the article at this comment, on whichever page its thread is, in the
    reader's own comment order."""
    comment = get_object_or_404(Comment.objects.select_related("article", "root"), pk=pk)
    article = _visible_article(request, comment.article.slug)
    root = comment.root or comment
    sort = _remembered_sort(request)
    query = {"sort": sort}
    earlier = selectors.threads_before(
        article_id=article.pk, user=request.user, sort=sort, root=root
    )
    if earlier >= settings.COMMENTS_PAGE_SIZE:
        # A cursor that sorts just before the root, so the page starts with its thread.
        key = selectors.encode_cursor(root, sort).split(".")[0]
        before = root.pk - 1 if sort == selectors.Sort.OLDEST else root.pk + 1
        query["after"] = f"{key}.{before}"
    kind = request.GET.get("open")
    if kind in ACTIONS:
        query.update({"open": kind, "on": comment.pk})
    url = reverse("article", kwargs={"slug": article.slug})
    return redirect(f"{url}?{urlencode(query)}#c{comment.pk}")
