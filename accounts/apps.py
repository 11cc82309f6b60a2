from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Django's place for receivers: the header's unread count is worked out
        # when the reader signs in (then kept a minute at a time), so the first
        # page after signing in costs what every other page does.
        from django.contrib.auth.signals import user_logged_in

        from accounts.notifications import count_on_sign_in

        user_logged_in.connect(count_on_sign_in, dispatch_uid="accounts.notifications.count")
