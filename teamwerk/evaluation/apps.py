from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "teamwerk.evaluation"
    label = "evaluation"
