from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "teamwerk.planning"
    label = "planning"
