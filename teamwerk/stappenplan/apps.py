from django.apps import AppConfig


class StappenplanConfig(AppConfig):
    name = "teamwerk.stappenplan"
    label = "stappenplan"
