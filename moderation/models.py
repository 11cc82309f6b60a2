from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from comments.models import Comment, ReasonCategory

# A reader reports a comment for the reasons a moderator rejects or removes one:
# one list, so a report's reason and the decision it leads to speak the same words.
ReportReason = ReasonCategory

# What one report can weigh toward hiding a comment (comments.services.report_weight
# gives it; REPORT_HIDE_THRESHOLD is reached by the sum of the open reports' weights).
REPORT_WEIGHT_MAX = Decimal("2.00")


class Report(models.Model):
    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_filed"
    )
    reason = models.CharField(max_length=32, choices=ReportReason.choices)
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a moderator decides the comment; open reports feed the Reported tab.
    resolved_at = models.DateTimeField(null=True, blank=True)
    # How much this report counts toward hiding the comment, from the reporter's
    # standing when they filed it (comments.services.report_weight): 0 for a new
    # account with no record, 1 for an established reader.
    weight = models.DecimalField(max_digits=3, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reporter", "comment"], name="report_once"),
            models.CheckConstraint(
                condition=models.Q(reason__in=ReportReason.values), name="report_reason_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=REPORT_WEIGHT_MAX),
                name="report_weight_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["comment", "created_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="report_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Report by {self.reporter_id} on comment {self.comment_id}: {self.reason}"


class ActionCode(models.TextChoices):
    """Every kind of entry in the audit log: written by moderation.audit.record,
    filtered on by the audit screen and the dashboard. One list, so a new act
    cannot be logged under a code the screens do not know."""

    # A moderator decides a comment.
    APPROVED = "moderation.comment.approved", _("Approved")
    REJECTED = "moderation.comment.rejected", _("Rejected")
    REMOVED = "moderation.comment.removed", _("Removed")
    RESTORED = "moderation.comment.restored", _("Restored")
    REPORTS_DISMISSED = "moderation.reports.dismissed", _("Kept, reports dismissed")
    # The system: screening holds or rejects, reports hide.
    HELD = "moderation.comment.held", _("Held by screening")
    REJECTED_BY_RULE = "moderation.comment.rejected_by_rule", _("Rejected by screening")
    HIDDEN_BY_REPORTS = "moderation.comment.hidden_by_reports", _("Hidden after reports")
    # The author withdraws their comment, or edits it (the text it replaces is kept
    # as a comments.CommentRevision).
    DELETED_BY_AUTHOR = "comment.deleted_by_author", _("Deleted by its author")
    EDITED = "comment.edited", _("Edited by its author")
    # Accounts.
    USER_BANNED = "moderation.user.banned", _("User banned")
    USER_SUSPENDED = "moderation.user.suspended", _("User suspended")
    USER_PREMODERATED = "moderation.user.premoderated", _("User premoderated")
    SANCTION_LIFTED = "moderation.user.sanction_lifted", _("Sanction lifted")
    USER_NOTED = "moderation.user.noted", _("Note about a user")
    # Word lists and imports.
    WORD_ADDED = "moderation.wordlist.added", _("Word listed")
    WORD_REMOVED = "moderation.wordlist.removed", _("Word unlisted")
    IMPORT_DISQUS = "import.disqus", _("Disqus import")
    # The moderation model (moderation.textmodel): versions trained, switched on,
    # rolled back, and its mode or threshold changed.
    MODEL_TRAINED = "moderation.model.trained", _("Model version trained")
    MODEL_ACTIVATED = "moderation.model.activated", _("Model version activated")
    MODEL_ROLLED_BACK = "moderation.model.rolled_back", _("Model version rolled back")
    MODEL_MODE_CHANGED = "moderation.model.mode_changed", _("Model mode or threshold changed")
    # People in the story (articles.people): a spelling added from the queue, and a
    # published comment a newly listed name or spelling matches, taken back for review.
    PEOPLE_VARIANT_ADDED = "moderation.people.variant_added", _("Spelling of a listed person added")
    HELD_FOR_PEOPLE = "moderation.comment.held_for_people", _("Held: a newly listed name matches")
    # Roles (accounts.rolechanges): who made whom an editor, moderator or admin.
    ROLE_GRANTED = "account.role.granted", _("Role granted")
    ROLE_REVOKED = "account.role.revoked", _("Role revoked")
    # Appeals (moderation.services.appeals): an author appeals a decision, and
    # another moderator upholds or overturns it.
    APPEAL_FILED = "moderation.appeal.filed", _("Appeal filed")
    APPEAL_UPHELD = "moderation.appeal.upheld", _("Appeal refused, decision upheld")
    APPEAL_OVERTURNED = "moderation.appeal.overturned", _("Appeal granted, decision overturned")
    # A moderator takes back their own decision within the undo window.
    DECISION_UNDONE = "moderation.decision.undone", _("Decision undone")
    # Legal holds (moderation.services.holds): recorded, released, exported.
    LEGAL_HOLD_PLACED = "legal.hold.placed", _("Legal hold placed")
    LEGAL_HOLD_RELEASED = "legal.hold.released", _("Legal hold released")
    LEGAL_HOLD_EXPORTED = "legal.hold.exported", _("History exported for a legal hold")
    # Editors' picks (comments.services.comment_feature): an editor or a moderator
    # features a published comment, or takes the pick back.
    COMMENT_FEATURED = "editorial.comment.featured", _("Featured as an editors' pick")
    COMMENT_UNFEATURED = "editorial.comment.unfeatured", _("Editors' pick taken back")


# A moderator's decision on a comment: the dashboard counts these per moderator
# and measures the time from submission to the first of them.
DECISION_CODES = (
    ActionCode.APPROVED,
    ActionCode.REJECTED,
    ActionCode.REMOVED,
    ActionCode.RESTORED,
    ActionCode.REPORTS_DISMISSED,
)


# The decisions a moderator can undo for a while after making them.
UNDOABLE_CODES = frozenset(
    {ActionCode.APPROVED, ActionCode.REJECTED, ActionCode.REMOVED, ActionCode.RESTORED}
)


class ModerationAction(models.Model):
    """The audit log: one row per moderation act. Append-only (a trigger refuses
    UPDATE and DELETE), so the trail cannot be rewritten, even from the admin."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_actions",
        help_text=_("Empty for the system (screening rules)."),
    )
    action = models.CharField(max_length=64, choices=ActionCode.choices)
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_actions_received",
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason = models.CharField(max_length=32, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=ActionCode.values), name="modaction_action_valid"
            )
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="modaction_created_idx"),
            models.Index(fields=["actor", "-created_at"], name="modaction_actor_idx"),
            models.Index(fields=["comment", "-created_at"], name="modaction_comment_idx"),
            models.Index(fields=["target_user", "-created_at"], name="modaction_user_idx"),
            models.Index(fields=["action", "-created_at"], name="modaction_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id or 'system'} at {self.created_at:%Y-%m-%d %H:%M}"


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    UPHELD = "upheld", _("Decision upheld")
    OVERTURNED = "overturned", _("Decision overturned")


class AppealQuerySet(models.QuerySet["Appeal"]):
    def waiting(self) -> AppealQuerySet:
        return self.filter(status=AppealStatus.OPEN)


class Appeal(models.Model):
    """An author's appeal of the decision that rejected or removed their comment:
    one per comment, decided by a moderator other than the one who made the
    decision. Written only by moderation.services.appeals."""

    comment = models.OneToOneField(
        "comments.Comment", on_delete=models.PROTECT, related_name="appeal"
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals"
    )
    # The audit entry of the decision appealed: who decided, when, and why.
    decision = models.ForeignKey(ModerationAction, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why it was upheld or overturned, as the author is told it.
    outcome_note = models.TextField(max_length=2000, blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AppealStatus.values), name="appeal_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status=AppealStatus.OPEN)
                    & models.Q(decided_by__isnull=True, decided_at__isnull=True)
                )
                | (
                    ~models.Q(status=AppealStatus.OPEN)
                    & models.Q(decided_by__isnull=False, decided_at__isnull=False)
                    & ~models.Q(outcome_note="")
                ),
                name="appeal_decided_when_closed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(status="open"),
                name="appeal_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Appeal of comment {self.comment_id} ({self.status})"


class LegalRequestKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    COURT_ORDER = "court_order", _("Court order")
    REGULATOR = "regulator_notice", _("Regulator notice")


class HoldScope(models.TextChoices):
    COMMENTS = "comments", _("Some comments")
    USER = "user", _("Everything a user wrote")
    ARTICLE = "article", _("Every comment on an article")


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def active(self) -> LegalHoldQuerySet:
        return self.filter(released_at__isnull=True)


def comments_under_hold() -> models.Q:
    """A Comment filter: the comments some active legal hold covers (named, by
    their author, or by their article). The one definition, used wherever text or
    data could be purged, anonymised or deleted."""
    active = models.Q(released_at__isnull=True)
    return (
        models.Q(models.Exists(LegalHold.objects.filter(active, comments=models.OuterRef("pk"))))
        | models.Q(
            models.Exists(
                LegalHold.objects.filter(
                    active, scope=HoldScope.USER, user=models.OuterRef("author")
                )
            )
        )
        | models.Q(
            models.Exists(
                LegalHold.objects.filter(
                    active, scope=HoldScope.ARTICLE, article=models.OuterRef("article")
                )
            )
        )
    )


def user_under_hold(user: User) -> bool:
    """Whether an active legal hold covers the user or anything they wrote: their
    account must then not be deleted or anonymised."""
    from_user = LegalHold.objects.active().filter(scope=HoldScope.USER, user=user).exists()
    return from_user or Comment.objects.filter(comments_under_hold(), author=user).exists()


class LegalHold(models.Model):
    """A legal request (complaint, court order, regulator notice) and the scope it
    freezes: while it stands, nothing in its scope is purged, anonymised or
    hard-deleted. Written only by moderation.services.holds."""

    kind = models.CharField(max_length=20, choices=LegalRequestKind.choices)
    reference = models.CharField(max_length=200)
    received_on = models.DateField()
    requester = models.CharField(max_length=200)
    note = models.TextField(max_length=4000, blank=True)
    scope = models.CharField(max_length=12, choices=HoldScope.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comments = models.ManyToManyField("comments.Comment", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=LegalRequestKind.values), name="legalhold_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(scope=HoldScope.COMMENTS, user__isnull=True, article__isnull=True)
                    | models.Q(scope=HoldScope.USER, user__isnull=False, article__isnull=True)
                    | models.Q(scope=HoldScope.ARTICLE, user__isnull=True, article__isnull=False)
                ),
                name="legalhold_scope_matches",
            ),
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True, released_by__isnull=True)
                | models.Q(released_at__isnull=False, released_by__isnull=False),
                name="legalhold_released_by_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.reference} ({self.get_scope_display()})"


class SanctionKind(models.TextChoices):
    BAN = "ban", _("Ban")
    SUSPEND = "suspend", _("Suspend")
    PREMODERATE = "premoderate", _("Always premoderate")


class SanctionQuerySet(models.QuerySet["Sanction"]):
    def in_force(self, now: datetime) -> SanctionQuerySet:
        """Sanctions in force at `now`: not lifted, and not run out. The one
        definition, used by screening (may they post?) and by comments.access
        (may they report or recommend?)."""
        return self.filter(lifted_at__isnull=True).filter(
            models.Q(until__isnull=True) | models.Q(until__gt=now)
        )


class Sanction(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=16, choices=SanctionKind.choices)
    until = models.DateTimeField(null=True, blank=True, help_text=_("Empty: until lifted."))
    reason = models.CharField(max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SanctionKind.values), name="sanction_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=SanctionKind.SUSPEND) | models.Q(until__isnull=False),
                name="sanction_suspend_has_until",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(lifted_at__isnull=True),
                name="sanction_active_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of user {self.user_id}"


class WordListKind(models.TextChoices):
    BLOCK = "block", _("Block (reject)")
    HOLD = "hold", _("Hold for review")


class WordListEntry(models.Model):
    term = models.CharField(max_length=100)
    # The term as screening compares it (moderation.textfold.fold: case, width, Urdu
    # letter forms, diacritics, Roman Urdu spellings), so two terms screening cannot
    # tell apart are one entry.
    normalized = models.CharField(max_length=100, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=WordListKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("word list entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=WordListKind.values), name="wordlist_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.kind})"


class ModelMode(models.TextChoices):
    """What the active moderation model may do with a comment it scores."""

    SHADOW = "shadow", _("Shadow: score and record, hold nothing")
    HOLD = "hold", _("Hold: hold comments scored at or above the threshold")


class ModelSource(models.TextChoices):
    """What a model version learned from."""

    DECISIONS = "decisions", _("Moderators' decisions")
    CORPUS = "corpus", _("The bundled corpus")


class ModelVersion(models.Model):
    """One trained version of the moderation model (moderation.textmodel): what it
    learned from, how it did on the decisions held out from its training, and the
    model itself. At most one version is active; screening scores every comment with
    it (moderation.scoring), and in hold mode a score at or above `threshold` holds
    the comment for a moderator. Written only by moderation.services.models."""

    created_at = models.DateTimeField(default=timezone.now)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the system (the retraining task, the demo)."),
    )
    source = models.CharField(max_length=16, choices=ModelSource.choices)
    # The decisions it learned from (held-out slice included); empty for the corpus.
    decisions_from = models.DateTimeField(null=True, blank=True)
    decisions_until = models.DateTimeField(null=True, blank=True)
    # moderation.textmodel.train.Settings, and whether the corpus was added.
    training_settings = models.JSONField(default=dict)
    # Figures on the held-out slice (moderation.textmodel.train.measure), and the
    # comparison with the version that was active when it was trained.
    metrics = models.JSONField(default=dict)
    # The held-out slice's scores, labels and languages: the evaluation page redraws
    # its figures from them at the threshold in force.
    holdout = models.JSONField(default=dict)
    # The model as a NumPy archive of plain arrays (moderation.textmodel.model), read
    # with allow_pickle=False: loading it runs no code, whoever wrote the row.
    artifact = models.BinaryField()
    artifact_sha256 = models.CharField(max_length=64)
    mode = models.CharField(max_length=8, choices=ModelMode.choices, default=ModelMode.SHADOW)
    threshold = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0.50"))
    is_active = models.BooleanField(default=False)
    activated_at = models.DateTimeField(null=True, blank=True)
    # The version that was active when this one was activated: where a rollback goes.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="modelversion_one_active",
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=ModelMode.values), name="modelversion_mode_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=ModelSource.values),
                name="modelversion_source_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(threshold__gt=0, threshold__lt=1),
                name="modelversion_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Model version {self.pk}"


__all__ = [
    "DECISION_CODES",
    "REPORT_WEIGHT_MAX",
    "UNDOABLE_CODES",
    "ActionCode",
    "Appeal",
    "AppealQuerySet",
    "AppealStatus",
    "HoldScope",
    "LegalHold",
    "LegalHoldQuerySet",
    "LegalRequestKind",
    "ModelMode",
    "ModelSource",
    "ModelVersion",
    "ModerationAction",
    "ReasonCategory",
    "Report",
    "ReportReason",
    "Sanction",
    "SanctionKind",
    "SanctionQuerySet",
    "WordListEntry",
    "WordListKind",
    "comments_under_hold",
    "user_under_hold",
]
