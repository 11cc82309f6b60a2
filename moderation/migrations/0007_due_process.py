# Appeals, statements of reasons, undo and legal holds (issue 14): the new audit
# codes (edits, role changes) join the constraint, as 0006 did for its codes.
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
]


class Migration(migrations.Migration):
    dependencies = [("moderation", "0006_people_action_codes")]

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
    ]
