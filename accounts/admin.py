from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import rolechanges
from accounts.models import BlockedEmailDomain, User


class UserRolesForm(UserChangeForm):
    """The admin's change form, with roles as one field: groups, staff and
    superuser flags are not edited directly, so every role change goes through
    accounts.rolechanges and is logged with the admin who made it."""

    roles = forms.MultipleChoiceField(
        choices=[(role, role.capitalize()) for role in rolechanges.ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each change is written to the moderation audit log under your name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "roles" in self.fields:
            self.fields["roles"].initial = rolechanges.user_roles(self.instance)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserRolesForm
    ordering = ("email",)
    list_display = ("email", "display_name", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "display_name")
    readonly_fields = ("role_list", "last_login", "date_joined")
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")},
        ),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        # Only an admin may change roles (rolechanges checks it again).
        roles = "roles" if request.user.is_superuser else "role_list"
        return (
            (None, {"fields": ("email", "password")}),
            (_("Profile"), {"fields": ("display_name", "notify_replies", "notify_moderation")}),
            (_("Roles"), {"fields": ("is_active", roles)}),
            (_("Dates"), {"fields": ("last_login", "date_joined")}),
        )

    @admin.display(description=_("Roles"))
    def role_list(self, obj: User) -> str:
        return ", ".join(rolechanges.user_roles(obj)) or "reader"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or "roles" not in form.cleaned_data:
            return
        wanted = set(form.cleaned_data["roles"])
        held = set(rolechanges.user_roles(obj))
        now = timezone.now()
        try:
            for role in sorted(wanted - held):
                rolechanges.role_grant(user=obj, role=role, by=request.user, now=now)
            for role in sorted(held - wanted):
                rolechanges.role_revoke(user=obj, role=role, by=request.user, now=now)
        except rolechanges.RoleError as exc:
            messages.error(request, str(exc))


@admin.register(BlockedEmailDomain)
class BlockedEmailDomainAdmin(admin.ModelAdmin):
    """Extends the shipped list of disposable email services refused at sign-up."""

    list_display = ("domain", "note", "created_at")
    search_fields = ("domain", "note")
    ordering = ("domain",)
    readonly_fields = ("created_at",)
