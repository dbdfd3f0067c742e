from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "teamwerk.privacy"
    label = "privacy"

    def ready(self) -> None:
        from teamwerk.core.daily import register_daily_job

        from .services import retention_daily_job

        register_daily_job("privacy.retention", retention_daily_job)
