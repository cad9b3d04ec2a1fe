"""Questionnaires as data, their schedules and answers, safety alerts, private check-ins,
a private milestone, and what a member chooses to share of those.

An instrument is rows (items with answer options, scoring, bands, flag rules), loaded from
a fixture or defined by staff in the admin site: nothing about PHQ-9 or GAD-7 is Python.
Everything a member answers or scores is encrypted at rest (core.fields.EncryptedTextField):
filter such columns in Python, never in SQL.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import EncryptedTextField


class Instrument(models.Model):
    """A questionnaire. `bands` and `flag_rules` are JSON lists (see measures.scoring)."""

    slug = models.SlugField(_("short code"), max_length=40, unique=True)
    name = models.CharField(
        _("name"), max_length=120, help_text=_("Shown on screen only, never sent.")
    )
    # What members see on their own screens (a passer-by may read them): plain words.
    member_title = models.CharField(_("title members see"), max_length=120, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    scored = models.BooleanField(
        _("scored"), default=True, help_text=_("Off: answers are kept, not scored.")
    )
    # A member may start it themself (not only when prompted).
    self_service = models.BooleanField(_("members may start it"), default=False)
    max_score = models.PositiveSmallIntegerField(_("highest score"), null=True, blank=True)
    # [{"min": 0, "max": 4, "label": "Minimal"}, ...], inclusive, covering 0..max_score.
    bands = models.JSONField(_("score bands"), default=list, blank=True)
    # [{"item": "phq9_9", "at_least": 1}] or [{"total_at_least": 15}]: any met raises an alert.
    flag_rules = models.JSONField(_("alert rules"), default=list, blank=True)
    # {"name": ["item code", ...]}: extra sums shown beside the total.
    subscales = models.JSONField(_("subscales"), default=dict, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    # {"fr": {"name": ..., "member_title": ..., "instructions": ...}, "es": {...}}; a band's
    # own translations sit in it: {"min": 0, "max": 4, "label": "Minimal", "labels": {"fr": ...}}.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def _in_language(self, field: str) -> str:
        local = (self.translations or {}).get(translation.get_language() or "", {})
        return local.get(field) or getattr(self, field)

    @property
    def local_name(self) -> str:
        return self._in_language("name")

    @property
    def local_member_title(self) -> str:
        return self._in_language("member_title")

    @property
    def local_instructions(self) -> str:
        return self._in_language("instructions")

    def band_label(self, label: str) -> str:
        """A stored band (kept in English, as scored) in the active language."""
        language = translation.get_language() or ""
        for band in self.bands or []:
            if band.get("label") == label:
                return (band.get("labels") or {}).get(language) or label
        return label


class ItemKind(models.TextChoices):
    CHOICE = "choice", _("One of the options")
    TEXT = "text", _("In their own words")


class Item(models.Model):
    """One question. A choice item's options are [{"value": 0, "label": "Not at all"}, ...]."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=40)
    text = models.TextField(_("question"))
    kind = models.CharField(
        _("answer"), max_length=8, choices=ItemKind.choices, default=ItemKind.CHOICE
    )
    options = models.JSONField(_("options"), default=list, blank=True)
    scored = models.BooleanField(_("scored"), default=True)
    required = models.BooleanField(_("required"), default=True)
    # The question in other languages: {"fr": "...", "es": "..."}; an option's own
    # translations sit in it: {"value": 0, "label": "Not at all", "labels": {"fr": ...}}.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["instrument", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="item_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.slug} {self.position}"

    @property
    def local_text(self) -> str:
        return (self.translations or {}).get(translation.get_language() or "") or self.text

    def local_options(self) -> list[tuple[str, str]]:
        """(value, label) of each option, labels in the active language."""
        language = translation.get_language() or ""
        return [
            (str(o["value"]), (o.get("labels") or {}).get(language) or o["label"])
            for o in self.options or []
        ]


class Cadence(models.TextChoices):
    EVERY_SESSION = "every_session", _("Before every session")
    EVERY_NTH_SESSION = "every_nth_session", _("Before every Nth session")
    EVERY_N_WEEKS = "every_n_weeks", _("Every N weeks")


class Schedule(models.Model):
    """Which instrument a group's members (or one member of it) answer, how often, from when."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="schedules")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    # Set: only this member of the group is asked.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    cadence = models.CharField(max_length=24, choices=Cadence.choices)
    every = models.PositiveSmallIntegerField(default=1, help_text=_("N (sessions or weeks)."))
    starts_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Schedule {self.pk}"


class Prompt(models.Model):
    """One ask of one member for one slot of a schedule; unique, so never asked twice."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="prompts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # "session:<pk>" or "week:<yyyy-mm-dd>".
    slot = models.CharField(max_length=40)
    session = models.ForeignKey(
        "scheduling.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "member", "slot"], name="prompt_one_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"Prompt {self.pk}"


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Saved, not sent")
    SUBMITTED = "submitted", pgettext_lazy("answers", "Sent")


class Response(models.Model):
    """A member's answers to one instrument. Answers, score, band and subscales encrypted."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measure_responses"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    prompt = models.OneToOneField(
        Prompt, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    status = models.CharField(
        max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    answers = EncryptedTextField(blank=True)  # JSON {"item code": value or text}
    total = EncryptedTextField(blank=True)  # the score as text; empty when unscored
    band = EncryptedTextField(blank=True)
    subscale_totals = EncryptedTextField(blank=True)  # JSON
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Response {self.pk}"


class Alert(models.Model):
    """A flag rule was met: the group's facilitators must check in. Names no answer."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="alerts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Empty: the member is in no group, so the alert went straight to staff.
    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "group"], name="alert_one_per_group"),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(acknowledged_at__isnull=True, escalated_at__isnull=True),
                name="alert_open_unescalated",
            ),
        ]

    def __str__(self) -> str:
        return f"Alert {self.pk}"


class CheckIn(models.Model):
    """A member's private weekly check-in (one per week, by the Monday it starts)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    mood = EncryptedTextField(blank=True)  # "1".."5"
    urges = EncryptedTextField(blank=True)  # "0".."4"
    helped = EncryptedTextField(blank=True)
    note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "week"], name="checkin_one_per_week"),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.pk}"


class Milestone(models.Model):
    """Days since a date the member picks, named however they like. Both encrypted."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    name = EncryptedTextField()
    since = EncryptedTextField()  # ISO date
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Milestone {self.pk}"


class ShareItem(models.TextChoices):
    CHECK_INS = "check_ins", _("Your weekly check-ins")
    MILESTONE = "milestone", _("Your milestone")


class CheckInShare(models.Model):
    """A member lets one person (their partner or a facilitator) see one item, until revoked.

    Scores and notes are never shareable: only the items in ShareItem."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.CharField(max_length=16, choices=ShareItem.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["revoked_at", "-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "viewer", "item"],
                condition=models.Q(revoked_at__isnull=True),
                name="checkinshare_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"Share {self.pk}"
