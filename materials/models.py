"""Reading material: the clinic library, items shared with an audience, and who read them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import GroupKind
from materials.storage import material_storage

MAX_BODY_CHARS = 20_000


class ContentForm(models.TextChoices):
    FILE = "file", _("A file")
    LINK = "link", _("A link")
    TEXT = "text", _("A short text")


class Content(models.Model):
    """Title, description and exactly one of a file, an https link or a Markdown text."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(blank=True)
    form = models.CharField(_("kind of content"), max_length=8, choices=ContentForm.choices)
    # A random name chosen by materials.services, never the uploader's.
    file = models.FileField(storage=material_storage, max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True, help_text=_("Detected from content."))
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    body = models.TextField(blank=True, help_text=_("Markdown, rendered safely."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class LibraryItem(Content):
    """Clinic-wide material kept by staff; facilitators assign it without uploading again."""

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["title", "pk"]


class Material(Content):
    """One item shared with one group, every group of one kind, or one session of a group.

    Assigned from the library, it holds no content of its own: `source` is the library item.
    """

    library_item = models.ForeignKey(
        LibraryItem, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    # Audience: a group (and optionally one of its sessions), or every group of a kind.
    group = models.ForeignKey(
        "groups.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("group"),
    )
    session = models.ForeignKey(
        "scheduling.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="materials",
    )
    kind = models.CharField(
        _("every group of the kind"), max_length=16, choices=GroupKind.choices, blank=True
    )
    visible_from = models.DateTimeField(_("visible from"), default=timezone.now)
    # Set once the audience was told; a periodic task publishes items visible from later.
    published_at = models.DateTimeField(_("announced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shared reading")
        verbose_name_plural = _("shared readings")
        ordering = ["-visible_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False, kind=""))
                | (Q(group__isnull=True, session__isnull=True) & ~Q(kind="")),
                name="material_one_audience",
            )
        ]
        indexes = [
            models.Index(fields=["group", "visible_from"]),
            models.Index(fields=["kind", "visible_from"]),
            models.Index(fields=["published_at", "visible_from"]),
        ]

    @property
    def source(self) -> Content:
        """Where the content lives: the library item it was assigned from, or itself."""
        return self.library_item or self

    @property
    def is_kind_wide(self) -> bool:
        return self.group_id is None


class Reading(models.Model):
    """A member opened the item or marked it read."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="readings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings"
    )
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["material", "member"], name="reading_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} read {self.material}"
