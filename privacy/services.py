"""Writes for a member's own data: erasure requests, staff decisions and the erasure itself.

Each app erases its own part (`forget_member` at the end of its services module); this module
runs them in one transaction, in an order where each still finds what it needs.
"""

import logging
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendance import services as attendance_services
from audit import api as audit
from groups import services as groups_services
from measures import services as measures_services
from members.services import erasure as members_erasure
from notifications import api as notifications_api
from notifications import services as notifications_services
from privacy.models import ErasureRequest, ErasureStatus
from referrals import erasure as referrals_erasure
from sessions import services as sessions_services

logger = logging.getLogger(__name__)

ALREADY_DECIDED = gettext_lazy("This request was already decided.")


@transaction.atomic
def erasure_request_create(*, member, reason: str = "") -> ErasureRequest:
    """A member asks for erasure. Asking again while a request waits returns that request;
    after a refusal they may ask again. Nothing is blocked while it waits."""
    if not member.is_member or not member.is_active:
        raise ValidationError(_("Only a member can ask for their own data to be erased."))
    existing = ErasureRequest.objects.filter(
        member=member, status__in=(ErasureStatus.PENDING, ErasureStatus.APPROVED)
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(member=member, reason=reason.strip())
    except IntegrityError:
        # The same member asked twice at the same moment: the first request stands.
        return ErasureRequest.objects.get(member=member, status=ErasureStatus.PENDING)
    audit.record(
        "privacy.erasure_request",
        subject=member,
        target="privacy.erasurerequest",
        target_id=request.pk,
    )
    return request


@transaction.atomic
def erasure_request_decide(
    *, request: ErasureRequest, actor, approve: bool, reason: str = ""
) -> ErasureRequest:
    """Staff approve (the erasure runs at once) or refuse (with a reason the member reads).
    The member is told by a discreet email after commit."""
    if not actor.is_clinic_staff:
        raise ValidationError(_("Only clinic staff decide erasure requests."))
    request = ErasureRequest.objects.select_for_update().select_related("member").get(pk=request.pk)
    if request.status != ErasureStatus.PENDING:
        raise ValidationError(ALREADY_DECIDED)
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the request is refused: the member reads it.")})
    member = request.member
    address = member.email  # captured now: an approved erasure replaces it
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.status = ErasureStatus.APPROVED if approve else ErasureStatus.REFUSED
    request.save(update_fields=["decided_by", "decided_at", "decision_reason", "status"])
    detail = {"request": request.pk}
    if approve:
        audit.record("privacy.erasure_approve", subject=member, actor=actor, detail=detail)
        member_erase(member=member, actor=actor)
        request.refresh_from_db()
    else:
        audit.record("privacy.erasure_refuse", subject=member, actor=actor, detail=detail)
    outcome = "done" if approve else "refused"
    transaction.on_commit(lambda: _tell_member(address, outcome), robust=True)
    return request


@transaction.atomic
def member_erase(*, member, actor=None) -> None:
    """Erase one member: identity and free text go; attendance marks stay as pseudonymous
    counts; the audit trail stays (it names people by id only). Idempotent: a second run
    changes nothing more, and records itself again."""
    if not member.is_member:
        raise ValidationError(_("Only a member's account can be erased."))
    old_email = member.email
    # Seats and reminders first, while the person is still on the rosters.
    sessions_services.forget_member(member.pk)
    groups_services.forget_member(member.pk)
    attendance_services.forget_member(member.pk)
    measures_services.forget_member(member.pk)
    # Before members' own part: requests are found by the address it replaces.
    referrals_erasure.forget_member(member.pk, email=old_email)
    placeholder = members_erasure.forget_member(member)
    notifications_services.forget_member(member.pk, email=old_email, placeholder=placeholder)
    now = timezone.now()
    ErasureRequest.objects.filter(member=member).update(reason="")
    ErasureRequest.objects.filter(member=member, status=ErasureStatus.APPROVED).update(
        status=ErasureStatus.DONE, done_at=now
    )
    audit.record(
        "privacy.erasure", subject=member, actor=actor, target="members.user", target_id=member.pk
    )


def _tell_member(address: str, outcome: str) -> None:
    """A discreet email saying only that the request was answered (never the reason, which
    staff wrote freely; a refused member reads it signed in). Never raises."""
    if not address or members_erasure.is_erased_email(address):
        return
    try:
        message = notifications_api.account_email_render(
            "privacy/email/erasure_decided",
            address,
            {"outcome": outcome, "clinic_name": settings.CLINIC_NAME},
            subject_prefix=f"{settings.CLINIC_NAME}: ",
        )
        message.send()
    except notifications_api.HeldBack as held:
        logger.error("erasure decision email held back: %s", held)
    except (smtplib.SMTPException, OSError):
        logger.exception("erasure decision email failed")
