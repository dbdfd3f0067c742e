from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "teamwerk.allocation"
    label = "allocation"
