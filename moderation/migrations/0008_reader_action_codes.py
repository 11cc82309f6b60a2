# Action codes for editors' picks (issue 16): featuring a comment and taking
# the pick back are audited, so the log's constraint learns the two codes.
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0007_due_process"),
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
            field=models.CharField(
                choices=[
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
                    (
                        "moderation.appeal.overturned",
                        "Appeal granted, decision overturned",
                    ),
                    ("moderation.decision.undone", "Decision undone"),
                    ("legal.hold.placed", "Legal hold placed"),
                    ("legal.hold.released", "Legal hold released"),
                    ("legal.hold.exported", "History exported for a legal hold"),
                    ("editorial.comment.featured", "Featured as an editors' pick"),
                    ("editorial.comment.unfeatured", "Editors' pick taken back"),
                ],
                max_length=64,
            ),
        ),
        migrations.AddConstraint(
            model_name="moderationaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "action__in",
                        [
                            "moderation.comment.approved",
                            "moderation.comment.rejected",
                            "moderation.comment.removed",
                            "moderation.comment.restored",
                            "moderation.reports.dismissed",
                            "moderation.comment.held",
                            "moderation.comment.rejected_by_rule",
                            "moderation.comment.hidden_by_reports",
                            "comment.deleted_by_author",
                            "comment.edited",
                            "moderation.user.banned",
                            "moderation.user.suspended",
                            "moderation.user.premoderated",
                            "moderation.user.sanction_lifted",
                            "moderation.user.noted",
                            "moderation.wordlist.added",
                            "moderation.wordlist.removed",
                            "import.disqus",
                            "moderation.model.trained",
                            "moderation.model.activated",
                            "moderation.model.rolled_back",
                            "moderation.model.mode_changed",
                            "moderation.people.variant_added",
                            "moderation.comment.held_for_people",
                            "account.role.granted",
                            "account.role.revoked",
                            "moderation.appeal.filed",
                            "moderation.appeal.upheld",
                            "moderation.appeal.overturned",
                            "moderation.decision.undone",
                            "legal.hold.placed",
                            "legal.hold.released",
                            "legal.hold.exported",
                            "editorial.comment.featured",
                            "editorial.comment.unfeatured",
                        ],
                    )
                ),
                name="modaction_action_valid",
            ),
        ),
    ]
