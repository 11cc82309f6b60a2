from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.languages import language_constraint, language_field


class CommentsMode(models.TextChoices):
    OPEN = "open", pgettext_lazy("comments mode", "Open")
    PREMODERATED = "premoderated", _("Premoderated (reviewed before they appear)")
    CLOSED = "closed", pgettext_lazy("comments mode", "Closed")


class Section(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(max_length=240, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    default_comments_mode = models.CharField(
        max_length=16, choices=CommentsMode.choices, default=CommentsMode.OPEN
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_comments_mode__in=CommentsMode.values),
                name="section_default_comments_mode_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self, now: datetime | None = None) -> ArticleQuerySet:
        """Articles a visitor may see: published, with a publication time now or past.

        A future published_at means scheduled: it appears by itself when the time comes.
        """
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__lte=now or timezone.now())

    def latest_first(self) -> ArticleQuerySet:
        return self.order_by("-published_at", "-id")


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    standfirst = models.CharField(max_length=400, blank=True)
    body = models.TextField(blank=True, help_text=_("Markdown"))
    body_html = models.TextField(blank=True, editable=False)
    # Each text's language by its dominant script, and the piece's as a whole (the
    # page reads right-to-left when it is Urdu); set with the texts by
    # articles.services (core.languages).
    title_lang = language_field()
    standfirst_lang = language_field()
    body_lang = language_field()
    language = language_field()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    byline = models.CharField(max_length=120, blank=True)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    status = models.CharField(
        max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set when a published piece is edited; shown to readers as "Updated ...".
    content_updated_at = models.DateTimeField(null=True, blank=True)
    comments_mode = models.CharField(
        max_length=16, choices=CommentsMode.choices, default=CommentsMode.OPEN
    )
    comments_close_at = models.DateTimeField(null=True, blank=True)
    # Days after publication that comments stay open; empty means the site default
    # (settings.COMMENTS_CLOSE_AFTER_DAYS), 0 means never closing.
    comments_close_after_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Denormalised: published comments, kept by the comment and moderation services.
    comment_count = models.PositiveIntegerField(default=0)
    search_vector = SearchVectorField(null=True, editable=False)
    # Moves whenever the people listed for this article (or site-wide) change: screening
    # keeps each article's compiled name matcher under (id, people_version), so the
    # article row a post already reads says whether the matcher is current.
    people_version = models.PositiveIntegerField(default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ArticleStatus.values), name="article_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(comments_mode__in=CommentsMode.values),
                name="article_comments_mode_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ArticleStatus.PUBLISHED)
                | models.Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            language_constraint("title_lang", "article_title_lang_valid"),
            language_constraint("standfirst_lang", "article_standfirst_lang_valid"),
            language_constraint("body_lang", "article_body_lang_valid"),
            language_constraint("language", "article_language_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_pub_idx"),
            models.Index(
                fields=["section", "status", "-published_at", "-id"],
                name="article_section_pub_idx",
            ),
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            # The desk's drafts list: most recently touched first.
            models.Index(fields=["status", "-updated_at", "-id"], name="article_status_upd_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article", kwargs={"slug": self.slug})

    def is_visible(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
        )

    def is_scheduled(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at > now
        )

    @property
    def slug_frozen(self) -> bool:
        """Once a piece is published or scheduled its address is public: the slug stays."""
        return self.published_at is not None

    def comments_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.comments_mode == CommentsMode.CLOSED:
            return False
        return not (self.comments_close_at and self.comments_close_at <= now)


class ArticleEvent(models.Model):
    """The article log: one row per change made through articles.services and
    articles.people (who, when, what). Append-only: a trigger refuses UPDATE and
    DELETE. A change to the site-wide protected list belongs to no article."""

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="article_events"
    )
    action = models.CharField(max_length=40)  # e.g. "article.published"
    # {"field": {"before": ..., "after": ...}} for edits; publication times for the rest.
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["article", "-created_at", "-id"], name="articleevent_article_idx")
        ]

    def __str__(self) -> str:
        return f"{self.action} on {self.article_id} by {self.actor_id}"

    @property
    def verb(self) -> str:
        verb = EVENT_VERBS.get(self.action)
        return self.action if verb is None else str(verb)

    @property
    def role_words(self) -> dict[str, str]:
        """A role change in words ({"before": "protected", "after": "accused"}), for
        the desk's history; "" where there was no role."""
        change = self.changes.get("role") or {}
        return {side: role_word(change.get(side)) for side in ("before", "after")}


# What the desk's history says after the actor's name ("Sana published"). Lazy: the
# words are looked up in the reader's language when shown.
EVENT_VERBS: dict[str, Promise] = {
    "article.created": pgettext_lazy("article history", "created the draft"),
    "article.edited": pgettext_lazy("article history", "edited"),
    "article.published": pgettext_lazy("article history", "published"),
    "article.scheduled": pgettext_lazy("article history", "scheduled"),
    "article.unpublished": pgettext_lazy("article history", "unpublished"),
    "person.listed": pgettext_lazy("article history", "listed a person"),
    "person.changed": pgettext_lazy("article history", "changed a listed person"),
    "person.removed": pgettext_lazy("article history", "removed a listed person"),
    "person.variant_added": pgettext_lazy("article history", "added a spelling of a listed person"),
    "person.variant_removed": pgettext_lazy(
        "article history", "removed a spelling of a listed person"
    ),
}


# ---------------------------------------------------------------- people in the story


class PersonRole(models.TextChoices):
    """Why a person is listed. Protected: a survivor, complainant, minor, anyone a
    court or the newsroom shields; comments naming them are held (or refused).
    Accused: not convicted; comments asserting their guilt are held. Public figure:
    named freely; listing one keeps a namesake from matching a protected person."""

    PROTECTED = "protected", _("Protected (survivor, complainant, minor, shielded by a court)")
    ACCUSED = "accused", _("Accused (not convicted)")
    PUBLIC_FIGURE = "public_figure", _("Public figure")


# A role in a word or two, inside a sentence ("Listed Ayesha Khan (protected).").
ROLE_WORDS: dict[str, Promise] = {
    PersonRole.PROTECTED: pgettext_lazy("person role", "protected"),
    PersonRole.ACCUSED: pgettext_lazy("person role", "accused"),
    PersonRole.PUBLIC_FIGURE: pgettext_lazy("person role", "public figure"),
}


def role_word(role: object) -> str:
    """`role` (a PersonRole value) in words, in the current language; "" for none."""
    if not isinstance(role, str) or not role:
        return ""
    word = ROLE_WORDS.get(role)
    return role if word is None else str(word)


class Person(models.Model):
    """A person the newsroom lists: for one article, or, with no article, on the
    site-wide protected list (names that must never appear anywhere, for example
    under a court order). Written only by articles.people; never shown to readers."""

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=16, choices=PersonRole.choices)
    # For the newsroom: why (a court order's reference, "the complainant's sister").
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=PersonRole.values), name="person_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(article__isnull=False) | models.Q(role=PersonRole.PROTECTED),
                name="person_site_wide_is_protected",
            ),
            models.UniqueConstraint(
                Lower("name"), "article", name="person_listed_once", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    @property
    def site_wide(self) -> bool:
        return self.article_id is None


class PersonVariant(models.Model):
    """Another way a listed person's name is written: a spelling, the name in Urdu
    script, a nickname, initials with the surname."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="variants")
    text = models.CharField(max_length=120)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("text"), "person", name="person_variant_once")]

    def __str__(self) -> str:
        return self.text
