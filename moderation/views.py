from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from comments.models import Comment
from moderation import selectors, services
from moderation.forms import DecisionForm, RejectForm

moderator_required = permission_required("comments.moderate_comment", raise_exception=True)


@login_required
@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "moderation/queue.html",
        {
            "items": selectors.queue_pending(),
            "pending_count": selectors.pending_count(),
            "reject_form": RejectForm(),
        },
    )


def _decide(request: HttpRequest, pk: int, form_class, decide) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("moderation:queue")
    try:
        decide(comment, form.cleaned_data)
    except services.ModerationError as exc:
        messages.error(request, str(exc))
    return redirect("moderation:queue")


@require_POST
@login_required
@moderator_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    def decide(comment, data):
        services.comment_approve(
            comment=comment,
            by=request.user,
            expected_version=data["version"],
            now=timezone.now(),
        )
        messages.success(request, f"Approved the comment by {comment.author.display_name}.")

    return _decide(request, pk, DecisionForm, decide)


@require_POST
@login_required
@moderator_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    def decide(comment, data):
        services.comment_reject(
            comment=comment,
            by=request.user,
            reason=data["reason"],
            note=data["note"],
            expected_version=data["version"],
            now=timezone.now(),
        )
        messages.success(request, f"Rejected the comment by {comment.author.display_name}.")

    return _decide(request, pk, RejectForm, decide)
