from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User


class Command(BaseCommand):
    help = "Give (or with --revoke take away) a role: editor, moderator or admin."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("role", choices=services.ROLES)
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, email, role, revoke, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the email {email!r}.")
        if revoke:
            services.role_revoke(user=user, role=role)
            self.stdout.write(f"{user.email} is no longer {role}.")
        else:
            services.role_grant(user=user, role=role)
            self.stdout.write(f"{user.email} is now {role}.")
