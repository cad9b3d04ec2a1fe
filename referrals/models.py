"""Requests for a first conversation, the waiting list per group with its seat offers, and
the group agreement with who accepted which version.

Everything a requester typed is encrypted at rest (core.fields.EncryptedTextField), so such
columns cannot be filtered in SQL: status, dates and ids stay plain for the queue.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import EncryptedTextField
from members.models import GROUP_KIND_CHOICES


class ForWhom(models.TextChoices):
    SELF = "self", _("Myself")
    PARTNER = "partner", _("My partner's behaviour affects me")
    COUPLE = "couple", _("Us, as a couple")


class MeetingFormat(models.TextChoices):
    """How the person would like to meet; empty: either suits them."""

    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


# Who the help is for -> the kind of group it usually leads to (a suggestion only).
KIND_FOR = {ForWhom.SELF: "addict", ForWhom.PARTNER: "partner", ForWhom.COUPLE: "couples"}


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("request status", "New")
    CONTACTED = "contacted", pgettext_lazy("request status", "Contacted")
    SCREENED = "screened", pgettext_lazy("request status", "Screened")
    WAITING = "waiting", pgettext_lazy("request status", "Waiting for a seat")
    OFFERED = "offered", pgettext_lazy("request status", "Offered a seat")
    JOINED = "joined", pgettext_lazy("request status", "Joined")
    DECLINED = "declined", pgettext_lazy("request status", "Declined")
    CLOSED = "closed", pgettext_lazy("request status", "Closed")


OPEN_STATUSES = (
    Status.NEW,
    Status.CONTACTED,
    Status.SCREENED,
    Status.WAITING,
    Status.OFFERED,
)


class Referral(models.Model):
    """One request for a first conversation, from the public form."""

    created_at = models.DateTimeField(default=timezone.now)
    name = EncryptedTextField(_("Name or pseudonym"))
    email = EncryptedTextField(_("Email"), blank=True)
    phone = EncryptedTextField(_("Phone"), blank=True)
    message_ok = models.BooleanField(_("A written message is safe"), default=False)
    voicemail_ok = models.BooleanField(_("A voicemail is safe"), default=False)
    contact_times = EncryptedTextField(_("When to contact"), blank=True)
    for_whom = EncryptedTextField(_("Who the help is for"), choices=ForWhom.choices)
    # The six screening questions, in the person's own words (all optional).
    others_concerned = EncryptedTextField(blank=True)
    self_concerned = EncryptedTextField(blank=True)
    escape = EncryptedTextField(blank=True)
    secrets = EncryptedTextField(blank=True)
    others_disturbed = EncryptedTextField(blank=True)
    shame = EncryptedTextField(blank=True)
    consent_contact = models.BooleanField(default=False)
    # For matching a group: the person's zone and how they would like to meet ("" = either).
    time_zone = models.CharField(max_length=64, blank=True)
    format = models.CharField(max_length=16, choices=MeetingFormat.choices, blank=True)
    # The language they wrote in: replies to them, and their account, use it.
    language = models.CharField(max_length=10, blank=True)
    # When the text acknowledging it was claimed: it is tried at most once, never repeated.
    acknowledged_by_text_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_taken",
    )
    # The group it is being matched with: that group's facilitators see the request.
    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The account made (or found) when the intake was recorded, and that intake.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    intake = models.ForeignKey(
        "members.Intake", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = EncryptedTextField(blank=True)

    ANSWER_FIELDS = (
        "others_concerned",
        "self_concerned",
        "escape",
        "secrets",
        "others_disturbed",
        "shame",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Request {self.pk}"

    @property
    def suggested_kind(self) -> str:
        return KIND_FOR.get(ForWhom(self.for_whom), "") if self.for_whom in ForWhom.values else ""


class ReferralEvent(models.Model):
    """A status change, with its date and who made it: the request's history."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=16, choices=Status.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Request {self.referral_id}: {self.status}"


class EntryStatus(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("waiting list place", "Waiting")
    OFFERED = "offered", pgettext_lazy("waiting list place", "Offered a seat")
    JOINED = "joined", pgettext_lazy("waiting list place", "Joined")
    PASSED = "passed", pgettext_lazy("waiting list place", "Declined or did not answer")
    REMOVED = "removed", pgettext_lazy("waiting list place", "Taken off the list")


class WaitingListEntry(models.Model):
    """A person (in a couples group: a couple, by one partner) waiting for a seat in a group."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waiting_list_entries"
    )
    seats = models.PositiveSmallIntegerField(default=1)  # 2 for a couple
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=EntryStatus.choices, default=EntryStatus.WAITING
    )
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=models.Q(status__in=["waiting", "offered"]),
                name="waiting_list_once_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"Waiting list entry {self.pk}"


class OfferStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("seat offer", "Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("seat offer", "Accepted")
    DECLINED = "declined", pgettext_lazy("seat offer", "Declined")
    EXPIRED = "expired", pgettext_lazy("seat offer", "Expired")
    WITHDRAWN = "withdrawn", pgettext_lazy("seat offer", "Withdrawn")


class SeatOffer(models.Model):
    """A seat offered to the first on a waiting list, by a signed link that expires."""

    entry = models.ForeignKey(WaitingListEntry, on_delete=models.CASCADE, related_name="offers")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open offer per entry: a seat is never offered twice to the same person.
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(status="pending"),
                name="seat_offer_one_pending_per_entry",
            )
        ]

    def __str__(self) -> str:
        return f"Seat offer {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == OfferStatus.PENDING and self.expires_at > timezone.now()


class AgreementVersion(models.Model):
    """One version of a group agreement: for one group, for every group of a kind, or (both
    empty) the clinic's. The newest material version in the nearest scope is the one a
    member must have accepted."""

    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=GROUP_KIND_CHOICES, blank=True)
    number = models.PositiveIntegerField()
    text = models.TextField()
    material = models.BooleanField(
        _("Members must accept it again"),
        default=True,
        help_text=_("Leave ticked when the meaning changed; untick for a typo or a wording fix."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number", "-pk"]

    def __str__(self) -> str:
        return f"Agreement version {self.number}"


class AgreementAcceptance(models.Model):
    """A member accepted a version for a group: typed full name, date, and the text as read."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agreement_acceptances"
    )
    typed_name = EncryptedTextField()
    text = models.TextField()
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "group", "member"], name="agreement_accepted_once"
            )
        ]

    def __str__(self) -> str:
        return f"Agreement acceptance {self.pk}"
