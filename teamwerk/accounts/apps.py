from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "teamwerk.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (records logins in the audit log)
