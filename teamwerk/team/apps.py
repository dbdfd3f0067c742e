from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "teamwerk.team"
    label = "team"
