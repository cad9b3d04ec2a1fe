"""The only write to the audit trail besides audit.api.record: removing rows past retention."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit import api
from audit.models import AuditEvent


def retention_cutoff(now=None, days: int | None = None) -> datetime.datetime:
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - datetime.timedelta(days=days)


def audit_prune(*, now=None, dry_run: bool = False) -> int:
    """Delete rows older than AUDIT_RETENTION_DAYS and record that it happened (with the count).

    On PostgreSQL the table's trigger refuses DELETE unless the transaction says it is this
    prune (`SET LOCAL circle.audit_prune`, gone at commit). Raw SQL, because the model's own
    queryset refuses deletes everywhere else.
    """
    days = settings.AUDIT_RETENTION_DAYS
    if days < 1:
        raise ValueError("AUDIT_RETENTION_DAYS must be at least 1.")
    cutoff = retention_cutoff(now, days)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    column = connection.ops.quote_name("at")
    with transaction.atomic():
        if dry_run:
            return AuditEvent.objects.filter(at__lt=cutoff).count()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL circle.audit_prune = 'on'")
            cursor.execute(f"DELETE FROM {table} WHERE {column} < %s", [cutoff])  # noqa: S608  # nosec  # names are ours, the value a parameter
            deleted = max(cursor.rowcount, 0)
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL circle.audit_prune = 'off'")
        api.record(
            "audit.prune",
            detail={"deleted": deleted, "retention_days": days, "before": cutoff.isoformat()},
        )
    return deleted
