from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from comments.models import Comment


@login_required
def my_comments(request: HttpRequest) -> HttpResponse:
    comments = (
        Comment.objects.filter(author=request.user)
        .select_related("article")
        .order_by("-created_at", "-id")[:100]
    )
    return render(request, "accounts/my_comments.html", {"comments": comments})
