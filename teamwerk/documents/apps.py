from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "teamwerk.documents"
    label = "documents"
