from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "teamwerk.tenancy"
    label = "tenancy"
