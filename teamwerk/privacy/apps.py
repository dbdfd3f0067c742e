from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "teamwerk.privacy"
    label = "privacy"
