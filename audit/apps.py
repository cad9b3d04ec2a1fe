from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from audit import receivers  # noqa: PLC0415 (signals connect once the apps are loaded)

        receivers.connect()
