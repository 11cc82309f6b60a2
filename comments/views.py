"""The article page with its comments, and what readers do there: post, reply,
edit, delete, recommend, report. Each view loads (through an access helper),
authorises, makes one service call and responds; the thread's HTML comes from
comments.threadcache."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.email_verification import (
    send_verification_email_for_user,
)
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from accounts import services as account_services
from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from accounts.models import User
from articles.models import Article
from comments import access, selectors, services, threadcache
from comments import render as thread_render
from comments.forms import CommentForm, EditForm, ReportForm
from comments.models import Comment, CommentStatus
from core import compression
from core.ratelimit import client_ip, ratelimit
from moderation.models import ReportReason

SORT_COOKIE = "comment_sort"
ACTIONS = frozenset({access.Act.REPLY, access.Act.EDIT, access.Act.DELETE, access.Act.REPORT})
TEMPLATE = "comments/article_detail.html"


def _visible_article(request: HtmxHttpRequest, slug: str) -> Article:
    """The access rule for an article page: published ones for everyone, drafts and
    scheduled pieces only for editors (everyone else gets 404, not 403)."""
    # Not the Markdown source nor the search index: the page shows neither, and on a
    # long piece they are most of the row.
    articles = Article.objects.select_related("section").defer("body", "search_vector")
    article = get_object_or_404(articles, slug=slug)
    if article.is_visible() or (request.user.is_authenticated and request.user.is_editor):
        return article
    raise Http404("No such article")


def _comment_on_visible_article(request: HtmxHttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("article", "author", "root"), pk=pk)
    _visible_article(request, comment.article.slug)
    return comment


def _reader_may_read(request: HtmxHttpRequest, comment: Comment) -> bool:
    """comments.access.may_read for this request's reader: an action form names the
    comment's author, so it is shown only for a comment the reader may read."""
    return access.may_read(comment.status, comment.author_id, access.viewer_id(_reader(request)))


def _remembered_sort(request: HtmxHttpRequest, *, stranger: bool = False) -> str:
    """The order asked for in the URL, else the one the reader chose last time:
    kept on the account when signed in, in a cookie otherwise. `stranger`: the
    request has no session (threadcache.is_stranger), so nobody is signed in and
    the session need not be looked at."""
    asked = request.GET.get("sort")
    if asked in selectors.Sort.VALUES:
        return asked
    if not stranger and request.user.is_authenticated:
        return request.user.comment_sort
    cookie = request.COOKIES.get(SORT_COOKIE)
    return cookie if cookie in selectors.Sort.VALUES else selectors.Sort.OLDEST


def _remember_sort(
    request: HtmxHttpRequest, response: HttpResponse, sort: str, *, stranger: bool = False
) -> None:
    if request.GET.get("sort") != sort:
        return
    if not stranger and request.user.is_authenticated:
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


def _reader(request: HtmxHttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _thread_context(request: HtmxHttpRequest, article: Article, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "article": article,
        "comments_open": article.comments_open(now),
        "comment_max": settings.COMMENT_MAX_LENGTH,
        "report_reasons": ReportReason.choices,
        "sorts": selectors.Sort.CHOICES,
        **extra,
    }


def _action_form(
    request: HtmxHttpRequest, comment: Comment, kind: str, *, htmx: bool = False
) -> str:
    """The reply, edit, delete or report form of one comment, or why the reader
    may not (comments.access.refusal), as the template's `action-form` partial."""
    refused = access.refusal_for(
        access.Act(kind), user=_reader(request), comment=comment, now=timezone.now()
    )
    context = _thread_context(
        request,
        comment.article,
        c=comment,
        open_kind=kind,
        open_id=comment.pk,
        refused=refused or "",
        htmx=htmx,
    )
    return render_to_string(f"{TEMPLATE}#action-form", context, request)


THREAD_SLOT = "<!--thread-html-->"
# The query parameters of an article address a stranger's page may be kept for
# (threadcache.shared_page_body): the thread's order and page, and htmx's "show
# more" fragment. Any other (a tracking tag, a form opened in place) is answered
# all the same, without keeping a copy per address.
SHARED_PARAMS = frozenset({"sort", "after", "fragment"})


def _article_page(request: HtmxHttpRequest, article: Article, *, whole: bool) -> HttpResponse:
    open_kind = request.GET.get("open")
    open_kind = open_kind if open_kind in ACTIONS else ""
    if threadcache.is_stranger(request.COOKIES) and not open_kind and article.is_visible():
        return _stranger_page(request, article, whole=whole)
    sort = selectors.Sort.OLDEST if whole else _remembered_sort(request)
    after = None if whole else request.GET.get("after")
    open_id = _int_or_none(request.GET.get("on"))
    thread = threadcache.ThreadRequest(
        article=article,
        user=_reader(request),
        csrf_input=str(csrf_input(request)) if request.user.is_authenticated else "",
        sort=sort,
        cursor=after,
        whole=whole,
    )

    def form(pk: int) -> str:
        comment = Comment.objects.select_related("author", "article").get(pk=pk)
        if not _reader_may_read(request, comment):
            # A placeholder (held, removed, deleted): no form, and so no author's name.
            return ""
        return _action_form(request, comment, open_kind)

    thread_html, has_items = threadcache.thread_html(
        thread, open_id=open_id if open_kind else None, form=form if open_kind else None
    )
    if _is_fragment(request, whole):
        response = HttpResponse(thread_html)
    else:
        context = _page_context(
            request, article, whole=whole, sort=sort, back=after if has_items else None
        )
        context["user_verified"] = (
            request.user.is_authenticated
            and EmailAddress.objects.filter(user=request.user, verified=True).exists()
        )
        response = HttpResponse(_spliced(_frame(request, context), thread_html))
        if not whole:
            _remember_sort(request, response, sort)
    # For this reader alone: a shared cache must not keep it; a preview of a piece
    # not yet published is not kept at all.
    response["Cache-Control"] = (
        threadcache.PRIVATE_CACHE_CONTROL if article.is_visible() else "private, no-store"
    )
    patch_vary_headers(response, ("Cookie", "HX-Request"))
    return response


def _is_fragment(request: HtmxHttpRequest, whole: bool) -> bool:
    """htmx's "show more": the next page's <li>s alone."""
    return not whole and bool(request.htmx) and request.GET.get("fragment") == "thread-page"


def _page_context(
    request: HtmxHttpRequest, article: Article, *, whole: bool, sort: str, back: str | None
) -> dict[str, Any]:
    """The template's context for the page around the thread. `back`: the cursor of
    a later page that shows comments ("Back to the first comments"), if any."""
    context = _thread_context(
        request,
        article,
        thread_html=mark_safe(THREAD_SLOT),  # noqa: S308 - a constant
        current_sort=sort,
        whole=whole,
        after=back or "",
    )
    context["form"] = CommentForm()
    return context


def _frame(request: HtmxHttpRequest, context: dict[str, Any]) -> bytes:
    """The page around the thread, as UTF-8, with THREAD_SLOT where it goes."""
    return render_to_string(TEMPLATE, context, request).encode()


def _spliced(frame: bytes, thread_html: bytes) -> bytes:
    # Spliced in once here, not passed through the template: every nested node
    # list would copy a thread that can be a megabyte long.
    return frame.replace(THREAD_SLOT.encode(), thread_html, 1)


def _stranger_page(request: HtmxHttpRequest, article: Article, *, whole: bool) -> HttpResponse:
    """The page a visitor with no session gets: the same for all of them, so it is
    answered from its stored copy in the encoding they accept, or with a 304 when
    their copy is current, without rendering; rendered only when no copy is kept.
    Nothing here reads the session, the messages or the CSRF token: with no session
    cookie there is nobody signed in and no message to show, and the page has no
    form that posts (signing in comes first)."""
    sort = selectors.Sort.OLDEST if whole else _remembered_sort(request, stranger=True)
    after = None if whole else request.GET.get("after")
    fragment = _is_fragment(request, whole)
    now = timezone.now()
    page = threadcache.shared_page(
        article=article,
        sort=sort,
        cursor=after,
        whole=whole,
        fragment=fragment,
        address=request.build_absolute_uri(),
        storable=set(request.GET) <= SHARED_PARAMS,
        now=now,
    )
    encoding = compression.request_encoding(request)
    headers = {
        "ETag": page.etag(encoding),
        "Last-Modified": http_date(page.last_modified),
        "Cache-Control": threadcache.SHARED_CACHE_CONTROL,
    }
    response = get_conditional_response(
        request, etag=page.etag(encoding), last_modified=int(page.last_modified)
    )
    if response is None:

        def render_page() -> bytes:
            request.user = AnonymousUser()
            thread = threadcache.ThreadRequest(
                article=article, user=None, csrf_input="", sort=sort, cursor=after, whole=whole
            )
            thread_html, has_items = threadcache.thread_html(thread, share=False)
            if fragment:
                return thread_html

            def render_frame() -> bytes:
                context = _page_context(
                    request, article, whole=whole, sort=sort, back=after if has_items else None
                )
                # What the context processors would look up through the session: there
                # is none, so no message and no token (the page posts nothing).
                context.update(user_verified=False, messages=(), csrf_token="")
                return _frame(request, context)

            return _spliced(threadcache.shared_frame(page, has_items, render_frame), thread_html)

        response = HttpResponse(threadcache.shared_page_body(page, encoding, render_page))
        if encoding:
            response["Content-Encoding"] = encoding
        if not whole:
            _remember_sort(request, response, sort, stranger=True)
            if response.cookies:
                # A reader's own choice of order: not a page to share.
                headers["Cache-Control"] = threadcache.PRIVATE_CACHE_CONTROL
    for name, value in headers.items():
        response[name] = value
    patch_vary_headers(response, ("Accept-Encoding", "Cookie", "HX-Request"))
    return response


@require_safe
def article_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    return _article_page(request, _visible_article(request, slug), whole=False)


@require_safe
def article_all(request: HtmxHttpRequest, slug: str) -> HttpResponse:
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
def comment_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
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
                messages.error(request, str(error))
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
    request: HtmxHttpRequest, comment: Comment, *, published: str, pending: str, rejected: str
) -> None:
    """Say what screening made of a post or an edit, by the status it left."""
    if comment.status == CommentStatus.PUBLISHED:
        messages.success(request, published)
    elif comment.status == CommentStatus.PENDING:
        messages.info(request, pending)
    else:
        messages.error(request, rejected)


@require_safe
def comment_action_form(request: HtmxHttpRequest, pk: int, kind: str) -> HttpResponse:
    """The reply, edit, delete or report form of one comment, opened in place by
    htmx. Without htmx the same form is part of the article page."""
    if kind not in ACTIONS:
        raise Http404("No such action")
    comment = _comment_on_visible_article(request, pk)
    if not _reader_may_read(request, comment):
        raise Http404("No such comment")
    if not request.htmx:
        return redirect(f"{reverse('comments:permalink', args=[pk])}?open={kind}")
    return HttpResponse(_action_form(request, comment, kind, htmx=True))


@require_POST
@login_required
@ratelimit("comment")
def comment_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _comment_on_visible_article(request, pk)
    form = EditForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("body", []):
            messages.error(request, str(error))
        return redirect(f"{reverse('comments:permalink', args=[pk])}?open=edit")
    try:
        comment = services.comment_edit(
            comment=comment, by=request.user, body=form.cleaned_data["body"], now=timezone.now()
        )
    except services.CommentError as exc:
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
def comment_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _comment_on_visible_article(request, pk)
    try:
        services.comment_delete(comment=comment, by=request.user, now=timezone.now())
    except services.CommentError as exc:
        messages.error(request, str(exc))
        return redirect(comment.get_absolute_url())
    messages.success(request, "Your comment is deleted.")
    if comment.parent_id:
        return redirect(reverse("comments:permalink", args=[comment.parent_id]))
    return redirect(f"{comment.article.get_absolute_url()}#comments")


@require_POST
@login_required
@ratelimit("recommend")
def comment_recommend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
        messages.error(request, str(error))
    return redirect(comment.get_absolute_url())


@require_POST
@login_required
@ratelimit("report")
def comment_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _comment_on_visible_article(request, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(f"{reverse('comments:permalink', args=[pk])}?open=report")
    try:
        services.report_file(
            comment=comment,
            by=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            now=timezone.now(),
        )
    except services.CommentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Thank you. We received your report and a moderator will look at it."
        )
    return redirect(comment.get_absolute_url())


@require_safe
def permalink(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Open the article at this comment, on whichever page its thread is, in the
    reader's own comment order."""
    comment = get_object_or_404(Comment.objects.select_related("article", "root"), pk=pk)
    article = _visible_article(request, comment.article.slug)
    root = comment.root or comment
    sort = _remembered_sort(request)
    query = {"sort": sort}
    earlier = selectors.threads_before(
        article_id=article.pk, user=_reader(request), sort=sort, root=root
    )
    if earlier >= settings.COMMENTS_PAGE_SIZE:
        # A cursor that sorts just before the root, so the page starts with its thread.
        key = selectors.encode_cursor(root, sort).split(".")[0]
        before = root.pk - 1 if sort == selectors.Sort.OLDEST else root.pk + 1
        query["after"] = f"{key}.{before}"
    kind = request.GET.get("open")
    if kind in ACTIONS:
        query.update({"open": kind, "on": str(comment.pk)})
    url = reverse("article", kwargs={"slug": article.slug})
    return redirect(f"{url}?{urlencode(query)}#c{comment.pk}")
