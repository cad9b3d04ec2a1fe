"""Attendance records, their full change history, absence follow-ups and issued letters.

Nothing here is ever hard-deleted: a correction updates the record and adds a change row.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Mark(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# Marks that count as having attended the session.
ATTENDED_MARKS = frozenset({Mark.PRESENT, Mark.LATE, Mark.LEFT_EARLY})


class Attendance(models.Model):
    """The current mark of one member at one session."""

    # PROTECT: a session with attendance is cancelled, never deleted, so history survives.
    session = models.ForeignKey(
        "scheduling.Session",
        on_delete=models.PROTECT,
        related_name="attendance_records",
        # Context: Django's own "session" (a sign-in) would win the lookup otherwise.
        verbose_name=pgettext_lazy("meeting", "session"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendance_records",
        verbose_name=_("member"),
    )
    # The enrolment stint the member was in on the session's date.
    enrollment = models.ForeignKey(
        "groups.Enrollment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendance_records",
    )
    mark = models.CharField(_("attendance"), max_length=16, choices=Mark.choices)
    reason = models.CharField(max_length=300, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"], name="attendance_one_per_member_session"
            )
        ]
        indexes = [models.Index(fields=["member", "session"])]

    def __str__(self) -> str:
        return f"{self.member} {self.mark} at {self.session}"

    @property
    def attended(self) -> bool:
        return self.mark in ATTENDED_MARKS


class AttendanceChange(models.Model):
    """One change of a record (the first mark included): who, when, old and new."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    old_mark = models.CharField(_("before"), max_length=16, choices=Mark.choices, blank=True)
    new_mark = models.CharField(_("after"), max_length=16, choices=Mark.choices)
    old_reason = models.CharField(_("reason before"), max_length=300, blank=True)
    new_reason = models.CharField(_("reason after"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.old_mark or '-'} -> {self.new_mark}"


class AbsenceFollowUp(models.Model):
    """Facilitators were told a member reached the group's absence threshold.

    Keyed by the session at which the streak crossed the threshold, so re-saving or correcting
    the same streak never notifies twice. `cleared_at` is set once the member is back.
    """

    enrollment = models.ForeignKey(
        "groups.Enrollment",
        on_delete=models.CASCADE,
        related_name="absence_follow_ups",
        verbose_name=_("enrolment"),
    )
    threshold_session = models.ForeignKey(
        "scheduling.Session", on_delete=models.PROTECT, related_name="+"
    )
    absences = models.PositiveSmallIntegerField(_("absences in a row"))
    fired_at = models.DateTimeField(_("raised at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleared_at = models.DateTimeField(_("back at"), null=True, blank=True)

    class Meta:
        verbose_name = _("absence follow-up")
        verbose_name_plural = _("absence follow-ups")
        ordering = ["-fired_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "threshold_session"], name="follow_up_once_per_streak"
            )
        ]

    def __str__(self) -> str:
        return f"Follow-up for {self.enrollment}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None and self.acknowledged_at is None


class AttendanceLetter(models.Model):
    """A proof-of-attendance letter as issued, so staff can verify it by its code."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendance_letters",
        verbose_name=_("member"),
    )
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="+", verbose_name=_("group")
    )
    name_on_letter = models.CharField(max_length=120)
    date_from = models.DateField(_("first day"))
    date_to = models.DateField(_("last day"))
    name_programme = models.BooleanField(default=False)
    sessions_attended = models.PositiveIntegerField()
    total_minutes = models.PositiveIntegerField()
    # What was certified: [{"session": id, "date": "YYYY-MM-DD", "minutes": 90}, ...]
    sessions = models.JSONField(default=list)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance letter")
        verbose_name_plural = _("attendance letters")
        ordering = ["-issued_at", "pk"]

    def __str__(self) -> str:
        return f"Letter {self.code}"
