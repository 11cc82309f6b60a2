from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.roles import EDITORS, MODERATORS

pytestmark = pytest.mark.django_db


def test_role_groups_exist_with_their_permissions():
    editors = Group.objects.get(name=EDITORS)
    moderators = Group.objects.get(name=MODERATORS)
    assert editors.permissions.filter(codename="publish_article").exists()
    assert moderators.permissions.filter(codename="moderate_comment").exists()
    assert not editors.permissions.filter(codename="moderate_comment").exists()


def test_grant_role_command_makes_a_reader_a_moderator(reader):
    assert not reader.is_moderator
    call_command("grant_role", "SANA@example.com", "moderator")
    reader.refresh_from_db()
    del reader._perm_cache, reader._user_perm_cache, reader._group_perm_cache
    assert reader.is_moderator


def test_grant_role_admin_and_revoke(reader):
    call_command("grant_role", reader.email, "admin")
    reader.refresh_from_db()
    assert reader.is_superuser and reader.is_staff
    call_command("grant_role", reader.email, "admin", "--revoke")
    reader.refresh_from_db()
    assert not reader.is_superuser


def test_grant_role_to_unknown_email_fails_clearly():
    with pytest.raises(CommandError, match="No user"):
        call_command("grant_role", "ghost@example.com", "editor")


def test_display_name_is_unique_ignoring_case(reader):
    from django.db import IntegrityError

    from accounts.models import User

    with pytest.raises(IntegrityError):
        User.objects.create_user(email="x@example.com", display_name="SANA READER")
