from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import language as interface_language
from accounts import lifecycle, services
from accounts.forms import AccountDeleteForm, EmailPreferencesForm, ProfileForm
from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.notifications import notifications_for
from accounts.unsubscribe import read_token
from articles.models import Article
from comments import picks
from comments.models import Comment, CommentStatus
from core import redirects

MY_COMMENTS_LIMIT = 200


@require_safe
@never_cache
@login_required
def my_comments(request: AuthenticatedHttpRequest) -> HttpResponse:
    comments = (
        Comment.objects.filter(author=request.user)
        .select_related("article")
        .order_by("-created_at", "-id")[:MY_COMMENTS_LIMIT]
    )
    return render(request, "accounts/my_comments.html", {"comments": comments})


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Display name, email preferences and the interface language, on one page. A
    language chosen here is kept on the account and in the cookie (as the header's
    switch does), and speaks from the message after saving on."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, user=user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            language = data.pop("language")
            try:
                lifecycle.profile_update(user=user, **data)
            except services.ProfileError as exc:
                form.add_error("display_name", str(exc))
            else:
                services.language_remember(user=user, language=language)
                # "" (as my browser asks): the browser's Accept-Language from now on,
                # so the language cookie goes (here too, before asking who speaks what);
                # a language named is remembered in it.
                if not language:
                    request.COOKIES.pop(settings.LANGUAGE_COOKIE_NAME, None)
                chosen = language or translation.get_language_from_request(request)
                with translation.override(chosen):
                    messages.success(request, _("Your settings are saved."))
                response = redirect("accounts:profile")
                if language:
                    interface_language.set_cookie(response, language)
                else:
                    response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
                return response
    else:
        form = ProfileForm(
            user=user,
            initial={
                "display_name": user.display_name,
                "notify_replies": user.notify_replies,
                "notify_moderation": user.notify_moderation,
                "profile_public": user.profile_public,
                "language": user.language,
            },
        )
    return render(request, "accounts/profile.html", {"form": form})


# Mail clients send RFC 8058 one-click POSTs without our CSRF cookie; the signed
# token is what authorises the change, and the change only ever turns email off.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = read_token(token)
    user = User.objects.filter(pk=found[0]).first() if found else None
    if found is None or user is None:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=400)
    kind = found[1]
    if request.method == "POST":
        services.email_unsubscribe(user=user, kind=kind)
        return render(request, "accounts/unsubscribe.html", {"done": True, "kind": kind})
    return render(request, "accounts/unsubscribe.html", {"kind": kind, "token": token})


@require_safe
@never_cache
@login_required
def data_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in reader's own data as a JSON download; nobody else's."""
    data = lifecycle.account_data(user=request.user)
    data["exported_at"] = timezone.now().isoformat()
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="metoo-account-{stamp}.json"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.account_delete(user=user, now=timezone.now())
        except lifecycle.AccountDeletionError as exc:
            form.add_error(None, str(exc))
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for taking part."))
            return redirect("/")
    context = {"form": form, "comments_mode": settings.ACCOUNT_DELETED_COMMENTS}
    return render(request, "accounts/delete.html", context)


PROFILE_COMMENTS = 50


@require_safe
def reader_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A reader's public page: display name, when they joined, their published
    comments on published articles (latest first), and their editors' picks.
    A reader who made it private sees it alone (everyone else: 404, as for an
    account that does not exist or was deleted)."""
    reader = get_object_or_404(User, pk=pk, is_active=True, deleted_at__isnull=True)
    own = request.user.is_authenticated and request.user.pk == reader.pk
    if not reader.profile_public and not own:
        raise Http404("No such profile")  # not shown: the 404 page says its own
    now = timezone.now()
    published = Comment.objects.filter(
        author=reader,
        status=CommentStatus.PUBLISHED,
        article__in=Article.objects.published(now),
    )
    picked = [p for p in picks.author_picks(author_id=reader.pk) if p.featured_at <= now]
    context = {
        "reader": reader,
        "own": own,
        "comments": published.select_related("article").order_by("-created_at", "-id")[
            :PROFILE_COMMENTS
        ],
        "comment_count": published.count(),
        "picks": picked,
        "shown": PROFILE_COMMENTS,
    }
    response = render(request, "accounts/reader_profile.html", context)
    if not reader.profile_public:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@never_cache
@login_required
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Replies to the reader's comments, their picks, moderators' decisions on
    them (accounts.notifications), newest first, with the email preferences
    beside them. Opening the page reads them all."""
    user = request.user
    found = notifications_for(user=user)
    services.notifications_seen(user=user, now=timezone.now())
    form = EmailPreferencesForm(
        initial={"notify_replies": user.notify_replies, "notify_moderation": user.notify_moderation}
    )
    return render(
        request,
        "accounts/notifications.html",
        {"notices": found, "form": form, "unread_notifications": 0},
    )


@require_POST
@login_required
def email_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(request.POST)
    if form.is_valid():
        services.email_preferences_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your email preferences are saved."))
    return redirect("accounts:notifications")


# No CSRF token: the switch sits on pages shared by every stranger (and kept by the
# page cache), which carry none. A forged post can only change the language, and
# the session cookie is SameSite=Lax, so no other site's form reaches an account.
@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: remember the choice in the cookie and, for a
    signed-in reader, on their account; then back to the page they were on. A code
    the site does not speak changes nothing."""
    code = request.POST.get("language", "")
    target = request.POST.get("next", "")
    # Back to the page of this site it came from; anything else, home.
    response = HttpResponseRedirect(redirects.site_path(request, target) or "/")
    if not interface_language.is_supported(code):
        return response
    if request.user.is_authenticated:
        services.language_remember(user=request.user, language=code)
    interface_language.set_cookie(response, code)
    return response
