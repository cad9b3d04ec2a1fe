"""The audit trail: one append-only row per thing someone did to someone's record.

People are held as plain ids, not foreign keys, so erasing or pseudonymising an account keeps
its rows (the person then shows as "Person #<id>"). Rows hold ids and codes only, never text
a person typed. On PostgreSQL a trigger (migration 0002) refuses UPDATE and DELETE; here the
queryset refuses them too, so a stray `.update()` fails on every database. Only the
`audit_prune` command removes rows past retention.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class AppendOnlyError(Exception):
    """Audit rows are never changed or deleted in place."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only; use manage.py audit_prune.")


class Outcome(models.TextChoices):
    OK = "ok", pgettext_lazy("audit outcome", "Done")
    DENIED = "denied", pgettext_lazy("audit outcome", "Refused")
    FAILED = "failed", pgettext_lazy("audit outcome", "Failed")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # The actor's role when it happened: a later role change must not rewrite history.
    actor_role = models.CharField(max_length=16, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    target = models.CharField(max_length=64, blank=True)  # a model label: "members.intake"
    target_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.OK)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject_id", "at"], name="audit_subject_at"),
            models.Index(fields=["actor_id", "at"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only; use manage.py audit_prune.")
