from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts import rolechanges
from accounts.roles import EDITORS, MODERATORS
from moderation.models import ActionCode, ModerationAction

pytestmark = pytest.mark.django_db


def test_role_groups_exist_with_their_permissions():
    editors = Group.objects.get(name=EDITORS)
    moderators = Group.objects.get(name=MODERATORS)
    assert editors.permissions.filter(codename="publish_article").exists()
    assert moderators.permissions.filter(codename="moderate_comment").exists()
    assert not editors.permissions.filter(codename="moderate_comment").exists()


def _role_entries(user):
    return list(
        ModerationAction.objects.filter(target_user=user)
        .order_by("id")
        .values_list("action", "actor_id", "reason")
    )


def test_grant_role_command_makes_a_reader_a_moderator_and_logs_the_admin(reader, admin_user):
    assert not reader.is_moderator
    call_command("grant_role", "SANA@example.com", "moderator", "--by", admin_user.email)
    reader.refresh_from_db()
    del reader._perm_cache, reader._user_perm_cache, reader._group_perm_cache
    assert reader.is_moderator
    assert _role_entries(reader) == [(ActionCode.ROLE_GRANTED, admin_user.pk, "moderator")]


def test_grant_role_admin_and_revoke_each_write_an_audit_row(reader, admin_user):
    call_command("grant_role", reader.email, "admin", "--by", admin_user.email)
    reader.refresh_from_db()
    assert reader.is_superuser and reader.is_staff
    call_command("grant_role", reader.email, "admin", "--revoke", "--by", admin_user.email)
    reader.refresh_from_db()
    assert not reader.is_superuser
    assert _role_entries(reader) == [
        (ActionCode.ROLE_GRANTED, admin_user.pk, "admin"),
        (ActionCode.ROLE_REVOKED, admin_user.pk, "admin"),
    ]


def test_grant_role_needs_the_acting_admin(reader, moderator):
    with pytest.raises(CommandError, match="--by"):
        call_command("grant_role", reader.email, "editor")
    with pytest.raises(CommandError, match="Only an admin"):
        call_command("grant_role", reader.email, "editor", "--by", moderator.email)
    assert not reader.groups.exists()
    assert _role_entries(reader) == []


def test_a_role_already_held_is_not_logged_again(reader, admin_user):
    now = timezone.now()
    assert rolechanges.role_grant(user=reader, role="editor", by=admin_user, now=now)
    assert not rolechanges.role_grant(user=reader, role="editor", by=admin_user, now=now)
    assert len(_role_entries(reader)) == 1


def test_an_admin_cannot_revoke_their_own_admin_role(admin_user):
    with pytest.raises(rolechanges.RoleError, match="own admin role"):
        rolechanges.role_revoke(user=admin_user, role="admin", by=admin_user, now=timezone.now())


def test_grant_role_to_unknown_email_fails_clearly(admin_user):
    with pytest.raises(CommandError, match="No user"):
        call_command("grant_role", "ghost@example.com", "editor", "--by", admin_user.email)


def test_roles_changed_in_the_django_admin_are_logged_with_the_admin(client, reader, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[reader.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="roles"' in page.content.decode()
    form = {
        "email": reader.email,
        "display_name": reader.display_name,
        "notify_replies": "on",
        "is_active": "on",
        "roles": ["moderator", "editor"],
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(rolechanges.user_roles(reader)) == {"editor", "moderator"}
    assert _role_entries(reader) == [
        (ActionCode.ROLE_GRANTED, admin_user.pk, "editor"),
        (ActionCode.ROLE_GRANTED, admin_user.pk, "moderator"),
    ]
    client.post(url, {**form, "roles": ["editor"]})
    assert rolechanges.user_roles(reader) == ["editor"]
    assert _role_entries(reader)[-1] == (ActionCode.ROLE_REVOKED, admin_user.pk, "moderator")


def test_staff_who_are_not_admins_see_roles_but_cannot_change_them(client, reader, editor):
    editor.is_staff = True
    editor.save(update_fields=["is_staff"])
    editor.user_permissions.add(
        Permission.objects.get(codename="change_user"), Permission.objects.get(codename="view_user")
    )
    client.force_login(editor)
    url = reverse("admin:accounts_user_change", args=[reader.pk])
    page = client.get(url).content.decode()
    assert 'name="roles"' not in page
    client.post(
        url,
        {"email": reader.email, "display_name": reader.display_name, "roles": ["admin"]},
    )
    reader.refresh_from_db()
    assert not reader.is_superuser and _role_entries(reader) == []


def test_display_name_is_unique_ignoring_case(reader):
    from django.db import IntegrityError

    from accounts.models import User

    with pytest.raises(IntegrityError):
        User.objects.create_user(email="x@example.com", display_name="SANA READER")
