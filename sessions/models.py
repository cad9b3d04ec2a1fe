import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Series(models.Model):
    """A recurring schedule: an RFC 5545 rule in the group's wall-clock time."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="series")
    rrule = models.TextField(help_text="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU")
    starts_on = models.DateField(help_text="Local date of the first occurrence.")
    start_time = models.TimeField(help_text="Local wall-clock start in the group's time zone.")
    duration_minutes = models.PositiveIntegerField(default=90)
    skipped_dates = models.JSONField(default=list, blank=True, help_text="Local ISO dates.")
    ended_on = models.DateField(null=True, blank=True)
    materialised_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return f"{self.group} series {self.pk}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("session status", "Scheduled")
    CANCELLED = "cancelled", pgettext_lazy("session status", "Cancelled")
    COMPLETED = "completed", pgettext_lazy("session status", "Completed")


class Session(models.Model):
    """One meeting of a group; times in UTC."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="sessions")
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    # The occurrence's slot in its series (RECURRENCE-ID); it never changes when the session moves.
    original_start = models.DateTimeField(null=True, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    topic = models.CharField(max_length=200, blank=True)
    location = models.TextField(blank=True, help_text="Overrides the group's address.")
    video_url = models.URLField(blank=True, help_text="Overrides the group's video link.")
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Overrides the group's capacity."
    )
    rsvp_deadline = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    edited = models.BooleanField(
        default=False, help_text="Changed on its own; series edits leave it alone."
    )
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_start"], name="session_one_per_series_slot"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["group", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.group} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def effective_capacity(self) -> int | None:
        return self.capacity if self.capacity is not None else self.group.capacity

    @property
    def answer_deadline(self) -> datetime.datetime:
        """When answers close: the RSVP deadline if one is set, else the start."""
        return self.rsvp_deadline or self.starts_at

    def answers_open(self, now: datetime.datetime | None = None) -> bool:
        """The one rule for "are answers open": scheduled, and before the answer deadline."""
        now = now or timezone.now()
        return self.status == SessionStatus.SCHEDULED and now < self.answer_deadline

    def restorable(self, now: datetime.datetime | None = None) -> bool:
        """A cancelled session can be put back on until its start."""
        return self.status == SessionStatus.CANCELLED and (now or timezone.now()) < self.starts_at


class Answer(models.TextChoices):
    GOING = "going", _("Going")
    NOT_GOING = "not_going", _("Not going")
    MAYBE = "maybe", _("Maybe")


class Seat(models.TextChoices):
    CONFIRMED = "confirmed", pgettext_lazy("seat", "Confirmed")
    WAITLISTED = "waitlisted", pgettext_lazy("seat", "Waitlisted")
    NONE = "none", _("No seat")


class RSVP(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    answer = models.CharField(max_length=16, choices=Answer.choices)
    seat = models.CharField(max_length=16, choices=Seat.choices, default=Seat.NONE)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    # Set when a couple answered together: both rows move between seat states as one.
    couple = models.ForeignKey(
        "members.Couple", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="rsvp_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.answer} for {self.session}"


class CalendarFeed(models.Model):
    """A person's private iCalendar feed. Only the SHA-256 of the secret in its address is
    kept (a database dump gives no working address), so the address is shown once, when made;
    making a new one or turning it off kills the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    @staticmethod
    def hash_token(token: str) -> str:
        # The token is 32 random bytes, so a plain SHA-256 cannot be guessed back.
        return hashlib.sha256(token.encode()).hexdigest()


class UsedRSVPLink(models.Model):
    """A signed RSVP link that was already used: each link records one answer, once."""

    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.digest[:12]
