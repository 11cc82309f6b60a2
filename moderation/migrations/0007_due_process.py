# Appeals, statements of reasons, undo and legal holds (issue 14): the new audit
# codes (edits, role changes, appeals) join the constraint, as 0006 did for its
# codes, and appeals get their table.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

CODES = [
    ("moderation.comment.approved", "Approved"),
    ("moderation.comment.rejected", "Rejected"),
    ("moderation.comment.removed", "Removed"),
    ("moderation.comment.restored", "Restored"),
    ("moderation.reports.dismissed", "Kept, reports dismissed"),
    ("moderation.comment.held", "Held by screening"),
    ("moderation.comment.rejected_by_rule", "Rejected by screening"),
    ("moderation.comment.hidden_by_reports", "Hidden after reports"),
    ("comment.deleted_by_author", "Deleted by its author"),
    ("comment.edited", "Edited by its author"),
    ("moderation.user.banned", "User banned"),
    ("moderation.user.suspended", "User suspended"),
    ("moderation.user.premoderated", "User premoderated"),
    ("moderation.user.sanction_lifted", "Sanction lifted"),
    ("moderation.user.noted", "Note about a user"),
    ("moderation.wordlist.added", "Word listed"),
    ("moderation.wordlist.removed", "Word unlisted"),
    ("import.disqus", "Disqus import"),
    ("moderation.model.trained", "Model version trained"),
    ("moderation.model.activated", "Model version activated"),
    ("moderation.model.rolled_back", "Model version rolled back"),
    ("moderation.model.mode_changed", "Model mode or threshold changed"),
    ("moderation.people.variant_added", "Spelling of a listed person added"),
    ("moderation.comment.held_for_people", "Held: a newly listed name matches"),
    ("account.role.granted", "Role granted"),
    ("account.role.revoked", "Role revoked"),
    ("moderation.appeal.filed", "Appeal filed"),
    ("moderation.appeal.upheld", "Appeal refused, decision upheld"),
    ("moderation.appeal.overturned", "Appeal granted, decision overturned"),
    ("moderation.decision.undone", "Decision undone"),
    ("legal.hold.placed", "Legal hold placed"),
    ("legal.hold.released", "Legal hold released"),
    ("legal.hold.exported", "History exported for a legal hold"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_people_in_the_story"),
        ("comments", "0002_comment_revisions"),
        ("moderation", "0006_people_action_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="moderationaction",
            name="modaction_action_valid",
        ),
        migrations.AlterField(
            model_name="moderationaction",
            name="action",
            field=models.CharField(choices=CODES, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="moderationaction",
            constraint=models.CheckConstraint(
                condition=models.Q(("action__in", [code for code, _ in CODES])),
                name="modaction_action_valid",
            ),
        ),
        migrations.CreateModel(
            name="Appeal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("note", models.TextField(max_length=2000)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Waiting for a moderator"),
                            ("upheld", "Decision upheld"),
                            ("overturned", "Decision overturned"),
                        ],
                        default="open",
                        max_length=16,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("outcome_note", models.TextField(blank=True, max_length=2000)),
                (
                    "appellant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="appeals",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "comment",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="appeal",
                        to="comments.comment",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="moderation.moderationaction",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("status", "open")),
                        fields=["created_at", "id"],
                        name="appeal_open_idx",
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["open", "upheld", "overturned"])),
                        name="appeal_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("status", "open"),
                                ("decided_at__isnull", True),
                                ("decided_by__isnull", True),
                            ),
                            models.Q(
                                models.Q(("status", "open"), _negated=True),
                                ("decided_at__isnull", False),
                                ("decided_by__isnull", False),
                                models.Q(("outcome_note", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="appeal_decided_when_closed",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LegalHold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("complaint", "Complaint"),
                            ("court_order", "Court order"),
                            ("regulator_notice", "Regulator notice"),
                        ],
                        max_length=20,
                    ),
                ),
                ("reference", models.CharField(max_length=200)),
                ("received_on", models.DateField()),
                ("requester", models.CharField(max_length=200)),
                ("note", models.TextField(blank=True, max_length=4000)),
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("comments", "Some comments"),
                            ("user", "Everything a user wrote"),
                            ("article", "Every comment on an article"),
                        ],
                        max_length=12,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("released_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.AddField(
            model_name="legalhold",
            name="article",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="articles.article",
            ),
        ),
        migrations.AddField(
            model_name="legalhold",
            name="comments",
            field=models.ManyToManyField(blank=True, related_name="+", to="comments.comment"),
        ),
        migrations.AddField(
            model_name="legalhold",
            name="created_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="legalhold",
            name="released_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="legalhold",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="legalhold",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["complaint", "court_order", "regulator_notice"])),
                name="legalhold_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="legalhold",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("article__isnull", True), ("scope", "comments"), ("user__isnull", True)
                    ),
                    models.Q(("article__isnull", True), ("scope", "user"), ("user__isnull", False)),
                    models.Q(
                        ("article__isnull", False), ("scope", "article"), ("user__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="legalhold_scope_matches",
            ),
        ),
        migrations.AddConstraint(
            model_name="legalhold",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("released_at__isnull", True), ("released_by__isnull", True)),
                    models.Q(("released_at__isnull", False), ("released_by__isnull", False)),
                    _connector="OR",
                ),
                name="legalhold_released_by_whom",
            ),
        ),
    ]
