from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.languages import language_constraint, language_field, language_of

# The name a deleted account's row keeps (accounts.lifecycle): stored in English, and
# shown in the reader's language wherever names are drawn (comments.render).
DELETED_NAME = "deleted account"


class InterfaceLanguage(models.TextChoices):
    """The interface language a reader chose; BROWSER: none, their browser's asks."""

    BROWSER = "", _("As my browser asks")
    ENGLISH = "en", "English"
    URDU = "ur", "اردو"


class CommentSort(models.TextChoices):
    OLDEST = "oldest", _("Oldest")
    NEWEST = "newest", _("Newest")
    RECOMMENDED = "recommended", _("Most recommended")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required")
        email = self.normalize_email(email).lower()
        fields.setdefault("display_name", email.split("@")[0][:40])
        fields["display_name_lang"] = language_of(fields["display_name"])
        user = self.model(email=email, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)

    def get_by_natural_key(self, email: str | None) -> User:
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Signs in with an email; shown by display name."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(max_length=40)
    # The name's language by its script (core.languages), set with the name.
    display_name_lang = language_field()
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    notify_replies = models.BooleanField(
        _("email me when someone replies to my comment"), default=True
    )
    notify_moderation = models.BooleanField(
        _("email me when a moderator rejects or removes my comment"), default=True
    )
    # Whether the reader's profile page (name, joined, published comments, picks)
    # is public, and their name in threads links to it (accounts.views.reader_profile).
    profile_public = models.BooleanField(_("show my profile page to everyone"), default=True)
    # When the reader last opened their notifications: what came after is unread
    # (accounts.notifications).
    notifications_seen_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Set when the reader deleted their account: the row stays (moderation records
    # and replies point at it) but holds nothing personal any more.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The reader's remembered comment order on article pages.
    comment_sort = models.CharField(
        max_length=12, choices=CommentSort.choices, default=CommentSort.OLDEST
    )

    # The interface language the reader chose (accounts.language); blank: the
    # language cookie, else the browser's Accept-Language, decides.
    language = models.CharField(
        max_length=8, choices=InterfaceLanguage.choices, default="", blank=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            # Deleted accounts all read "deleted account", so only live names are unique.
            models.UniqueConstraint(
                Lower("display_name"),
                condition=models.Q(deleted_at__isnull=True),
                name="user_display_name_ci_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="user_email_lowercase"
            ),
            models.CheckConstraint(
                condition=models.Q(comment_sort__in=CommentSort.values),
                name="user_comment_sort_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=InterfaceLanguage.values),
                name="user_language_valid",
            ),
            language_constraint("display_name_lang", "user_display_name_lang_valid"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_editor(self) -> bool:
        return self.has_perm("articles.publish_article")

    @property
    def is_moderator(self) -> bool:
        return self.has_perm("comments.moderate_comment")


class BlockedEmailDomain(models.Model):
    """An email domain refused at sign-up, on top of the shipped list of disposable
    mail services (accounts/data/disposable_domains.txt). Admins add more here."""

    domain = models.CharField(
        max_length=253,
        unique=True,
        help_text=_("e.g. throwaway.example; its subdomains are refused as well."),
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")), name="blocked_domain_lowercase"
            )
        ]

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        # Admins paste "@Mailinator.com." as often as "mailinator.com".
        self.domain = (self.domain or "").strip().lower().lstrip("@").rstrip(".")
