"""Clinical notes: one group note per session, one progress note per attending member, each
signed and then locked; later words go into signed addenda beside it.

Note formats (DAP, SOAP, BIRP, free, and the group note's own sections) are rows of
NoteTemplate, seeded by a data migration, so a clinic adds a format without code.

The text of a note is one EncryptedTextField holding JSON ({section key: text}): sections come
from a template chosen at run time, so a column per section would mean a migration per format;
one ciphertext also hides how many sections were filled in. Everything searchable or
filterable (session, member, kind, status dates) stays in plain columns that say nothing.
"""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import Mark
from core.fields import EncryptedTextField
from notes.formats import format_text


class TemplateUse(models.TextChoices):
    GROUP = "group", _("Group note")
    PROGRESS = "progress", _("Progress note")


class NoteTemplate(models.Model):
    """A note format: an ordered list of sections [{"key", "label", "help"}]."""

    key = models.SlugField(_("short code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=80)
    use = models.CharField(_("used for"), max_length=16, choices=TemplateUse.choices)
    # [{"key": "data", "label": "Data", "help": "What was observed and said"}, ...]
    fields = models.JSONField(_("sections"), default=list)
    # Section keys filled from the group note when a progress note starts (shared parts).
    shared_from_group = models.JSONField(_("filled from the group note"), default=dict, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("note format")
        verbose_name_plural = _("note formats")
        ordering = ["use", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    def field_keys(self) -> list[str]:
        return [field["key"] for field in self.fields]

    @property
    def display_name(self) -> str:
        """The name in the reader's language when it is one the formats ship with."""
        return format_text(self.name)


class NoteKind(models.TextChoices):
    GROUP = "group", _("Group note")
    PROGRESS = "progress", _("Progress note")
    MISSED = "missed", _("Missed-session note")


class Note(models.Model):
    """A draft until signed; once signed, the service refuses every edit (addenda only)."""

    session = models.ForeignKey("scheduling.Session", on_delete=models.PROTECT, related_name="+")
    # Empty for the group note.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_notes",
    )
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    template = models.ForeignKey(NoteTemplate, on_delete=models.PROTECT, related_name="+")
    # The template's sections as they were when the note started: a later edit of the
    # template never relabels a signed note.
    sections = models.JSONField(default=list)
    body = EncryptedTextField(blank=True)  # JSON {section key: text}
    # The attendance mark when the note started (a code: present, late, ...).
    attendance_mark = models.CharField(max_length=16, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    cosign_required = models.BooleanField(default=False)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session__starts_at", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(kind="group"),
                name="notes_one_group_note_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "member"],
                condition=models.Q(member__isnull=False),
                name="notes_one_progress_note_per_member_session",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="group", member__isnull=True)
                | (~models.Q(kind="group") & models.Q(member__isnull=False)),
                name="notes_member_iff_not_group",
            ),
        ]
        indexes = [models.Index(fields=["member", "session"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def awaits_cosign(self) -> bool:
        return self.is_signed and self.cosign_required and self.cosigned_at is None

    @property
    def status(self) -> str:
        if not self.is_signed:
            return "draft"
        return "awaiting co-signature" if self.awaits_cosign else "signed"

    @property
    def status_label(self) -> str:
        return str(
            {
                "draft": _("draft"),
                "awaiting co-signature": _("awaiting co-signature"),
                "signed": _("signed"),
            }[self.status]
        )

    @property
    def attendance_label(self) -> str:
        """The attendance mark as words ("left early"), or "" when there was none."""
        if self.attendance_mark not in Mark.values:
            return ""
        return str(Mark(self.attendance_mark).label).lower()

    def values(self) -> dict[str, str]:
        """The sections' text, {key: text}; never raises on an empty or odd body."""
        if not self.body:
            return {}
        try:
            data = json.loads(self.body)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def labelled(self) -> list[tuple[str, str, str]]:
        """[(key, label, text)] in the order of the note's sections."""
        values = self.values()
        return [
            (s["key"], format_text(s["label"]), values.get(s["key"], "")) for s in self.sections
        ]


class Addendum(models.Model):
    """Words added to a signed note; signed as it is written, and shown beside the note."""

    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="addenda")
    text = EncryptedTextField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum {self.pk} to note {self.note_id}"


class SupervisedFacilitator(models.Model):
    """A facilitator whose signed notes need a co-signature: from their supervisor when one
    is named (staff, or a facilitator of the note's group), else staff or a co-facilitator."""

    facilitator = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("supervisor"),
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("supervised facilitator")
        verbose_name_plural = _("supervised facilitators")

    def __str__(self) -> str:
        return f"Supervised: {self.facilitator}"
