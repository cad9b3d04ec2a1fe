from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.timezones import default_time_zone, validate_time_zone


class GroupKind(models.TextChoices):
    ADDICT = "addict", _("Recovery group")
    PARTNER = "partner", _("Partner group")
    COUPLES = "couples", _("Couples group")


class GroupFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class Enrolment(models.TextChoices):
    OPEN = "open", _("Open (members can join any time)")
    CLOSED = "closed", _("Closed (a fixed cohort)")


def default_reminder_offsets() -> list[int]:
    # Minutes before a session: 24 hours and 2 hours.
    return [24 * 60, 2 * 60]


class GroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Group(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=GroupKind.choices)
    description = models.TextField(_("description"), blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="facilitated_groups",
        blank=True,
        verbose_name=_("facilitators"),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    # The language the group meets in (not the language of anyone's screens).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    format = models.CharField(
        _("format"), max_length=16, choices=GroupFormat.choices, default=GroupFormat.IN_PERSON
    )
    address = models.TextField(_("address"), blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    enrolment = models.CharField(
        _("enrolment"), max_length=8, choices=Enrolment.choices, default=Enrolment.OPEN
    )
    starts_on = models.DateField(_("first date"), null=True, blank=True)
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    roster_visible = models.BooleanField(
        _("roster visible"), default=True, help_text=_("Members see each other's display names.")
    )
    reminder_offsets = models.JSONField(
        _("reminders (minutes before)"), default=default_reminder_offsets, blank=True
    )
    absence_follow_up_after = models.PositiveSmallIntegerField(
        _("absences before follow-up"),
        default=2,
        help_text=_("Consecutive unexcused absences before facilitators are told."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class EnrollmentStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", pgettext_lazy("enrolment status", "Left")


# One named set of statuses per meaning. Every app asks groups.selectors with these.
# A member sees the group at all (an invited or paused member still belongs):
VISIBLE_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED, EnrollmentStatus.INVITED)
# A member is enrolled: sees the address, the video link and co-members:
ENROLLED_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)
# A member took part (past stints included): their own record and letters stay theirs:
PARTICIPATED_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED, EnrollmentStatus.LEFT)
# A member takes a seat now: counted for capacity, reminded, may RSVP:
ACTIVE_STATUSES = (EnrollmentStatus.ACTIVE,)


class EnrollmentQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status=EnrollmentStatus.LEFT)

    def active(self):
        return self.filter(status=EnrollmentStatus.ACTIVE)


class Enrollment(models.Model):
    """One stint of a member in a group; leaving and returning makes a second row."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("group")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("member"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
    )
    couple = models.ForeignKey(
        "members.Couple",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("couple"),
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["group", "created_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=~models.Q(status="left"),
                name="enrollment_one_current_stint",
            )
        ]

    def __str__(self) -> str:
        # The admin names an enrolment by this (in the reader's language).
        return gettext("%(member)s in %(group)s (%(status)s)") % {
            "member": self.member,
            "group": self.group,
            "status": self.get_status_display(),
        }


class GroupLabel(models.Model):
    """A member's own name for one of their groups, shown only on their own screens,
    emails and calendar (what a passer-by or a shared calendar sees is their choice)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_labels"
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=60)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "group"], name="group_label_one_per_member")
        ]

    def __str__(self) -> str:
        return self.label
