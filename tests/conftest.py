from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from accounts.roles import EDITORS, MODERATORS
from articles.models import CommentsMode
from comments.cache import recent_renderings
from comments.render import shared_items
from core import ratelimit
from tests.factories import ArticleFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache(db):
    # The default cache is a database table that transactional tests do not flush;
    # the renderings each process keeps in memory go with it.
    cache.clear()
    ratelimit.clear_counts()  # the database cache's counters have a table of their own
    recent_renderings.clear()
    shared_items.clear()  # and the comments' <li>s they were made of
    yield


@pytest.fixture(autouse=True)
def _interface_in_the_default_language():
    # The active language is per thread: a request in Urdu leaves it on after the
    # response (each request sets its own in LocaleMiddleware), so a service called
    # next in the same thread would speak Urdu. Every test starts from the default.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs seconds per user factory on a busy machine;
    # what tests check about passwords does not depend on the algorithm.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _instant_comment_forms(settings):
    # People take seconds to write a comment, tests and browser tests post at once;
    # tests of the "too fast" refusal (tests/security/test_spam.py) set it back.
    settings.COMMENT_FORM_MIN_SECONDS = 0


def role_group(name: str) -> Group:
    """The role's group. Transactional tests flush every table, taking the groups
    the data migration made with them, so a later test gets them back here."""
    if not Group.objects.filter(name=name).exists():
        from django.apps import apps
        from django.contrib.auth.management import create_permissions
        from django.contrib.auth.models import Permission

        from accounts.roles import ROLE_PERMISSIONS

        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        for group_name, perms in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=group_name)
            group.permissions.set(
                [
                    Permission.objects.get(content_type__app_label=app, codename=code)
                    for app, code in perms
                ]
            )
    return Group.objects.get(name=name)


@pytest.fixture
def reader(db):
    return UserFactory(email="sana@example.com", display_name="Sana Reader")


@pytest.fixture
def other_reader(db):
    return UserFactory(email="emad@example.com", display_name="M. Emad")


@pytest.fixture
def unverified_reader(db):
    return UserFactory(email="new@example.com", display_name="New Person", verified=False)


@pytest.fixture
def editor(db):
    user = UserFactory(email="editor@example.com", display_name="Nadia Editor")
    user.groups.add(role_group(EDITORS))
    return user


@pytest.fixture
def moderator(db):
    user = UserFactory(email="moderator@example.com", display_name="Imran Moderator")
    user.groups.add(role_group(MODERATORS))
    return user


@pytest.fixture
def other_moderator(db):
    user = UserFactory(email="moderator2@example.com", display_name="Ayesha Moderator")
    user.groups.add(role_group(MODERATORS))
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(
        email="admin@example.com", display_name="Site Admin", is_staff=True, is_superuser=True
    )


@pytest.fixture
def article(db):
    return ArticleFactory(title="Open article", slug="open-article")


@pytest.fixture
def premod_article(db):
    return ArticleFactory(
        title="Premoderated article",
        slug="premod-article",
        comments_mode=CommentsMode.PREMODERATED,
    )
