from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Concatenate
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from articles.models import Article, Section
from articles.selectors import people_options
from comments.models import Comment, ReasonCategory
from core import redirects
from core.csvcells import safe_cell
from core.middleware import bad_request
from moderation import render as queue_render
from moderation import screening, selectors, services
from moderation.forms import (
    AppealDecisionForm,
    AppealForm,
    BulkForm,
    DecisionForm,
    HoldReleaseForm,
    LegalHoldForm,
    LiftForm,
    NoteForm,
    QueueFilterForm,
    QueueSpellingForm,
    RejectForm,
    SanctionForm,
    TryForm,
    UndoForm,
    WordForm,
)
from moderation.modelforms import ModelActivateForm, ModelRollbackForm, ModelSettingsForm
from moderation.models import (
    ActionCode,
    Appeal,
    LegalHold,
    ModelMode,
    ModelVersion,
    ModerationAction,
    Sanction,
    WordListEntry,
)
from moderation.services import appeals, holds
from moderation.services.decisions import DecisionExtra, new_batch
from moderation.services.people import people_variant_add as add_spelling

User = get_user_model()

moderator_required = permission_required("comments.moderate_comment", raise_exception=True)


def moderator_only[**P, R: HttpResponseBase](
    view: Callable[Concatenate[AuthenticatedHttpRequest, P], R],
) -> Callable[Concatenate[AuthenticatedHttpRequest, P], R]:
    """The gate of every moderators' page: sign-in first (anonymous: the login page),
    then the moderate permission (403). Whatever it answers is marked no-store
    (never_cache): these pages show held comments, reporters and private notes, which
    no browser history, shared computer or proxy may keep."""

    @wraps(view)
    @never_cache
    @login_required
    @moderator_required
    def wrapped(request: AuthenticatedHttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
        return view(request, *args, **kwargs)

    return wrapped


# In English here; core.middleware.bad_request says it in the active language.
BAD_NEXT_MESSAGE = gettext_noop(
    "Nothing was changed: the form asked to return to a page that is not part of the "
    "moderation desk. Go back to the queue, reload it and decide again."
)


def _next_path(request: HtmxHttpRequest) -> str | None:
    """Where to return after a decision: the `next` path when it is a page of the
    moderation desk, "" when none was sent, None for anything else (another site, a
    scheme, a view name, a mangled value), which refuses the decision before any write."""
    target = request.POST.get("next", "")
    if not target:
        return ""
    if redirects.site_path(request, target) is None:
        return None
    try:
        match = resolve(urlsplit(target).path)
    except Resolver404:
        return None
    return target if match.namespace == "moderation" else None


def _back(target: str) -> HttpResponse:
    """Return to the page the decision was made on (keeping its filters), else the queue.
    `target` has passed `_next_path`: a path, never a view name for `redirect` to look up."""
    return HttpResponseRedirect(target or reverse("moderation:queue"))


def _bad_next() -> HttpResponse:
    return bad_request(
        BAD_NEXT_MESSAGE,
        back=reverse("moderation:queue"),
        back_label=gettext_noop("Back to the queue"),
    )


def _form_errors(request: HtmxHttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


# ---------------------------------------------------------------- queue


def _done_message(kind: str, name: str) -> str:
    """What a moderator is told after one decision, in their language."""
    messages_by_kind = {
        "approve": _("Approved the comment by %(name)s."),
        "reject": _("Rejected the comment by %(name)s."),
        "remove": _("Removed the comment by %(name)s."),
        "restore": _("Restored the comment by %(name)s."),
        "dismiss": _("Kept (reports dismissed) the comment by %(name)s."),
    }
    return messages_by_kind[kind] % {"name": name}


def _bulk_message(kind: str, n: int) -> str:
    """What a moderator is told after a bulk decision on `n` comments."""
    if kind == "approve":
        text = ngettext("Approved %(count)s comment.", "Approved %(count)s comments.", n)
    elif kind == "reject":
        text = ngettext("Rejected %(count)s comment.", "Rejected %(count)s comments.", n)
    elif kind == "remove":
        text = ngettext("Removed %(count)s comment.", "Removed %(count)s comments.", n)
    elif kind == "restore":
        text = ngettext("Restored %(count)s comment.", "Restored %(count)s comments.", n)
    else:
        text = ngettext(
            "Kept (reports dismissed) %(count)s comment.",
            "Kept (reports dismissed) %(count)s comments.",
            n,
        )
    return text % {"count": n}


def _reason_options() -> str:
    """The reject/remove reasons as <option>s, built once per page: every queue item
    and the bulk bar show the same list."""
    return format_html_join("", '<option value="{}">{}</option>', ReasonCategory.choices)


def _tabs(counts: dict[str, int]) -> list[tuple[str, str, str]]:
    return [
        (key, str(label), selectors.count_label(key, counts[key]))
        for key, label in selectors.TABS.items()
    ]


@require_safe
@moderator_only
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = QueueFilterForm(request.GET).cleaned_or_default()
    tab = data["tab"] or "pending"
    order = data["order"] or ("oldest" if tab in {"pending", "reported"} else "newest")
    query = selectors.QueueQuery(
        tab=tab,
        article=data["article"],
        section=data["section"] or "",
        author=data["author"],
        reason=data["reason"] or "",
        q=data["q"] or "",
        order=order,
        after=selectors.decode_cursor(data["after"] or ""),
    )
    items, next_cursor = selectors.queue_page(query)
    counts = selectors.tab_counts()
    reason_options = _reason_options()
    filters = {
        k: v
        for k, v in {
            "article": query.article,
            "section": query.section,
            "author": query.author,
            "reason": query.reason,
            "q": query.q,
            "order": data["order"] or "",
        }.items()
        if v
    }
    return render(
        request,
        "moderation/queue.html",
        {
            "items": items,
            # Written in Python (moderation/render.py): a template partial per item
            # was over half the page's time.
            "items_html": mark_safe(  # noqa: S308 - render.py escapes every value
                queue_render.queue_items(
                    items,
                    csrf_input=str(csrf_input(request)),
                    next_url=request.get_full_path(),
                    reason_options=reason_options,
                    people=people_options(article_ids=[i.comment.article_id for i in items]),
                )
            ),
            "tab": tab,
            "tabs": _tabs(counts),
            "appeals_waiting": selectors.appeals_waiting(),
            "undo_offers": selectors.undo_offers(by=request.user),
            "counts": counts,
            "queue_query": query,
            "filters": filters,
            "next_cursor": next_cursor,
            "paged": bool(query.after),
            "reason_options": reason_options,
            "rule_reasons": selectors.REASONS,
            "sections": Section.objects.order_by("position", "name", "id"),
            "filter_article": Article.objects.filter(pk=query.article).first()
            if query.article
            else None,
            "filter_author": User.objects.filter(pk=query.author).first() if query.author else None,
            "next_url": request.get_full_path(),
        },
    )


@require_POST
@moderator_only
def decide(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """Every single-comment decision (services.DECISIONS): validate, call the
    service, then either swap the item (htmx) or redirect back with a message."""
    back = _next_path(request)
    if back is None:
        return _bad_next()
    decision = services.DECISIONS[kind]
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk)
    form = (RejectForm if decision.needs_reason else DecisionForm)(request.POST)
    ok, message = False, ""
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        data = form.cleaned_data
        try:
            decision.apply(
                comment,
                request.user,
                data["version"],
                data.get("reason", ""),
                data.get("note", ""),
                timezone.now(),
                DecisionExtra(reports_seen=data.get("reports_seen")),
            )
            ok, message = True, _done_message(kind, comment.author.display_name)
        except services.ModerationError as exc:
            message = str(exc)
        else:
            # Every decision is a label: after enough of them a new model version is
            # trained in the background (it waits, inactive, for a moderator).
            services.model_retrain_when_due()
    if request.htmx:
        # Always 200: htmx swaps only successful responses, and a refusal (a conflict
        # naming who decided first) must replace the item just as a decision does.
        # The tab counts come along, swapped in out of band: no reload to see them.
        counts = selectors.tab_counts()
        return render(
            request,
            "moderation/queue.html#decided",
            {
                "comment": comment,
                "ok": ok,
                "message": message,
                "counts": counts,
                "tabs": _tabs(counts),
                "undo_action": selectors.latest_decision_id(comment_id=comment.pk, by=request.user)
                if ok and kind != "dismiss"
                else None,
                "undo_minutes": settings.MODERATION_UNDO_SECONDS // 60,
                "next_url": back or reverse("moderation:queue"),
            },
        )
    (messages.success if ok else messages.error)(request, message)
    return _back(back)


@require_POST
@moderator_only
def undo(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Undo one of the moderator's own decisions (`action`) or bulk decisions
    (`batch`) within settings.MODERATION_UNDO_SECONDS, from the notice that
    confirmed it; the undo is audited as its own act."""
    back = _next_path(request)
    if back is None:
        return _bad_next()
    form = UndoForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(back)
    try:
        if form.cleaned_data["batch"]:
            done, problems = services.batch_undo(
                batch=form.cleaned_data["batch"], by=request.user, now=timezone.now()
            )
            if done:
                messages.success(
                    request,
                    ngettext(
                        "Undone: %(count)s decision of the batch.",
                        "Undone: %(count)s decisions of the batch.",
                        done,
                    )
                    % {"count": done},
                )
            for problem in problems:
                messages.error(request, problem)
        else:
            action = get_object_or_404(
                ModerationAction.objects.select_related("comment__author"),
                pk=form.cleaned_data["action"],
            )
            services.decision_undo(action=action, by=request.user, now=timezone.now())
            messages.success(
                request,
                _("Undone: %(decision)s.") % {"decision": action.get_action_display().lower()},
            )
    except services.ModerationError as exc:
        messages.error(request, str(exc))
    return _back(back)


@require_POST
@moderator_only
def bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One service call per selected comment, each with its own version check, so
    a comment someone else decided meanwhile is reported and the rest go through."""
    back = _next_path(request)
    if back is None:
        return _bad_next()
    form = BulkForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(back)
    decision = services.DECISIONS[form.cleaned_data["action"]]
    reason = form.cleaned_data["reason"]
    comments = Comment.objects.select_related("author").in_bulk(
        [pk for pk, _version in form.cleaned_data["items"]]
    )
    done, problems = 0, []
    # One name for the whole bulk decision, so it can be undone as one.
    extra = DecisionExtra(batch=new_batch())
    for pk, version in form.cleaned_data["items"]:
        comment = comments.get(pk)
        if comment is None:
            problems.append(_("Comment %(pk)s no longer exists.") % {"pk": pk})
            continue
        try:
            decision.apply(comment, request.user, version, reason, "", timezone.now(), extra)
            done += 1
        except services.ModerationError as exc:
            problems.append(
                _("Comment by %(name)s: %(problem)s")
                % {"name": comment.author.display_name, "problem": exc}
            )
    if done:
        services.model_retrain_when_due()
        messages.success(request, _bulk_message(decision.key, done))
    for problem in problems:
        messages.error(request, problem)
    return _back(back)


@require_POST
@moderator_only
def people_variant_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a spelling of a person listed for the comment's article, from its queue
    item (moderation.services.people); published comments it now matches are taken
    back for review, and the moderator is told how many."""
    back = _next_path(request)
    if back is None:
        return _bad_next()
    comment = get_object_or_404(Comment, pk=pk)
    form = QueueSpellingForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(back)
    try:
        listing = add_spelling(
            comment=comment,
            person_id=form.cleaned_data["person"],
            text=form.cleaned_data["text"],
            by=request.user,
            now=timezone.now(),
        )
    except services.ModerationError as exc:
        messages.error(request, str(exc))
    else:
        held = listing.held
        added = _("Added “%(spelling)s” as a spelling of %(name)s.") % {
            "spelling": form.cleaned_data["text"].strip(),
            "name": listing.person.name,
        }
        outcome = (
            _("No published comment matches it.")
            if held == 0
            else ngettext(
                "%(count)s published comment now matches and was taken back for review.",
                "%(count)s published comments now match and were taken back for review.",
                held,
            )
            % {"count": held}
        )
        messages.success(request, f"{added} {outcome}")
    return _back(back)


# ---------------------------------------------------------------- a comment's history


@require_safe
@moderator_only
def comment_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every version of a comment with the changes between them, its reports and
    every audit entry about it, oldest first."""
    history = selectors.comment_history(pk=pk)
    if history is None:
        raise Http404("No such comment.")
    return render(request, "moderation/comment_history.html", {"history": history})


# ---------------------------------------------------------------- appeals


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def appeal_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The author's appeal of the decision on their comment (linked from "My
    comments" and the decision email). Anyone else's comment is a 404: a reader
    must not learn which comments exist or how they were decided."""
    comment = Comment.objects.select_related("article").filter(pk=pk, author=request.user).first()
    if comment is None:
        # Answered here rather than raised, so the answer is no-store like the page.
        return render(request, "errors/404.html", status=404)
    appeal = Appeal.objects.filter(comment=comment).select_related("decided_by").first()
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            appeals.appeal_file(
                comment=comment, by=request.user, note=form.cleaned_data["note"], now=timezone.now()
            )
        except appeals.AppealError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Your appeal was sent. A moderator who did not make the decision will look "
                    "at it, and you will be told the outcome."
                ),
            )
            return redirect("accounts:my_comments")
    return render(
        request,
        "moderation/appeal_new.html",
        {
            "comment": comment,
            "appeal": appeal,
            "decision": appeals.decision_appealable(comment) if appeal is None else None,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_safe
@moderator_only
def appeal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    counts = selectors.tab_counts()
    return render(
        request,
        "moderation/appeals.html",
        {
            "items": selectors.appeal_items(),
            "decided": selectors.decided_appeal_items(),
            "form": AppealDecisionForm(),
            "counts": counts,
            "tabs": _tabs(counts),
            "appeals_waiting": selectors.appeals_waiting(),
        },
    )


@require_POST
@moderator_only
def appeal_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal, pk=pk)
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("moderation:appeals")
    overturn = form.cleaned_data["outcome"] == "overturn"
    try:
        appeals.appeal_decide(
            appeal=appeal,
            by=request.user,
            overturn=overturn,
            note=form.cleaned_data["note"],
            now=timezone.now(),
        )
    except services.ModerationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Appeal granted: the comment is published again.")
            if overturn
            else _("Appeal refused: the decision stands."),
        )
    return redirect("moderation:appeals")


# ---------------------------------------------------------------- legal holds


def hold_manager_only[**P, R: HttpResponseBase](
    view: Callable[Concatenate[AuthenticatedHttpRequest, P], R],
) -> Callable[Concatenate[AuthenticatedHttpRequest, P], HttpResponseBase]:
    """Legal holds are for editors and admins: sign-in first, then 403."""

    @wraps(view)
    @never_cache
    @login_required
    def wrapped(
        request: AuthenticatedHttpRequest, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponseBase:
        if not holds.can_manage_holds(request.user):
            raise PermissionDenied(_("Only editors and admins can manage legal holds."))
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "HEAD", "POST"])
@hold_manager_only
def hold_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = LegalHoldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = (
            User.objects.filter(email__iexact=data["user_email"]).first()
            if data["user_email"]
            else None
        )
        article = (
            Article.objects.filter(slug=data["article_slug"]).first()
            if data["article_slug"]
            else None
        )
        try:
            hold = holds.hold_place(
                by=request.user,
                kind=data["kind"],
                reference=data["reference"],
                received_on=data["received_on"],
                requester=data["requester"],
                scope=data["scope"],
                user=user,
                article=article,
                comment_ids=data["comment_ids"],
                note=data["note"],
                now=timezone.now(),
            )
        except services.ModerationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Legal hold %(reference)s recorded.") % {"reference": hold.reference}
            )
            return redirect("moderation:hold", pk=hold.pk)
    return render(
        request,
        "moderation/holds.html",
        {"holds": selectors.legal_holds(), "form": form},
        status=400 if form.errors else 200,
    )


@require_safe
@hold_manager_only
def hold_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(
        LegalHold.objects.select_related("user", "article", "created_by", "released_by"), pk=pk
    )
    return render(
        request,
        "moderation/hold_detail.html",
        {"hold": hold, "scope": selectors.hold_scope_summary(hold), "form": HoldReleaseForm()},
    )


@require_POST
@hold_manager_only
def hold_release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(LegalHold, pk=pk)
    form = HoldReleaseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            holds.hold_release(
                hold=hold, by=request.user, note=form.cleaned_data["note"], now=timezone.now()
            )
            messages.success(request, _("The hold is released."))
        except services.ModerationError as exc:
            messages.error(request, str(exc))
    return redirect("moderation:hold", pk=hold.pk)


@require_POST
@hold_manager_only
def hold_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "Export history": the ZIP of everything in the hold's scope (audited)."""
    hold = get_object_or_404(LegalHold.objects.select_related("created_by"), pk=pk)
    archive = holds.hold_export(hold=hold, by=request.user, now=timezone.now())
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="legal-hold-{hold.pk}-{stamp}.zip"'
    return response


# ---------------------------------------------------------------- user page


def _user_page_context(user, **forms) -> dict:
    comments = selectors.user_comments(user=user)
    received, filed = selectors.user_reports(user=user)
    record = selectors.author_records([user.pk]).get(user.pk, selectors.AuthorRecord())
    return {
        "subject": user,
        "record": record,
        "comments": comments,
        "sanctions": selectors.user_sanctions(user=user),
        "revisions": selectors.user_revisions(user=user),
        "reports_received": received,
        "reports_filed": filed,
        "appeals": selectors.user_appeals(user=user),
        "notes": selectors.user_notes(user=user),
        "sanction_form": forms.get("sanction_form") or SanctionForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "now": timezone.now(),
    }


@require_safe
@moderator_only
def user_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    return render(request, "moderation/user.html", _user_page_context(subject))


@require_POST
@moderator_only
def user_sanction(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    form = SanctionForm(request.POST)
    if form.is_valid():
        try:
            services.sanction_apply(
                user=subject,
                by=request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
                now=timezone.now(),
            )
        except services.ModerationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Sanction recorded for %(name)s.") % {"name": subject.display_name}
            )
            return redirect("moderation:user", pk=subject.pk)
    messages.error(request, _("The sanction was not recorded; see the form below."))
    return render(
        request,
        "moderation/user.html",
        _user_page_context(subject, sanction_form=form),
        status=400,
    )


@require_POST
@moderator_only
def sanction_lift(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    sanction = get_object_or_404(Sanction.objects.select_related("user"), pk=pk)
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for lifting the sanction."))
    else:
        try:
            services.sanction_lift(
                sanction=sanction,
                by=request.user,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
            messages.success(
                request,
                _("Lifted the %(kind)s.") % {"kind": sanction.get_kind_display().lower()},
            )
        except services.ModerationError as exc:
            messages.error(request, str(exc))
    return redirect("moderation:user", pk=sanction.user_id)


@require_POST
@moderator_only
def user_note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a note of at most 2,000 characters."))
    else:
        services.user_note_add(user=subject, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Note added."))
    return redirect("moderation:user", pk=subject.pk)


# ---------------------------------------------------------------- audit log


def _audit_query(request: HtmxHttpRequest) -> selectors.AuditQuery:
    def number(name: str) -> int | None:
        # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
        raw = request.GET.get(name, "").strip()
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None

    # Only a code the log can hold; anything else filters on nothing.
    action = request.GET.get("action", "").strip()
    return selectors.AuditQuery(
        actor=number("actor"),
        comment=number("comment"),
        user=number("user"),
        action=action if action in ActionCode.values else "",
        before=selectors.decode_cursor(request.GET.get("before", "")),
    )


@require_safe
@moderator_only
def audit(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = _audit_query(request)
    rows, cursor = selectors.audit_page(query)
    params = request.GET.copy()
    params.pop("before", None)
    return render(
        request,
        "moderation/audit.html",
        {
            "rows": rows,
            "audit_query": query,
            "next_cursor": cursor,
            "moderators": selectors.moderators(),
            "action_codes": ActionCode.choices,
            "filter_params": params.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_safe
@moderator_only
def audit_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV, streamed so a long history never sits in memory."""
    query = _audit_query(request)
    query.before = None
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(
            ["time", "moderator", "action", "comment", "user", "from", "to", "reason", "note"]
        )
        for row in selectors.audit_queryset(query).iterator(chunk_size=1000):
            yield writer.writerow(
                [
                    safe_cell(cell)
                    for cell in (
                        row.created_at.isoformat(),
                        row.actor.display_name if row.actor else "system",
                        row.action,
                        row.comment_id or "",
                        row.target_user.display_name if row.target_user else "",
                        row.from_status,
                        row.to_status,
                        row.reason,
                        row.note,
                    )
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="moderation-audit-{stamp}.csv"'
    return response


# ---------------------------------------------------------------- dashboard


@require_safe
@moderator_only
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "moderation/dashboard.html",
        {
            "board": selectors.dashboard(),
            "model": selectors.model_agreement(),
            "appeals": selectors.appeal_figures(),
        },
    )


# ---------------------------------------------------------------- word lists


@require_safe
@moderator_only
def words(request: AuthenticatedHttpRequest) -> HttpResponse:
    try_form = TryForm(request.GET or None)
    verdict = None
    highlighted = ""
    if try_form.is_bound and try_form.is_valid():
        verdict = screening.screen_sample(body=try_form.cleaned_data["text"])
        highlighted = selectors.highlight_body(
            try_form.cleaned_data["text"], [h.as_dict() for h in verdict.hits]
        )
    return render(
        request,
        "moderation/words.html",
        {
            "entries": WordListEntry.objects.select_related("created_by").order_by(
                "kind", "normalized", "id"
            ),
            "word_form": WordForm(),
            "try_form": try_form,
            "verdict": verdict,
            "try_hits": selectors.labelled_hits([h.as_dict() for h in verdict.hits])
            if verdict
            else [],
            "highlighted": highlighted,
        },
    )


@require_POST
@moderator_only
def word_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = WordForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            entry = services.wordlist_add(
                term=form.cleaned_data["term"], kind=form.cleaned_data["kind"], by=request.user
            )
            messages.success(
                request,
                _("Listed “%(term)s” (%(kind)s).")
                % {"term": entry.term, "kind": entry.get_kind_display()},
            )
        except services.ModerationError as exc:
            messages.error(request, str(exc))
    return redirect("moderation:words")


@require_POST
@moderator_only
def word_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(WordListEntry, pk=pk)
    try:
        services.wordlist_remove(entry=entry, by=request.user)
        messages.success(request, _("Removed “%(term)s” from the list.") % {"term": entry.term})
    except services.ModerationError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("moderation:words"))


# ---------------------------------------------------------------- the moderation model


@require_safe
@moderator_only
def model_page(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """The evaluation page: a version's figures on the decisions held out from its
    training (the active version's, or the newest's, when none is named), every
    version, the latest disagreements, and the forms that change the active one."""
    versions = selectors.model_versions()
    active = next((v for v in versions if v.is_active), None) or selectors.active_version_row()
    if pk is None:
        shown = active or (versions[0] if versions else None)
        pk = shown.pk if shown else None
    evaluation = selectors.model_evaluation(pk=pk) if pk is not None else None
    if pk is not None and evaluation is None:
        raise Http404("No such model version.")
    curve = ""
    if evaluation is not None:
        c = evaluation.confusion
        at = (c.precision, c.recall) if c.precision is not None and c.recall is not None else None
        curve = queue_render.pr_curve_svg(evaluation.curve, at=at, threshold=evaluation.threshold)
    return render(
        request,
        "moderation/model.html",
        {
            "evaluation": evaluation,
            # Written in Python (moderation/render.py), every value a number.
            "curve_svg": mark_safe(curve),  # noqa: S308
            "versions": versions,
            "active": active,
            "disagreements": selectors.model_disagreements(),
            "modes": ModelMode.choices,
        },
    )


def _mode_words(mode: str) -> str:
    """ "shadow mode" or "hold mode", as the messages say it."""
    return _("hold mode") if mode == ModelMode.HOLD else _("shadow mode")


def _model_redirect(pk: int | None = None) -> HttpResponse:
    if pk is None:
        return redirect("moderation:model")
    return redirect("moderation:model_version", pk=pk)


@require_POST
@moderator_only
def model_activate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ModelVersion.objects.defer("artifact", "holdout"), pk=pk)
    form = ModelActivateForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _model_redirect(pk)
    try:
        version = services.model_activate(
            version=version, by=request.user, mode=form.cleaned_data["mode"], now=timezone.now()
        )
    except services.ModerationError as exc:
        messages.error(request, str(exc))
        return _model_redirect(pk)
    messages.success(
        request,
        _("Version %(version)s is now active, in %(mode)s.")
        % {"version": version.pk, "mode": _mode_words(version.mode)},
    )
    return _model_redirect()


@require_POST
@moderator_only
def model_rollback(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ModelRollbackForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _model_redirect()
    try:
        now_active = services.model_rollback(
            by=request.user, expected_version=form.cleaned_data["version"], now=timezone.now()
        )
    except services.ModerationError as exc:
        messages.error(request, str(exc))
        return _model_redirect()
    if now_active is None:
        messages.success(
            request, _("Rolled back: no version is active, and comments are no longer scored.")
        )
    else:
        messages.success(
            request,
            _("Rolled back to version %(version)s, in %(mode)s.")
            % {"version": now_active.pk, "mode": _mode_words(now_active.mode)},
        )
    return _model_redirect()


@require_POST
@moderator_only
def model_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ModelSettingsForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _model_redirect()
    version = get_object_or_404(
        ModelVersion.objects.defer("artifact", "holdout"), pk=form.cleaned_data["version"]
    )
    try:
        version = services.model_configure(
            version=version,
            by=request.user,
            mode=form.cleaned_data["mode"],
            threshold=form.cleaned_data["threshold"],
            now=timezone.now(),
        )
    except services.ModerationError as exc:
        messages.error(request, str(exc))
        return _model_redirect()
    messages.success(
        request,
        _("Version %(version)s: %(mode)s, threshold %(threshold)s.")
        % {
            "version": version.pk,
            "mode": _mode_words(version.mode),
            "threshold": f"{version.threshold:.2f}",
        },
    )
    return _model_redirect()
