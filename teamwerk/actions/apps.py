from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "teamwerk.actions"
    label = "actions"
