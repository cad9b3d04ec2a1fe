"""The outbox (one row per message to send) and each person's notification preferences."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    REMINDER = "reminder", _("Session reminder")
    SESSION_SCHEDULED = "session_scheduled", _("Session scheduled")
    SESSION_MOVED = "session_moved", _("Session moved")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    WAITLIST_PROMOTED = "waitlist_promoted", _("Seat confirmed from the waiting list")
    MATERIAL_PUBLISHED = "material_published", _("New reading")
    FACILITATOR_DIGEST = "facilitator_digest", _("Who is coming")
    ABSENCE_FOLLOW_UP = "absence_follow_up", _("Absence follow-up")
    INVITATION = "invitation", _("Invitation")
    MEASURE_PROMPT = "measure_prompt", _("A few questions")
    MEASURE_ALERT = "measure_alert", _("Please check in")
    MEASURE_ESCALATION = "measure_escalation", _("Please check in (not yet acknowledged)")
    REFERRAL_ACK = "referral_ack", _("Request received")
    SEAT_OFFER = "seat_offer", _("A seat is offered")
    SERIES_CHANGED = "series_changed", _("Schedule changed")
    NOTES_OUTSTANDING = "notes_outstanding", _("Notes to finish")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    IN_APP = "in_app", _("In the app")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    SKIPPED = "skipped", _("Not sent")


class Notification(models.Model):
    """One message to one person on one channel. `key` makes a second copy impossible.

    The person is an account (`recipient`), or, for an invitation, only an email address
    (`address`): they have no account yet.
    """

    # The outbox is the most written table: its indexes are only those a query needs (this
    # one and `session` are the first column of an index below).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,
    )
    address = models.EmailField(blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    session = models.ForeignKey(
        "scheduling.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        # Context: Django's own "session" (a sign-in) would win the lookup otherwise.
        verbose_name=pgettext_lazy("meeting", "session"),
        db_index=False,
    )
    # Anything else it is about (reading material, an enrollment).
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    offset_minutes = models.PositiveIntegerField(null=True, blank=True)
    key = models.CharField(max_length=200)  # unique: see Meta (no prefix-search index)
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # The dispatcher's lease (time) while a task is queued; then the delivering batch's own
    # token, so a row taken over by another delivery cannot be finished by the old one.
    dispatch_token = models.CharField(max_length=32, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    # Facts a notice needs that the session no longer holds (its old time; a series edit's
    # moved, cancelled and added sessions), as ISO times and ids: rendered at delivery.
    details = models.JSONField(default=dict, blank=True)
    # What the in-app list shows, kept as it was when delivered.
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-due_at", "-pk"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(status="pending"),
                name="notification_due_pending",
            ),
            models.Index(fields=["session", "kind", "status"]),
            models.Index(fields=["recipient", "channel", "status"]),
            # The dispatcher reads back the rows it just leased by token, and recovery looks
            # for interrupted sends; both only ever concern the few live rows, so the indexes
            # cover only those (sent history never enters them).
            models.Index(
                fields=["dispatch_token"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="notification_live_token",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=models.Q(status="sending"),
                name="notification_sending_claimed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(address=""),
                name="notification_has_a_recipient",
            ),
            # A constraint, not unique=True: on PostgreSQL that also built a second index of
            # every key for prefix searches (as large as the first), which nothing runs.
            models.UniqueConstraint(fields=["key"], name="notification_one_per_key"),
        ]

    def __str__(self) -> str:
        to = self.recipient_id or "an address"
        return f"{self.kind} to {to} by {self.channel} ({self.status})"

    @property
    def email_address(self) -> str:
        """Where an email goes: the account's address, or the one given for an invitation."""
        return self.recipient.email if self.recipient is not None else self.address


def default_channels() -> list[str]:
    return [Channel.EMAIL, Channel.IN_APP]


class Preference(models.Model):
    """How and when one person hears from us. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("person"),
    )
    channels = models.JSONField(_("channels"), default=default_channels, blank=True)
    reminders_on = models.BooleanField(_("reminders on"), default=True)
    # Minutes before a session; null means the group's own offsets.
    reminder_offsets = models.JSONField(_("reminder times"), null=True, blank=True)
    # Local wall-clock times in the person's own time zone; both empty means none.
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"
