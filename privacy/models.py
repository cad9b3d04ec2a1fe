"""Requests a member makes about their own data. Today: erasure (export needs no request)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    DONE = "done", _("Erased")


class ErasureRequest(models.Model):
    """A member asked for their data to be erased; staff approve (then it is done) or refuse.

    The row outlives the erasure: it is the clinic's record that the request was honoured.
    The member's own words (`reason`) are cleared when the erasure is done.
    """

    # PROTECT: an erased account keeps its row (the pseudonymous id the audit trail uses).
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="erasure_requests"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, max_length=2000)
    status = models.CharField(
        max_length=16, choices=ErasureStatus.choices, default=ErasureStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, max_length=2000)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # A member has at most one open request; a refused one may be asked again.
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="erasure_one_open_request",
            )
        ]

    def __str__(self) -> str:
        return f"Erasure request {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in (ErasureStatus.PENDING, ErasureStatus.APPROVED)
