from importlib import import_module

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        # Signals connect once the apps are loaded (by name, like members: no function-level
        # imports of our apps).
        import_module("audit.receivers").connect()
