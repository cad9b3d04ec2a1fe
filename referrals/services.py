"""Writes for requests: the public form, the queue's work on a request, and recording the
intake (the existing screening, members.services.intake) from one.

Each service raises ValidationError with a message fit to show, and saves nothing then.
Audit rows carry ids and codes only, never what a person wrote.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import api as audit
from core.phones import normalize_phone
from core.timezones import validate_time_zone
from groups.permissions import can_facilitate, groups_facilitated_by, is_facilitating_role
from members.services.intake import INTAKE_FIELDS, intake_record, intake_update
from notifications import api as notifications_api
from referrals.models import MeetingFormat, Referral, ReferralEvent, Status
from referrals.permissions import referrals_visible_to
from referrals.texts import acknowledge_by_text_after_commit

REQUEST_FIELDS = (
    "name",
    "email",
    "phone",
    "message_ok",
    "voicemail_ok",
    "contact_times",
    "for_whom",
    *Referral.ANSWER_FIELDS,
    "consent_contact",
    "time_zone",
    "format",
    "language",
)


def _audit(referral: Referral, actor, change: str, **detail) -> None:
    audit.record(
        "referral.change",
        actor=actor,
        subject=referral.member_id,
        target="referrals.referral",
        target_id=referral.pk,
        detail={"change": change, "status": referral.status, **detail},
    )


def _set_status(referral: Referral, status: str, actor) -> None:
    if referral.status == status:
        return
    referral.status = status
    referral.status_changed_at = timezone.now()
    referral.save(update_fields=["status", "status_changed_at"])
    ReferralEvent.objects.create(referral=referral, status=status, actor=actor)


def _check_matching(*, time_zone: str, format: str) -> None:
    if time_zone:
        try:
            validate_time_zone(time_zone)
        except ValidationError as error:
            raise ValidationError({"time_zone": error.messages}) from None
    if format and format not in MeetingFormat.values:
        raise ValidationError({"format": [_("Choose how they would like to meet from the list.")]})


@transaction.atomic
def referral_submit(**fields) -> Referral:
    """A request from the public form (no account). Only if the person said a written
    message is safe, it is acknowledged (by email and by text, to what they gave), saying
    only that the message arrived."""
    referral = Referral(**{key: value for key, value in fields.items() if key in REQUEST_FIELDS})
    referral.email = (referral.email or "").strip().lower()
    referral.phone = (referral.phone or "").strip()
    if not referral.email and not referral.phone:
        raise ValidationError({"email": [_("Give an email address or a phone number, or both.")]})
    if not referral.consent_contact:
        raise ValidationError(
            {"consent_contact": [_("We can only reply if you agree to be contacted.")]}
        )
    _check_matching(time_zone=referral.time_zone, format=referral.format)
    referral.language = (referral.language or "").split("-")[0]
    if referral.language not in dict(settings.LANGUAGES):
        referral.language = ""
    referral.full_clean()
    referral.save()
    ReferralEvent.objects.create(referral=referral, status=Status.NEW, actor=None)
    _audit(referral, None, "created")
    if referral.message_ok and referral.email:
        notifications_api.referral_acknowledge(referral.pk)
    if referral.message_ok and referral.phone:
        acknowledge_by_text_after_commit(referral.pk)
    return referral


def _check_may_work_on(referral: Referral, actor) -> None:
    if not referrals_visible_to(actor).filter(pk=referral.pk).exists():
        raise ValidationError(_("You cannot work on this request."))


@transaction.atomic
def referral_take(*, referral: Referral, actor) -> Referral:
    """`actor` takes the request: they are the one who will contact the person."""
    _check_may_work_on(referral, actor)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    referral.taken_by = actor
    referral.save(update_fields=["taken_by"])
    _audit(referral, actor, "taken")
    return referral


@transaction.atomic
def referral_update(
    *,
    referral: Referral,
    actor,
    status: str,
    notes: str = "",
    group=None,
    time_zone: str | None = None,
    format: str | None = None,
) -> Referral:
    """Change the status, notes, matched group and (when given) the person's time zone and
    format. A facilitator may match only with a group they run (that is who then sees the
    request); staff with any."""
    _check_may_work_on(referral, actor)
    if status not in Status.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    if group is not None and not can_facilitate(actor, group):
        raise ValidationError({"group": [_("Choose one of the groups you run.")]})
    _check_matching(time_zone=time_zone or "", format=format or "")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    changed = []
    if referral.notes != notes:
        referral.notes = notes
        changed.append("notes")
    if referral.group_id != (group.pk if group else None):
        referral.group = group
        changed.append("group")
    for name, value in (("time_zone", time_zone), ("format", format)):
        if value is not None and getattr(referral, name) != value:
            setattr(referral, name, value)
            changed.append(name)
    referral.save(update_fields=["notes", "group", "time_zone", "format"])
    if referral.status != status:
        changed.append("status")
    _set_status(referral, status, actor)
    _audit(referral, actor, "updated", changed=sorted(changed) or None)
    return referral


def _account_for(referral: Referral):
    """The person's account: found by their email, or made without a password (they choose
    one from the seat offer's link). A request with no email cannot have one yet."""
    User = get_user_model()
    if not referral.email:
        raise ValidationError(
            _(
                "This request has no email address. Ask the person for one before recording "
                "the screening."
            )
        )
    existing = User.objects.filter(email__iexact=referral.email).first()
    if existing is not None:
        if not existing.is_member:
            raise ValidationError(_("This address belongs to a staff or facilitator account."))
        return existing
    extra = {"language": referral.language} if referral.language else {}
    member = User.objects.create_user(
        email=referral.email,
        password=None,
        display_name=(referral.name or "")[:60],
        phone=_phone_or_blank(referral.phone),
        **extra,
    )
    if referral.message_ok and member.phone:
        # They said written messages are safe: a seat offer reaches them by text too.
        notifications_api.texts_are_safe(member.pk)
    return member


def _phone_or_blank(value: str) -> str:
    """The request's number in E.164 for the account, or none if it is not a real number."""
    try:
        return normalize_phone(value)
    except ValidationError:
        return ""


@transaction.atomic
def referral_record_intake(
    *, referral: Referral, actor, level: str, recommended_kind: str, notes: str = "", group=None
) -> Referral:
    """Record the screening from a request: the person's own answers carried over, the level
    of use and recommended kind assessed by `actor`, through members' own intake service
    (which decides who may screen whom: a newcomer in no group yet, staff only). It names no
    group until the person joins one (then `intake_attach_group`)."""
    _check_may_work_on(referral, actor)
    if not is_facilitating_role(actor):
        raise ValidationError(_("Only staff and facilitators record screenings."))
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.intake_id is not None:
        raise ValidationError(_("A screening is already recorded for this request."))
    member = _account_for(referral)
    answers = {field: getattr(referral, field) for field in Referral.ANSWER_FIELDS}
    intake = intake_record(
        member=member,
        actor=actor,
        group=group,
        level=level,
        recommended_kind=recommended_kind,
        notes=notes,
        **answers,
    )
    referral.member = member
    referral.intake = intake
    if group is not None and referral.group_id is None:
        referral.group = group
    referral.save(update_fields=["member", "intake", "group"])
    _set_status(referral, Status.SCREENED, actor)
    _audit(referral, actor, "screened")
    return referral


def referral_status_follows(referral_id: int | None, status: str, actor=None) -> None:
    """The waiting list moves a request along (waiting, offered, joined, declined)."""
    if referral_id is None:
        return
    referral = Referral.objects.select_for_update().filter(pk=referral_id).first()
    if referral is not None and referral.status not in (Status.CLOSED,):
        _set_status(referral, status, actor)


def intake_attach_group(referral_id: int | None, group, actor) -> None:
    """Once the person has joined `group`, their screening from the request is recorded for
    it, so its facilitators can read it (members' rules decide; a refusal changes nothing)."""
    if referral_id is None:
        return
    referral = Referral.objects.filter(pk=referral_id).select_related("intake").first()
    if referral is None or referral.intake is None or referral.intake.group_id is not None:
        return
    answers = {field: getattr(referral.intake, field) for field in INTAKE_FIELDS}
    try:
        with transaction.atomic():
            intake_update(intake=referral.intake, actor=actor, group=group, **answers)
    except ValidationError:
        return


def address_confirmed_by_link(user) -> None:
    """The seat offer's link reached this address, which proves it is theirs: allauth then lets
    them sign in with it later (verification is mandatory)."""
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )


def groups_to_match(actor):
    """Groups a request may be matched with by `actor`."""
    return groups_facilitated_by(actor).active().order_by("name")
