from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        # Signals connect once the apps are loaded (by name, like members: no function-level
        # imports of our apps).
        import_module("audit.receivers").connect()
