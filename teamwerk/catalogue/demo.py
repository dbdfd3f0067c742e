from .services import catalogue_load


def seed(context: dict) -> None:
    context["catalogue_version"] = catalogue_load()
