from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        # Django's way to connect signal receivers: they import models, so only once the
        # registry is ready (by name, as the architecture test forbids imports in functions).
        import_module("members.receivers").connect()
