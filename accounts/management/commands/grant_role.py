from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import rolechanges
from accounts.models import User


def _user(email: str, what: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"No user with the email {email!r} ({what}).")
    return user


class Command(BaseCommand):
    help = (
        "Give (or with --revoke take away) a role: editor, moderator or admin. "
        "--by names the admin who decides it; the change is written to the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("role", choices=rolechanges.ROLES)
        parser.add_argument("--by", required=True, help="Email of the admin making the change.")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, email, role, by, revoke, **options):
        user = _user(email, "the account to change")
        actor = _user(by, "the admin making the change")
        change = rolechanges.role_revoke if revoke else rolechanges.role_grant
        try:
            changed = change(user=user, role=role, by=actor, now=timezone.now())
        except rolechanges.RoleError as exc:
            raise CommandError(str(exc)) from exc
        if not changed:
            self.stdout.write(f"{user.email} {'is not' if revoke else 'is already'} {role}.")
        elif revoke:
            self.stdout.write(f"{user.email} is no longer {role}.")
        else:
            self.stdout.write(f"{user.email} is now {role}.")
