"""`make run`'s development server: runserver whose banner ends with the address and
the demo logins, so they are the last lines a new user sees (also after a reload)."""

from __future__ import annotations

from django.core.management import get_commands, load_command_class

from metoo_site.demo import content

# The runserver that INSTALLED_APPS chose (whitenoise's, over staticfiles', over
# Django's), so `serve` behaves exactly like `runserver` but for its last lines.
RunserverCommand = type(load_command_class(get_commands()["runserver"], "runserver"))


class Command(RunserverCommand):  # type: ignore[valid-type,misc]
    help = "Serve the site for development and print the demo logins under the address."

    def on_bind(self, server_port: int) -> None:
        super().on_bind(server_port)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"metoo is at http://{self.addr}:{server_port}/"))
        for line in content.login_lines():
            self.stdout.write(line)
