from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "teamwerk.core"
    label = "core"
