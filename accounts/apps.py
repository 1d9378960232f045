from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in as allauth_user_logged_in
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_out

        from . import checks, receivers  # noqa: F401  (checks registers itself)

        user_model = get_user_model()
        allauth_user_logged_in.connect(
            receivers.announce_login, sender=user_model, dispatch_uid="accounts.announce_login"
        )
        user_logged_out.connect(receivers.announce_logout, sender=user_model, dispatch_uid="accounts.announce_logout")
