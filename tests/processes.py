"""What a test hands to a process of its own (`manage.py`, a probe)."""

from __future__ import annotations


def database_url() -> str:
    """The test database as a DATABASE_URL: the one pytest migrated, not the
    developer's database, which may not be migrated on a fresh clone."""
    from django.db import connection

    cfg = connection.settings_dict
    host = cfg["HOST"] or "127.0.0.1"
    port = cfg["PORT"] or 5432
    user = cfg["USER"] or "postgres"
    return f"postgres://{user}@{host}:{port}/{cfg['NAME']}"
