from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles.models import Article
from comments import selectors, services
from comments.forms import CommentForm
from comments.models import Comment, CommentStatus


def _visible_article(request: HttpRequest, slug: str) -> Article:
    """The access rule for an article page: published ones for everyone, drafts and
    scheduled pieces only for editors (everyone else gets 404, not 403)."""
    article = get_object_or_404(Article.objects.select_related("section", "author"), slug=slug)
    if article.is_visible() or (request.user.is_authenticated and request.user.is_editor):
        return article
    raise Http404("No such article")


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _visible_article(request, slug)
    sort = request.GET.get("sort", selectors.Sort.OLDEST)
    page = selectors.thread_page(
        article_id=article.pk, user=request.user, sort=sort, cursor=request.GET.get("after")
    )
    return render(
        request,
        "comments/article_detail.html",
        {
            "article": article,
            "page": page,
            "form": CommentForm(),
            "comments_open": article.comments_open(),
            "sorts": selectors.Sort.CHOICES,
        },
    )


@require_POST
@login_required
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    article = _visible_article(request, slug)
    form = CommentForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("body", []) + form.errors.get("parent", []):
            messages.error(request, error)
        return redirect(f"{article.get_absolute_url()}#respond")
    parent = None
    if form.cleaned_data["parent"]:
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
        if parent is None:
            messages.error(request, "The comment you replied to does not exist.")
            return redirect(f"{article.get_absolute_url()}#respond")
    try:
        comment = services.comment_post(
            author=request.user,
            article=article,
            body=form.cleaned_data["body"],
            parent=parent,
            ip=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            now=timezone.now(),
        )
    except services.CommentError as exc:
        messages.error(request, str(exc))
        return redirect(f"{article.get_absolute_url()}#respond")
    if comment.status == CommentStatus.PUBLISHED:
        messages.success(request, "Your comment is published.")
    elif comment.status == CommentStatus.PENDING:
        messages.info(request, "Thanks. Your comment will appear once a moderator has reviewed it.")
    else:
        messages.error(request, "Your comment was not published: it breaks our guidelines.")
    return redirect(comment.get_absolute_url())


def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the article at this comment, on whichever page its thread is."""
    comment = get_object_or_404(Comment.objects.select_related("article", "root"), pk=pk)
    article = _visible_article(request, comment.article.slug)
    root = comment.root or comment
    # Start the page with this thread: a cursor just before its root (oldest first).
    cursor = selectors.encode_cursor(root, selectors.Sort.OLDEST)
    key, _ = cursor.split(".")
    url = reverse("article", kwargs={"slug": article.slug})
    return redirect(f"{url}?after={key}.{root.pk - 1}#c{comment.pk}")
