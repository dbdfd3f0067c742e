from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "teamwerk.conversations"
    label = "conversations"
