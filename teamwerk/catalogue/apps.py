from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "teamwerk.catalogue"
    label = "catalogue"
