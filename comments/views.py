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
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.base import Message
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.html import escape
from django.utils.http import http_date, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from accounts import services as account_services
from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from accounts.models import User
from articles.models import Article
from comments import access, picks, selectors, services, threadcache
from comments import render as thread_render
from comments.cache import thread_version
from comments.forms import CommentForm, DraftForm, EditForm, ReportForm
from comments.models import Comment, CommentStatus
from core import compression, drafts
from core.ratelimit import client_ip, ratelimit
from moderation.models import ReportReason

SORT_COOKIE = "comment_sort"
ACTIONS = frozenset({access.Act.REPLY, access.Act.EDIT, access.Act.DELETE, access.Act.REPORT})
TEMPLATE = "comments/article_detail.html"


def _visible_article(request: HtmxHttpRequest, slug: str, *, page: bool = False) -> Article:
    """The access rule for an article page: published ones for everyone, drafts and
    scheduled pieces only for editors (everyone else gets 404, not 403)."""
    # Not the Markdown source nor the search index: the page shows neither, and on a
    # long piece they are most of the row. For a page, whether it has editors' picks
    # comes with the article (an index probe of the picks table), so a page without
    # picks reads nothing more.
    article = selectors.article_by_slug(slug, with_picks=page)
    if article is None:
        raise Http404("No such article")
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
        # Secure wherever the session cookie is (production): no script reads it.
        response.set_cookie(
            SORT_COOKIE,
            sort,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
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


# ---------------------------------------------------------------- messages in place
#
# A message about a form is shown beside that form, not at the top of a page the
# reader has scrolled away from: "respond" is the comment form, "c<pk>" the slot
# under comment <pk> (the comment just posted, or the reply form opened under
# it). The message's extra tags say where ("at-respond", "at-c123").


def _say(request: HtmxHttpRequest, level: int, text: str, *, at: str) -> None:
    messages.add_message(request, level, text, extra_tags=f"at-{at}")


def _placed_messages(
    request: HtmxHttpRequest,
) -> tuple[list[Message], dict[str, list[Message]]]:
    """This request's messages: those for the top of the page, and those that go
    beside a form, by place."""
    top: list[Message] = []
    placed: dict[str, list[Message]] = {}
    for message in messages.get_messages(request):
        tags = (message.extra_tags or "").split()
        place = next((tag[3:] for tag in tags if tag.startswith("at-")), "")
        if place:
            placed.setdefault(place, []).append(message)
        else:
            top.append(message)
    return top, placed


def _notices_html(found: list[Message]) -> SafeString:
    """Messages shown beside a form. Warnings and errors are alerts (a screen
    reader says them at once); the rest are a status."""
    parts = []
    for message in found:
        kind = "danger" if message.level_tag == "error" else (message.level_tag or "info")
        role = "alert" if message.level >= messages.WARNING else "status"
        parts.append(
            f'<p class="alert alert-{kind} form-notice" role="{role}">'
            f"{escape(str(message.message))}</p>"
        )
    if not parts:
        return mark_safe("")
    return mark_safe(f'<div class="form-notices">{"".join(parts)}</div>')  # noqa: S308 - escaped


def _comment_place(place: str) -> int | None:
    return _int_or_none(place[1:]) if place.startswith("c") else None


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
    draft = ""
    if kind == access.Act.REPLY:
        draft = drafts.draft_text(
            request.session, article_id=comment.article_id, parent_id=comment.pk
        )
    elif kind == access.Act.EDIT:
        draft = drafts.draft_text(
            request.session, article_id=comment.article_id, parent_id=None, editing=comment.pk
        )
    context = _thread_context(
        request,
        comment.article,
        c=comment,
        open_kind=kind,
        open_id=comment.pk,
        refused=refused or "",
        htmx=htmx,
        draft=draft,
    )
    return render_to_string(f"{TEMPLATE}#action-form", context, request)


THREAD_SLOT = "<!--thread-html-->"
# Where the editors' picks go: read afresh with the thread (featuring one moves
# the thread's version), not kept with the page around it.
PICKS_SLOT = "<!--picks-html-->"
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
    open_id = _int_or_none(request.GET.get("on")) if open_kind else None
    fragment = _is_fragment(request, whole)
    # A fragment leaves the messages for the page they belong to.
    top, placed = ([], {}) if fragment else _placed_messages(request)
    notices = {
        pk: _notices_html(found)
        for place, found in placed.items()
        if place != "respond" and (pk := _comment_place(place))
    }
    if notices and not open_id:
        open_id = next(iter(notices))
    shown: set[int] = set()
    thread = threadcache.ThreadRequest(
        article=article,
        user=_reader(request),
        csrf_input=str(csrf_input(request)) if request.user.is_authenticated else "",
        sort=sort,
        cursor=after,
        whole=whole,
    )

    def form(pk: int) -> str:
        notice = notices.get(pk, "")
        shown.add(pk)
        if not open_kind:
            return notice
        comment = Comment.objects.select_related("author", "article").get(pk=pk)
        if not _reader_may_read(request, comment):
            # A placeholder (held, removed, deleted): no form, and so no author's name.
            return notice
        return notice + _action_form(request, comment, open_kind)

    thread_html, has_items = threadcache.thread_html(
        thread, open_id=open_id, form=form if open_id else None
    )
    if fragment:
        response = HttpResponse(b"".join(thread_html))
    else:
        context = _page_context(
            request, article, whole=whole, sort=sort, back=after if has_items else None
        )
        context["user_verified"] = (
            request.user.is_authenticated
            and EmailAddress.objects.filter(user=request.user, verified=True).exists()
        )
        # What the reader wrote and has not posted yet, back in the box.
        kept = drafts.draft_text(request.session, article_id=article.pk, parent_id=None)
        if kept:
            context["form"] = CommentForm(initial={"body": kept})
            context["draft_kept"] = True
        # Messages for a comment not on this page are said beside the form instead.
        unplaced = [
            m
            for place, found in placed.items()
            for m in found
            if place != "respond" and _comment_place(place) not in shown
        ]
        context["respond_notices"] = _notices_html(placed.get("respond", []) + unplaced)
        context["messages"] = top
        response = HttpResponse(_spliced(_frame(request, context), thread_html, article))
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
        picks_html=mark_safe(PICKS_SLOT),  # noqa: S308 - a constant
        current_sort=sort,
        whole=whole,
        after=back or "",
    )
    context["form"] = CommentForm()
    return context


def _frame(request: HtmxHttpRequest, context: dict[str, Any]) -> bytes:
    """The page around the thread, as UTF-8, with THREAD_SLOT where it goes."""
    return render_to_string(TEMPLATE, context, request).encode()


def _picks_html(article: Article) -> bytes:
    """The editors' picks block, or b"" when the article has none (known from
    its own read, `has_picks`: no query then). Read with the page: a stranger's
    page is kept whole under the thread's version, which a pick moves."""
    if not getattr(article, "has_picks", True):
        return b""
    found = picks.article_picks(article_id=article.pk)
    return render_to_string(f"{TEMPLATE}#picks", {"picks": found}).encode() if found else b""


def _spliced(frame: bytes, thread_html: list[bytes], article: Article) -> bytes:
    # Spliced in once here, not passed through the template: every nested node
    # list would copy a thread that can be a megabyte long. The thread comes in
    # pieces, joined with the page around it in one copy.
    frame = frame.replace(PICKS_SLOT.encode(), _picks_html(article), 1)
    before, slot, after = frame.partition(THREAD_SLOT.encode())
    if not slot:
        raise ValueError("the page has no place for its thread")
    return b"".join([before, *thread_html, after])


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
                return b"".join(thread_html)

            def render_frame() -> bytes:
                context = _page_context(
                    request, article, whole=whole, sort=sort, back=after if has_items else None
                )
                # What the context processors would look up through the session: there
                # is none, so no message and no token (the page posts nothing).
                context.update(user_verified=False, messages=(), csrf_token="")
                return _frame(request, context)

            frame = threadcache.shared_frame(page, has_items, render_frame)
            return _spliced(frame, thread_html, article)

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
    return _article_page(request, _visible_article(request, slug, page=True), whole=False)


@require_safe
def article_all(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Every comment of the article on one page, in thread order: for readers who
    want to read it all at once (and like the pages other comment systems serve)."""
    return _article_page(request, _visible_article(request, slug, page=True), whole=True)


def _back_to(article: Article, parent: Comment | None) -> str:
    if parent is not None:
        return f"{reverse('comments:permalink', args=[parent.pk])}?open=reply"
    return f"{article.get_absolute_url()}#respond"


def _form_place(parent: Comment | None) -> str:
    """Where messages about the comment form go: beside the reply form under the
    parent, or beside the article's comment form."""
    return f"c{parent.pk}" if parent is not None else "respond"


def _posted_parent(article: Article, raw: object) -> Comment | None:
    """The comment a form answers, when it names one of this article's."""
    pk = _int_or_none(str(raw)) if raw else None
    if pk is None:
        return None
    return Comment.objects.filter(pk=pk, article=article).first()


def _keep(request: HtmxHttpRequest, article: Article, parent: Comment | None, body: str) -> bool:
    """Keep what the reader wrote with their session (core.drafts), to put it back
    in the box they wrote it in."""
    return drafts.draft_keep(
        request.session,
        article_id=article.pk,
        parent_id=parent.pk if parent else None,
        body=body,
        back_to=_back_to(article, parent),
    )


@csrf_exempt
@require_POST
@ratelimit("comment")
def comment_draft(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A comment written before signing in: kept with the session (core.drafts),
    and the reader sent to sign up (or sign in) and back to the box, where it
    waits to be posted.

    Exempt from CSRF because the page a visitor without a session gets is shared
    by all of them and so carries no token. What a forged request can do here is
    put a text in a visitor's empty comment box; it is never posted unless the
    reader presses Post. A signed-in reader (whose page has the real form and a
    token) is sent back to the form, with nothing stored."""
    article = _visible_article(request, slug)
    form = DraftForm(request.POST)
    parent = _posted_parent(article, request.POST.get("parent"))
    back_to = _back_to(article, parent)
    if request.user.is_authenticated:
        return redirect(back_to)
    if form.is_valid():
        _keep(request, article, parent, form.cleaned_data["body"])
    return redirect(f"{reverse('account_signup')}?{urlencode({'next': back_to})}")


@require_POST
@login_required
@ratelimit("comment")
def comment_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    article = _visible_article(request, slug)
    form = CommentForm(request.POST)
    valid = form.is_valid()
    parent_id = form.cleaned_data.get("parent")
    parent = Comment.objects.filter(pk=parent_id).first() if parent_id else None
    if parent_id and parent is None:
        messages.error(request, _("The comment you replied to does not exist."))
        return redirect(_back_to(article, None))
    # Whatever happens next, the text is not lost: it waits in the box it was
    # written in (a reply's under its comment) until it is posted.
    body = request.POST.get("body", "")
    home = parent if parent is not None and parent.article_id == article.pk else None
    place = _form_place(home)
    if not valid:
        _keep(request, article, home, body)
        for errors in form.errors.values():
            for error in errors:
                _say(request, messages.ERROR, str(error), at=place)
        return redirect(_back_to(article, home))
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
        # Nothing was stored but the draft; the link goes to the account's own
        # address only (allauth rate-limits resends), so this form cannot mail
        # strangers. Kept first: the link brings the reader back to it.
        _keep(request, article, home, body)
        send_verification_email_for_user(request, request.user)
        _say(
            request,
            messages.WARNING,
            _(
                "%(problem)s Your comment is kept in the box below: once you have "
                "confirmed, press Post to publish it."
            )
            % {"problem": exc},
            at=place,
        )
        return redirect(_back_to(article, home))
    except services.CommentError as exc:
        _keep(request, article, home, body)
        _say(request, messages.ERROR, str(exc), at=place)
        return redirect(_back_to(article, home))
    drafts.draft_drop(request.session, article_id=article.pk, parent_id=home.pk if home else None)
    if comment.status == CommentStatus.REJECTED:
        # Not shown in the thread: said beside the form, with the text to rework.
        _keep(request, article, home, body)
        _say(
            request,
            messages.ERROR,
            _(
                "Your comment was not published: it breaks our guidelines. Your text is "
                "kept in the box so you can change it."
            ),
            at=place,
        )
        return redirect(_back_to(article, home))
    _tell_outcome(
        request,
        comment,
        published=_("Your comment is published."),
        pending=_("Thanks. Your comment will appear once a moderator has reviewed it."),
        rejected=_("Your comment was not published: it breaks our guidelines."),
    )
    return redirect(comment.get_absolute_url())


def _tell_outcome(
    request: HtmxHttpRequest, comment: Comment, *, published: str, pending: str, rejected: str
) -> None:
    """Say what screening made of a post or an edit, by the status it left, in
    the comment's own slot."""
    at = f"c{comment.pk}"
    if comment.status == CommentStatus.PUBLISHED:
        _say(request, messages.SUCCESS, published, at=at)
    elif comment.status == CommentStatus.PENDING:
        _say(request, messages.INFO, pending, at=at)
    else:
        _say(request, messages.ERROR, rejected, at=at)


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
    reopen = f"{reverse('comments:permalink', args=[pk])}?open=edit"
    # The edited text waits in the edit box until it is saved (core.drafts).
    article_id = comment.article_id
    if not form.is_valid():
        drafts.draft_keep(
            request.session,
            article_id=article_id,
            parent_id=None,
            editing=pk,
            body=request.POST.get("body", ""),
            back_to=reopen,
        )
        for error in form.errors.get("body", []):
            _say(request, messages.ERROR, str(error), at=f"c{pk}")
        return redirect(reopen)
    try:
        comment = services.comment_edit(
            comment=comment, by=request.user, body=form.cleaned_data["body"], now=timezone.now()
        )
    except services.CommentError as exc:
        _say(request, messages.ERROR, str(exc), at=f"c{pk}")
        return redirect(comment.get_absolute_url())
    drafts.draft_drop(request.session, article_id=article_id, parent_id=None, editing=pk)
    _tell_outcome(
        request,
        comment,
        published=_("Your changes are saved."),
        pending=_("Your changes are saved and wait for a moderator's review."),
        rejected=_("Your edited comment breaks our guidelines and was not published."),
    )
    return redirect(comment.get_absolute_url())


@require_POST
@login_required
def comment_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _comment_on_visible_article(request, pk)
    try:
        services.comment_delete(comment=comment, by=request.user, now=timezone.now())
    except services.CommentError as exc:
        _say(request, messages.ERROR, str(exc), at=f"c{pk}")
        return redirect(comment.get_absolute_url())
    if comment.parent_id:
        _say(request, messages.SUCCESS, _("Your comment is deleted."), at=f"c{comment.parent_id}")
        return redirect(reverse("comments:permalink", args=[comment.parent_id]))
    messages.success(request, _("Your comment is deleted."))
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
        _say(request, messages.ERROR, error, at=f"c{pk}")
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
                _say(request, messages.ERROR, str(error), at=f"c{pk}")
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
        _say(request, messages.ERROR, str(exc), at=f"c{pk}")
    else:
        _say(
            request,
            messages.SUCCESS,
            _("Thank you. We received your report and a moderator will look at it."),
            at=f"c{pk}",
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


# ---------------------------------------------------------------- editors' picks

DESK_COMMENTS_LIMIT = 200


@require_safe
@never_cache
@login_required
@permission_required("comments.feature_comment", raise_exception=True)
def desk_comments(request: AuthenticatedHttpRequest, article_pk: int) -> HttpResponse:
    """An article's published comments for editors (and moderators), read-only
    but for choosing editors' picks: where the desk's comment counts lead an
    editor, who may not open the moderation queue. Latest first."""
    article = get_object_or_404(Article.objects.select_related("section"), pk=article_pk)
    published = (
        Comment.objects.filter(article=article, status=CommentStatus.PUBLISHED)
        .select_related("author")
        .order_by("-created_at", "-id")
    )
    pending = Comment.objects.filter(article=article, status=CommentStatus.PENDING).count()
    context = {
        "article": article,
        "comments": published[:DESK_COMMENTS_LIMIT],
        "published_count": published.count(),
        "pending_count": pending,
        "limit": DESK_COMMENTS_LIMIT,
    }
    return render(request, "comments/desk_comments.html", context)


@require_POST
@never_cache
@login_required
@permission_required("comments.feature_comment", raise_exception=True)
def comment_feature(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Make a comment an editors' pick (`featured=1`) or take the pick back."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    featured = request.POST.get("featured") == "1"
    try:
        services.comment_feature(comment=comment, by=request.user, featured=featured)
    except services.CommentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The comment is now an editors' pick.") if featured else _("The pick is taken back."),
        )
    back = reverse("comments:desk_comments", args=[comment.article_id])
    return redirect(f"{back}#c{comment.pk}")


# ---------------------------------------------------------------- live threads


@require_safe
def thread_live(request: HtmxHttpRequest, article_pk: int) -> HttpResponse:
    """How many published comments the article has, for the page's "N new
    comments" notice (static/js/site.js asks every little while). Cheap by
    design: the thread's version (one cache read) is the ETag, so while nothing
    changed the answer is a 304 with no database read and nothing rendered;
    after a change, one read of the article's denormalised count."""
    version = thread_version(article_pk)
    etag = f'"{version}"'
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is None:
        found = (
            Article.objects.published()
            .filter(pk=article_pk)
            .values_list("comment_count", flat=True)
            .first()
        )
        if found is None:
            raise Http404("No such article")
        response: HttpResponse = JsonResponse({"count": found})
    else:
        response = unchanged
    response["ETag"] = etag
    # Asked again each time, answered from the version: no cache may keep it.
    response["Cache-Control"] = "no-cache"
    return response
