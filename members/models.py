from typing import cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from core.timezones import default_time_zone, validate_time_zone
from members.fields import EncryptedTextField


class Role(models.TextChoices):
    STAFF = "staff", "Clinic staff"
    FACILITATOR = "facilitator", "Facilitator"
    MEMBER = "member", "Member"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = cast("User", self.model(email=self.normalize_email(email).lower(), **extra))
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("role", Role.MEMBER)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(role=Role.STAFF, is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; co-members only ever see display_name."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=60,
        help_text="What others in your groups see: a first name or a pseudonym.",
    )
    time_zone = models.CharField(
        max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    language = models.CharField(max_length=10, default="en", choices=settings.LANGUAGES)
    phone = models.CharField(max_length=32, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_clinic_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_facilitator(self) -> bool:
        return self.role == Role.FACILITATOR

    @property
    def is_member(self) -> bool:
        return self.role == Role.MEMBER

    @property
    def requires_mfa(self) -> bool:
        return self.role in (Role.STAFF, Role.FACILITATOR)


class Invitation(models.Model):
    """A single-use, expiring invitation to sign up as a role, optionally into a group."""

    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class Couple(models.Model):
    """Two members a facilitator linked so they enrol in couples groups together."""

    first = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="couples_as_first"
    )
    second = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="couples_as_second"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="couples_linked"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first=models.F("second")), name="couple_two_people"
            ),
            models.UniqueConstraint(
                fields=["first"], condition=models.Q(ended_at=None), name="couple_first_once"
            ),
            models.UniqueConstraint(
                fields=["second"], condition=models.Q(ended_at=None), name="couple_second_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} & {self.second}"

    def members(self):
        return (self.first, self.second)


class SharingConsent(models.Model):
    """Owner lets viewer see the owner's attendance summary for one group, until revoked."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_given"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_received"
    )
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "group"],
                condition=models.Q(revoked_at=None),
                name="consent_one_viewer_per_group",
            ),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("viewer")), name="consent_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} shares with {self.viewer}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# groups.GroupKind's values; repeated because groups.models imports this module.
GROUP_KIND_CHOICES = [
    ("addict", "Recovery group"),
    ("partner", "Partner group"),
    ("couples", "Couples group"),
]


class UseLevel(models.TextChoices):
    CASUAL = "casual", "Casual"
    AT_RISK = "at_risk", "At risk"
    ADDICTED = "addicted", "Addicted"


class Intake(models.Model):
    """A facilitator's screening of a member. Facilitators and staff only; answers encrypted."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intakes"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intakes_recorded"
    )
    # The six screening questions, answered in the member's own words.
    others_concerned = EncryptedTextField(
        "Has anyone expressed concern about your sexual or romantic activity?", blank=True
    )
    self_concerned = EncryptedTextField("Are you concerned about it yourself?", blank=True)
    escape = EncryptedTextField("What do you do to escape unpleasant feelings?", blank=True)
    secrets = EncryptedTextField("Do you keep secrets about it?", blank=True)
    others_disturbed = EncryptedTextField(
        "Would others find anything about it disturbing?", blank=True
    )
    shame = EncryptedTextField("Do you feel ashamed about it?", blank=True)
    level = models.CharField("Assessed level of use", max_length=16, choices=UseLevel.choices)
    recommended_kind = models.CharField(
        "Recommended kind of group", max_length=16, choices=GROUP_KIND_CHOICES
    )
    notes = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

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
        return f"Intake {self.pk}"
