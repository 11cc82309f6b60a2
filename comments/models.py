from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.languages import language_constraint, language_field

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Width of one materialised-path segment: the comment id, zero-padded, so that a
# plain string sort of `path` gives parents before children and siblings in id
# (= posting) order.
PATH_SEGMENT_WIDTH = 12


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    REMOVED = "removed", _("Removed")
    DELETED_BY_AUTHOR = "deleted_by_author", _("Deleted by its author")


class ReasonCategory(models.TextChoices):
    """Why a moderator rejected or removed a comment; shown to its author."""

    SPAM = "spam", _("Spam")
    HARASSMENT = "harassment", _("Harassment or abuse")
    HATE = "hate", _("Hate")
    PERSONAL_INFORMATION = "personal_information", _("Personal information")
    DEFAMATION = "defamation", _("Defamation or false allegation")
    OFF_TOPIC = "off_topic", _("Off-topic")
    OTHER = "other", _("Other")


# The statement of reasons: what each reason means, in the words its author reads
# (the decision email, "My comments", the community guidelines). One list, so a
# moderator cannot give a reason the site does not explain.
REASON_EXPLANATIONS: dict[str, StrOrPromise] = {
    ReasonCategory.SPAM: _(
        "It advertises something or repeats itself, rather than taking part in the discussion."
    ),
    ReasonCategory.HARASSMENT: _(
        "It attacks, threatens or demeans a person instead of arguing with what they said."
    ),
    ReasonCategory.HATE: _(
        "It attacks people for who they are: their religion, sect, ethnicity, "
        "gender, sexuality or disability."
    ),
    ReasonCategory.PERSONAL_INFORMATION: _(
        "It shares private information: a phone number, an "
        "address, a CNIC number, private messages, or details that identify a survivor."
    ),
    ReasonCategory.DEFAMATION: _(
        "It states an accusation against a person as established fact, "
        "or adds allegations the reporting does not support. Defamation law applies to comments."
    ),
    ReasonCategory.OFF_TOPIC: _("It is not about the article or the discussion under it."),
    ReasonCategory.OTHER: _(
        "It breaks our community guidelines in another way; the moderator's note says how."
    ),
}


def reason_statements() -> list[tuple[str, str, str]]:
    """Every reason as (code, label, explanation), in the list's order."""
    return [
        (value, str(label), str(REASON_EXPLANATIONS[value]))
        for value, label in ReasonCategory.choices
    ]


class CommentQuerySet(models.QuerySet["Comment"]):
    """Who may see which comment is decided in comments/access.py, not here."""

    def published(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.PUBLISHED)


class Comment(models.Model):
    # article, root and author have no index of their own: each leads one of the
    # indexes in Meta (an index PostgreSQL uses for the column alone too), and
    # every insert wrote three more index entries for nothing.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.PROTECT, related_name="comments", db_index=False
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    # The top-level comment of this thread (itself for a top-level comment).
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    path = models.CharField(max_length=1024, db_collation="C", editable=False)
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments", db_index=False
    )
    # The author as a thread shows them: name, its language, and whether the name
    # links to a public profile. Copies the database keeps (triggers of migration
    # 0005, on every insert of a comment and every change to an account, whatever
    # makes it), so reading a whole thread joins no accounts: that join read every
    # account into a hash table on every uncached thread, a cost that grew with
    # sign-ups (14 of 16 ms of the 2,000-comment query with 16,000 accounts).
    # Written by the database only: what the ORM sends is replaced.
    author_name = models.CharField(max_length=40, default="", db_default="", editable=False)
    author_name_lang = language_field()
    author_public = models.BooleanField(default=False, db_default=False, editable=False)
    body = models.TextField()
    body_html = models.TextField()
    # The body's language by its dominant script, set with the body (core.languages).
    body_lang = language_field()
    status = models.CharField(
        max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    # Every screening rule that held or rejected it: [{"code", "match", "action", ...}].
    hold_reasons = models.JSONField(default=list, blank=True)
    reason_category = models.CharField(max_length=32, choices=ReasonCategory.choices, blank=True)
    note_to_author = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    recommend_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)
    # An editors' pick (a Pick row says who chose it and when; both are written
    # together by comments.services.comment_feature).
    is_featured = models.BooleanField(default=False)
    # Optimistic concurrency: every change bumps it; a decision names the version it saw.
    version = models.PositiveIntegerField(default=1)
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # Where it came from when imported (e.g. "disqus:123"); unique so imports are idempotent.
    # Unique (comment_import_ref_unique in Meta), looked up by equality only: a
    # constraint rather than unique=True, which adds a pattern index for LIKE.
    import_ref = models.CharField(max_length=64, null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        permissions = [
            ("moderate_comment", "Can approve, reject, remove and restore comments"),
            ("feature_comment", "Can feature comments"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CommentStatus.values), name="comment_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(reason_category="")
                | models.Q(reason_category__in=ReasonCategory.values),
                name="comment_reason_category_valid",
            ),
            models.CheckConstraint(
                condition=(models.Q(parent__isnull=True) & models.Q(depth=0))
                | (models.Q(parent__isnull=False) & models.Q(depth__gt=0)),
                name="comment_depth_matches_parent",
            ),
            language_constraint("body_lang", "comment_body_lang_valid"),
            language_constraint("author_name_lang", "comment_author_name_lang_valid"),
            models.UniqueConstraint(fields=["import_ref"], name="comment_import_ref_unique"),
        ]
        indexes = [
            # Keyset pages of top-level threads, per sort order.
            models.Index(
                fields=["article", "created_at", "id"],
                condition=models.Q(parent__isnull=True),
                name="comment_top_oldest_idx",
            ),
            models.Index(
                fields=["article", "-recommend_count", "-id"],
                condition=models.Q(parent__isnull=True),
                name="comment_top_recommended_idx",
            ),
            # A page's threads in one ordered read.
            models.Index(fields=["root", "path"], name="comment_root_path_idx"),
            models.Index(fields=["article", "path"], name="comment_article_path_idx"),
            # The moderation queue, by status and age.
            models.Index(fields=["status", "created_at", "id"], name="comment_status_created_idx"),
            models.Index(fields=["author", "-created_at", "-id"], name="comment_author_idx"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_id} on article {self.article_id}"

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def reason_explanation(self) -> str:
        """The reason it was rejected or removed, in plain words ("" when none)."""
        return str(REASON_EXPLANATIONS.get(self.reason_category, ""))


class CommentRevision(models.Model):
    """A comment's text before one of its edits: every edit appends the text it
    replaces, so what a comment said at any moment can be shown. Append-only (a
    trigger refuses DELETE, and any UPDATE but a redaction: migrations/
    0002_comment_revisions.py). Written only by moderation.lifecycle."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="revisions")
    # 1 is the text as first posted, 2 the text after the first edit, and so on.
    number = models.PositiveIntegerField()
    body = models.TextField()
    # The comment's status while this text stood, and when the text was written.
    status = models.CharField(max_length=20, choices=CommentStatus.choices)
    written_at = models.DateTimeField()
    # When an edit replaced it, and whether readers' reports were open then.
    replaced_at = models.DateTimeField(default=timezone.now)
    after_report = models.BooleanField(default=False)
    # Set, with the text blanked, when the text may no longer be kept (its author
    # deleted the comment and no legal hold covers it). Nothing else may change.
    redacted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "number"], name="revision_number_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=CommentStatus.values), name="revision_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(redacted_at__isnull=True) | models.Q(body=""),
                name="revision_redacted_is_blank",
            ),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of comment {self.comment_id}"


class Pick(models.Model):
    """An editors' pick: a comment an editor or a moderator featured, by whom and
    when. One per comment; written and taken back only by
    comments.services.comment_feature, with `Comment.is_featured` and an audit
    entry. Its own table, so the article page learns whether an article has picks
    in the article's own read (comments.views._visible_article)."""

    comment = models.OneToOneField(Comment, on_delete=models.PROTECT, related_name="pick")
    article = models.ForeignKey("articles.Article", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["article", "-created_at", "-id"], name="pick_article_idx")]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} picked by {self.by_id}"


class Recommendation(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="recommendations")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="recommendation_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} recommends comment {self.comment_id}"
