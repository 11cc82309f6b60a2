"""Factories for the models; services are used where a real write path exists."""

from __future__ import annotations

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from articles.models import Article, ArticleStatus, CommentsMode, Section
from articles.services import render_markdown
from core.languages import language_of


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Reader {n}")
    # As the account services set it (core.languages).
    display_name_lang = factory.LazyAttribute(lambda o: language_of(o.display_name))
    password = factory.django.Password("correct horse battery")
    # Established by default: screening holds a new account's first comments
    # (MODERATION_NEW_ACCOUNT_DAYS); tests of that rule pass date_joined=now.
    date_joined = factory.LazyFunction(lambda: timezone.now() - timedelta(days=365))

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "A standfirst."
    body = "Some *body* text."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    title_lang = factory.LazyAttribute(lambda o: language_of(o.title))
    standfirst_lang = factory.LazyAttribute(lambda o: language_of(o.standfirst))
    body_lang = factory.LazyAttribute(lambda o: language_of(o.body))
    language = factory.LazyAttribute(lambda o: language_of(f"{o.title}\n{o.standfirst}\n{o.body}"))
    author = factory.SubFactory(UserFactory)
    byline = "Staff reporter"
    section = factory.SubFactory(SectionFactory)
    status = ArticleStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    comments_mode = CommentsMode.OPEN


def comment_form(body: str = "", **fields) -> dict:
    """POST data for a comment form as the page renders it: the body plus the
    empty honeypot and a freshly signed time stamp (comments/forms.py)."""
    from comments.forms import HONEYPOT_FIELD, STAMP_FIELD, form_stamp

    return {"body": body, HONEYPOT_FIELD: "", STAMP_FIELD: form_stamp(), **fields}
