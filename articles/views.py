from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from articles import selectors
from articles.models import Section

PAGE_SIZE = 12


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.article_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/home.html", {"page": page})


@require_safe
def section(request: HttpRequest, slug: str) -> HttpResponse:
    sec = get_object_or_404(Section, slug=slug)
    page = Paginator(selectors.article_list(section=sec), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "articles/section.html", {"section": sec, "page": page})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = selectors.clean_query(request.GET.get("q", ""))
    results = selectors.article_search(query) if query else None
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page")) if results else None
    return render(
        request,
        "articles/search.html",
        # The query rides along on the pager's links, encoded.
        {"query": query, "page": page, "extra": "&" + urlencode({"q": query})},
    )
