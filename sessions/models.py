import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Series(models.Model):
    """A recurring schedule: an RFC 5545 rule in the group's wall-clock time."""

    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="series", verbose_name=_("group")
    )
    rrule = models.TextField(
        _("repeat rule"), help_text=_("RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU")
    )
    starts_on = models.DateField(
        _("first date"), help_text=_("Local date of the first occurrence.")
    )
    start_time = models.TimeField(
        _("start time"), help_text=_("Local wall-clock start in the group's time zone.")
    )
    duration_minutes = models.PositiveIntegerField(_("length in minutes"), default=90)
    skipped_dates = models.JSONField(
        _("skipped dates"), default=list, blank=True, help_text=_("Local ISO dates.")
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    materialised_until = models.DateTimeField(_("sessions made until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = pgettext_lazy("plural", "series")

    def __str__(self) -> str:
        return f"{self.group} series {self.pk}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("session status", "Scheduled")
    CANCELLED = "cancelled", pgettext_lazy("session status", "Cancelled")
    COMPLETED = "completed", pgettext_lazy("session status", "Completed")


# The services allow a day at most (series and single sessions alike), and so does the model
# (the admin); queries for what is still to come rely on it to bound their index ranges (a
# session ending after now started less than a day ago).
MAX_SESSION_LENGTH = datetime.timedelta(hours=24)


class Session(models.Model):
    """One meeting of a group; times in UTC."""

    group = models.ForeignKey(
        "groups.Group",
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("group"),
        db_index=False,  # the first column of the (group, starts_at) index
    )
    series = models.ForeignKey(
        Series,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name=_("series"),
    )
    # The occurrence's slot in its series (RECURRENCE-ID); it never changes when the session moves.
    original_start = models.DateTimeField(_("original start"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    location = models.TextField(
        _("place"), blank=True, help_text=_("Overrides the group's address.")
    )
    video_url = models.URLField(
        _("video link"), blank=True, help_text=_("Overrides the group's video link.")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Overrides the group's capacity.")
    )
    rsvp_deadline = models.DateTimeField(_("answers close at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    edited = models.BooleanField(
        _("edited"), default=False, help_text=_("Changed on its own; series edits leave it alone.")
    )
    sequence = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        # "session" alone is django.contrib.sessions' word (a sign-in session in French).
        verbose_name = pgettext_lazy("meeting", "session")
        verbose_name_plural = pgettext_lazy("meeting", "sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_start"], name="session_one_per_series_slot"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"
            ),
        ]
        # A person's next sessions: by group, or (staff, who see every group) the clinic's
        # next ones in time order, stopping at the first few.
        indexes = [models.Index(fields=["group", "starts_at"]), models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        # The admin's list of sessions names each one by this (in the reader's language).
        return gettext("%(group)s at %(time)s UTC") % {
            "group": self.group,
            "time": f"{self.starts_at:%Y-%m-%d %H:%M}",
        }

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > MAX_SESSION_LENGTH:
            raise ValidationError({"ends_at": _("A session can last at most 24 hours.")})

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
