from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "teamwerk.evaluation"
    label = "evaluation"

    def ready(self) -> None:
        from teamwerk.actions.reminders import register_reminder_source
        from teamwerk.core.daily import register_daily_job

        from . import reminders

        register_reminder_source("evaluation", reminders.open_rounds)
        register_daily_job("evaluation_reminders", reminders.remind_without_account)
