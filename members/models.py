import secrets
from collections.abc import Iterator
from typing import cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedTextField
from core.timezones import default_time_zone, validate_time_zone


class Role(models.TextChoices):
    STAFF = "staff", _("Clinic staff")
    FACILITATOR = "facilitator", _("Facilitator")
    MEMBER = "member", _("Member")


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


def new_session_stamp() -> str:
    return secrets.token_hex(16)


# Django's own salt, so an account whose stamp is still empty keeps the hash Django gave it.
_SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; co-members only ever see display_name."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("What others in your groups see: a first name or a pseudonym."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    # Every language Circle has; settings.CIRCLE_LANGUAGES narrows what the pickers offer.
    language = models.CharField(
        _("language"), max_length=10, default="en", choices=settings.LANGUAGES
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site"), default=False, help_text=_("Can sign in to the admin site.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Part of every sign-in's session hash and of emailed RSVP links: changing it (members.
    # services.security) ends every session and link at once. Empty only for accounts made
    # before it existed, whose sessions and links must survive the deploy.
    session_stamp = models.CharField(
        max_length=32, blank=True, default=new_session_stamp, editable=False
    )
    quick_exit_signs_out = models.BooleanField(
        _("Quick exit also signs me out"),
        default=False,
        help_text=_(
            "Then nobody can come back to your pages on this device without your password."
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
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

    def get_session_auth_hash(self) -> str:
        return self._stamped_session_hash(None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._stamped_session_hash(secret)

    def _stamped_session_hash(self, secret: str | bytes | None) -> str:
        # What Django hashes (the password) plus the stamp: Django's own session check then
        # ends every sign-in whose stamp changed, with no lookup of our own per request.
        return salted_hmac(
            _SESSION_HASH_SALT,
            self.password + self.session_stamp,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def link_key(self, purpose: str, *, secret: str | bytes | None = None) -> str:
        """A short fingerprint for links sent by email, bound to `purpose`: it changes whenever
        every sign-in would end (a new password, a new stamp), so such links end with them."""
        return salted_hmac(
            f"members.link-key.{purpose}",
            self._stamped_session_hash(secret),
            secret=secret,
            algorithm="sha256",
        ).hexdigest()[:20]

    def link_keys_accepted(self, purpose: str) -> list[str]:
        """The current key, and those made with SECRET_KEY_FALLBACKS (during a key rotation)."""
        signing_keys = [None, *settings.SECRET_KEY_FALLBACKS]
        return [self.link_key(purpose, secret=key) for key in signing_keys]


class Invitation(models.Model):
    """A single-use, expiring invitation to sign up as a role, optionally into a group."""

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    group = models.ForeignKey(
        "groups.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("group"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The language the invitation email is written in (the person has no account yet to say).
    language = models.CharField(
        _("language"), max_length=10, default="en", choices=settings.LANGUAGES
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return gettext("Invitation for %(email)s") % {"email": self.email}

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
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="couples_as_first",
        verbose_name=_("first partner"),
    )
    second = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="couples_as_second",
        verbose_name=_("second partner"),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="couples_linked"
    )
    created_at = models.DateTimeField(_("linked at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("couple")
        verbose_name_plural = _("couples")
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
        verbose_name = _("sharing consent")
        verbose_name_plural = _("sharing consents")
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
        return gettext("%(owner)s shares with %(viewer)s") % {
            "owner": self.owner,
            "viewer": self.viewer,
        }

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# groups.GroupKind's values; repeated because groups.models imports this module.
GROUP_KIND_CHOICES = [
    ("addict", _("Recovery group")),
    ("partner", _("Partner group")),
    ("couples", _("Couples group")),
]


class UseLevel(models.TextChoices):
    CASUAL = "casual", _("Casual")
    AT_RISK = "at_risk", _("At risk")
    ADDICTED = "addicted", _("Addicted")


class Intake(models.Model):
    """A facilitator's screening of a member. Facilitators and staff only; answers encrypted."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intakes"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intakes_recorded"
    )
    # The group it was recorded for: its facilitators read it (members.permissions). Empty on
    # rows older than the field whose group was ambiguous: then only staff and the recorder.
    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The six screening questions, answered in the member's own words.
    others_concerned = EncryptedTextField(
        _("Has anyone expressed concern about your sexual or romantic activity?"), blank=True
    )
    self_concerned = EncryptedTextField(_("Are you concerned about it yourself?"), blank=True)
    escape = EncryptedTextField(_("What do you do to escape unpleasant feelings?"), blank=True)
    secrets = EncryptedTextField(_("Do you keep secrets about it?"), blank=True)
    others_disturbed = EncryptedTextField(
        _("Would others find anything about it disturbing?"), blank=True
    )
    shame = EncryptedTextField(_("Do you feel ashamed about it?"), blank=True)
    # Encrypted like the answers (a dump must not say who was assessed addicted): choices still
    # validate, but these columns cannot be filtered in SQL; filter in Python.
    level = EncryptedTextField(_("Assessed level of use"), choices=UseLevel.choices)
    recommended_kind = EncryptedTextField(
        _("Recommended kind of group"), choices=GROUP_KIND_CHOICES
    )
    notes = EncryptedTextField(_("notes"), blank=True)
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
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return pgettext("screening", "Screening %(number)s") % {"number": self.pk}


class IntakeShare(models.Model):
    """The member lets the facilitators of one more of their groups read one intake, until
    revoked (members.services.consent). Nothing else opens an intake beyond its own group."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="shares")
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
        verbose_name = _("screening share")
        verbose_name_plural = _("screening shares")
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "group"],
                condition=models.Q(revoked_at=None),
                name="intake_share_once_per_group",
            )
        ]

    def __str__(self) -> str:
        return gettext("Screening %(number)s shared with group %(group)s") % {
            "number": self.intake_id,
            "group": self.group_id,
        }

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
