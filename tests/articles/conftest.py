"""The desk's section and draft, shared by the desk's tests in both languages (a
module that needs other ones defines its own, which wins)."""

from __future__ import annotations

import pytest

from articles.models import ArticleStatus
from tests.factories import ArticleFactory, SectionFactory


@pytest.fixture
def section(db):
    return SectionFactory(name="News", slug="news")


@pytest.fixture
def draft(editor, section):
    return ArticleFactory(
        title="Work in progress",
        slug="work-in-progress",
        section=section,
        author=editor,
        status=ArticleStatus.DRAFT,
        published_at=None,
    )
