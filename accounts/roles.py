"""The site's roles: Django groups and the permissions each one carries.

One mapping, used by the data migrations that create the groups and by the
`grant_role` command, so a role means the same thing everywhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
MODERATORS = "Moderators"

ROLE_GROUPS = {"editor": EDITORS, "moderator": MODERATORS}

# (app_label, codename)
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    EDITORS: [
        ("articles", "view_article"),
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "publish_article"),
        ("articles", "view_section"),
        ("comments", "feature_comment"),
    ],
    MODERATORS: [
        ("comments", "view_comment"),
        ("comments", "moderate_comment"),
        ("comments", "feature_comment"),
        ("moderation", "view_moderationaction"),
        ("moderation", "view_report"),
        ("moderation", "view_sanction"),
        ("moderation", "add_sanction"),
        ("moderation", "change_sanction"),
        ("moderation", "view_wordlistentry"),
        ("moderation", "add_wordlistentry"),
        ("moderation", "change_wordlistentry"),
        ("moderation", "delete_wordlistentry"),
    ],
}


def sync_role_groups(apps: Any) -> None:
    """Create the role groups and give them exactly their permissions.

    Takes the migration's app registry so it works at any point in history;
    permissions are created first because post_migrate has not run yet.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = []
        for app_label, codename in perms:
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
