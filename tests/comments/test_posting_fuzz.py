"""Whatever arrives in the posting form, the answer is never a 500 and nothing
malformed is stored: random Unicode (surrogates, nulls, controls, bidi marks,
huge texts, floods of newlines), HTML and random or forged parent ids."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from comments.models import Comment
from comments.services import comment_post
from comments.text import normalize_body

pytestmark = pytest.mark.django_db

bodies = st.one_of(
    st.text(st.characters(codec=None), max_size=400),  # includes lone surrogates
    st.text(st.sampled_from("\x00\n\r\t \u202e\u2066\ufeff<>&\"'/ab یہ"), max_size=400),
    st.builds(lambda n: "\n" * n + "x" + "\n" * n, st.integers(0, 5000)),
    st.builds(lambda n: "ب" * n, st.integers(django_settings.COMMENT_MAX_LENGTH - 2, 13000)),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            '<img src=x onerror="alert(1)">',
            'javascript:alert(1) http://x.test/"><b>',
        ]
    ),
)
parents = st.one_of(
    st.none(),
    st.integers(-(2**70), 2**70).map(str),
    st.text(max_size=20),
    st.sampled_from(["existing", "other-article", "removed"]),
)


@hsettings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=bodies, parent=parents)
def test_posting_form_never_fails_and_stores_only_clean_text(
    client, settings, reader, other_reader, article, body, parent
):
    from comments.services import comment_delete
    from tests.factories import ArticleFactory, comment_form

    settings.MODERATION_FLOOD_LIMIT = 10**6
    # Forty posts in a few seconds from one reader: the rate limit is not under test.
    settings.RATE_LIMITS = {}
    client.force_login(reader)
    # Examples share one database transaction, so the parents are made once.
    existing = Comment.objects.filter(body="A parent to answer").first() or comment_post(
        author=other_reader, article=article, body="A parent to answer"
    )
    elsewhere = Comment.objects.filter(body="A comment elsewhere").first() or comment_post(
        author=other_reader, article=ArticleFactory(), body="A comment elsewhere"
    )
    gone = Comment.objects.filter(body="Soon deleted").first()
    if gone is None:
        gone = comment_post(author=other_reader, article=article, body="Soon deleted")
        comment_delete(comment=gone, by=other_reader)
    known = {"existing": existing.pk, "other-article": elsewhere.pk, "removed": gone.pk}
    before = set(Comment.objects.values_list("pk", flat=True))

    data = comment_form(body)
    if parent is not None:
        data["parent"] = known.get(parent, parent)
    # Lone surrogates cannot travel as UTF-8; a browser would send replacement bytes.
    encoded = {
        k: str(v).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        for k, v in data.items()
    }
    response = client.post(reverse("comments:post", args=[article.slug]), encoded)

    # A null byte anywhere is refused before the view (core.middleware); else the
    # view answers with a redirect and a message.
    assert response.status_code == (400 if "\x00" in "".join(encoded.values()) else 302)
    new = list(Comment.objects.exclude(pk__in=before))
    assert len(new) <= 1
    for comment in new:
        assert comment.article_id == article.pk
        assert comment.body == normalize_body(comment.body)
        assert comment.body.strip()
        assert len(comment.body) <= django_settings.COMMENT_MAX_LENGTH
        assert "\x00" not in comment.body
        assert "<script" not in comment.body_html and "<img" not in comment.body_html
        assert comment.parent_id in {None, existing.pk}
        if comment.parent_id:
            assert comment.depth == 1 and comment.root_id == existing.pk
