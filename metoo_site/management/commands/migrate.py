"""`manage.py migrate`, as the database's owner.

The site connects as a role that owns nothing (DATABASE_URL; docs/OPERATIONS.md,
"Database roles"), so it cannot create or alter a table. When MIGRATE_DATABASE_URL
is set, this command, Django's migrate otherwise unchanged, connects as that role
(the owner) instead, and after the migrations grants DATABASE_URL's role its rights
on every table, new ones included, none of UPDATE, DELETE or TRUNCATE on the
append-only ones (metoo_site.dbroles.grant_app_role). Without MIGRATE_DATABASE_URL
it migrates as DATABASE_URL's role, as before: one role for everything.
"""

from __future__ import annotations

from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections

from metoo_site.dbroles import grant_app_role


class Command(migrate.Command):
    help = (
        "Django's migrate, connected as MIGRATE_DATABASE_URL's role (the owner) when it "
        "is set; then grants DATABASE_URL's role its rights on the tables."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        owner_url: str = getattr(settings, "MIGRATE_DATABASE_URL", "")
        if not owner_url or options["database"] != DEFAULT_DB_ALIAS:
            super().handle(*args, **options)
            return
        connection = connections[DEFAULT_DB_ALIAS]
        app_role = connection.settings_dict["USER"]
        owner = dj_database_url.parse(owner_url)
        # Nothing has connected yet (migrate's checks run inside handle). The owner's
        # connection is a plain one: the pool is for the site's many requests.
        connection.close()
        # The same database (settings checks the names agree); its name is kept, so the
        # test runner's migration of a test database stays on that test database.
        connection.settings_dict.update(
            {key: owner[key] for key in ("USER", "PASSWORD", "HOST", "PORT")}
        )
        connection.settings_dict["OPTIONS"] = {
            **{k: v for k, v in connection.settings_dict["OPTIONS"].items() if k != "pool"},
            **owner.get("OPTIONS", {}),
        }
        super().handle(*args, **options)
        if app_role and app_role != owner["USER"]:
            connection.ensure_connection()
            tables = grant_app_role(connection.connection, app=app_role, owner=owner["USER"])
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"Granted {app_role} its rights on the tables "
                    f"(append-only: {', '.join(tables) or 'none'})."
                )
