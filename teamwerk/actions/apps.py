from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "teamwerk.actions"
    label = "actions"

    def ready(self) -> None:
        from teamwerk.core.daily import register_daily_job

        from . import reminders

        register_daily_job("reminders", reminders.reminders_send)
