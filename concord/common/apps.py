from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "concord.common"
    label = "common"
