"""The one way into notifications from the apps below it: events, by id, and the one email
helper for allauth's messages (through members.adapter).

Each event function is called inside the caller's transaction. The outbox rows are written there,
so they commit or roll back with the change; Celery work (the dispatcher, a person's
re-derived reminders) is queued only after commit. Every row has a unique key, so calling
any of these twice never makes a second message.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from groups.selectors import stints
from materials.models import Material
from measures.models import Alert, Prompt
from members.models import Invitation, User
from notifications import services, sms, tasks
from notifications.audience import channels_for, preferences_for
from notifications.discretion import HeldBack, check_discreet
from notifications.mail import DeliveryError, build_email
from notifications.models import Channel, Kind, Notification, Preference
from notifications.rendering import render_email
from referrals.models import Referral, SeatOffer
from sessions.models import RSVP, Session, SessionStatus

logger = logging.getLogger(__name__)

__all__ = [
    "HeldBack",
    "absence_follow_up_opened",
    "account_email_render",
    "group_roster_changed",
    "invitation_send",
    "material_published",
    "measure_alert_escalated",
    "measure_alert_raised",
    "measure_prompted",
    "member_reminders_changed",
    "notes_outstanding",
    "referral_acknowledge",
    "referral_acknowledge_by_text",
    "seat_offered",
    "texts_are_safe",
    "reminder_reach",
    "series_changed",
    "sessions_added",
    "session_changed",
    "sessions_changed",
]


def reminder_reach(now: datetime.datetime) -> datetime.datetime:
    """A session starting after this can have no reminder row yet (none is due within the
    window): a new one needs no sessions_changed() until the reconciliation reaches it."""
    return services.reminder_reach(now)


def _dispatch_after_commit(due: int) -> None:
    """After commit, ask the dispatcher to run now rather than at its next minute."""
    if due:
        transaction.on_commit(tasks.dispatch_due.delay, robust=True)


def _session_changed(
    session: Session, change: str | None, promoted_rsvp_ids=(), moved_from=None
) -> int:
    # The notice first, then the reminders: one due about when the notice goes is folded
    # into it.
    due = 0
    if change:
        due += services.notify_session_changed(session, change, moved_from=moved_from)
    due += services.sessions_reminders_sync([session])
    ids = list(promoted_rsvp_ids)
    promoted = RSVP.objects.select_related("member", "session__group").in_bulk(ids)
    for pk in ids:  # in the order they moved up
        due += services.notify_waitlist_promoted(promoted[pk])
    return due


def session_changed(
    session_id: int,
    *,
    change: str | None = None,
    promoted_rsvp_ids: Iterable[int] = (),
    moved_from: datetime.datetime | None = None,
) -> None:
    """A session was created, edited, moved, cancelled or answered: tell its members about
    `change` ("scheduled", "moved" from `moved_from`, "cancelled"), re-derive its reminders
    once, then tell each of `promoted_rsvp_ids` that their seat is confirmed."""
    session = Session.objects.select_related("group").get(pk=session_id)
    _dispatch_after_commit(_session_changed(session, change, promoted_rsvp_ids, moved_from))


def series_changed(
    *,
    moved: dict[int, tuple[datetime.datetime, datetime.datetime]],
    cancelled_ids: Iterable[int] = (),
    added_ids: Iterable[int] = (),
) -> None:
    """A series edit moved sessions (`moved`: {session id: (old start, old end)}) and
    cancelled or added others: each member hears once for the whole change, then every
    affected session's reminders are re-derived (a few queries for the whole horizon)."""
    cancelled_ids, added_ids = list(cancelled_ids), list(added_ids)
    ids = [*moved, *cancelled_ids, *added_ids]
    sessions = Session.objects.select_related("group").in_bulk(ids)
    due = services.notify_series_changed(
        moved=[(sessions[pk], old) for pk, old in moved.items()],
        cancelled=[sessions[pk] for pk in cancelled_ids],
        added=[sessions[pk] for pk in added_ids],
    )
    due += services.reminders_sync_many(sorted(sessions.values(), key=lambda s: s.pk))
    _dispatch_after_commit(due)


def sessions_changed(session_ids: Iterable[int], *, change: str | None = None) -> None:
    """The same for several sessions (a series edit): one sync per session."""
    sessions = list(
        Session.objects.select_related("group")
        .filter(pk__in=list(session_ids))
        .order_by("starts_at", "pk")
    )
    # Reminders first, a chunk of sessions at a time (a series' whole horizon costs a few
    # queries, not a sync per week), then the notices.
    due = services.reminders_sync_many(sessions)
    if change:
        for session in sessions:
            due += services.notify_session_changed(session, change)
    _dispatch_after_commit(due)


def sessions_added(session_ids: Iterable[int]) -> None:
    """Sessions were created in bulk (the periodic materialisation): their reminders are
    derived in a task after commit, so the bulk write stays short."""
    ids = list(session_ids)
    if ids:
        transaction.on_commit(lambda: tasks.sessions_reminders_sync.delay(ids), robust=True)


def group_roster_changed(group_id: int) -> None:
    """Someone joined, paused or left a group: re-derive the reminders of its upcoming,
    not-cancelled sessions."""
    upcoming = (
        Session.objects.select_related("group")
        .filter(group_id=group_id, starts_at__gte=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
    )
    _dispatch_after_commit(services.sessions_reminders_sync(upcoming))


def member_reminders_changed(member_id: int) -> None:
    """A person's preferences or groups changed: re-derive their upcoming reminders in a
    task after commit (reconciliation would catch it within ten minutes anyway)."""
    transaction.on_commit(lambda: tasks.reminders_sync_for_user.delay(member_id), robust=True)


def material_published(material_id: int) -> None:
    """A reading item became visible: tell its audience."""
    material = Material.objects.get(pk=material_id)
    _dispatch_after_commit(services.notify_material_published(material))


def absence_follow_up_opened(enrollment_id: int) -> None:
    """A member reached their group's absence threshold: tell the group's facilitators."""
    enrollment = stints().select_related("group", "member").get(pk=enrollment_id)
    _dispatch_after_commit(services.notify_absence_follow_up(enrollment))


def notes_outstanding(facilitator_id: int, count: int, day: datetime.date) -> None:
    """A facilitator's next-day digest: notes of past sessions still to write or sign. One
    message per facilitator and `day` (their local date): a second call writes nothing. It
    says how many items wait (counted again when sent) and links to the notes page; never a
    group, a member or what the items are."""
    facilitator = User.objects.filter(pk=facilitator_id, is_active=True).first()
    if facilitator is None or count <= 0:
        return
    due = services._notices(
        [facilitator], kind=Kind.NOTES_OUTSTANDING, key_parts=(day.isoformat(),)
    )
    _dispatch_after_commit(due)


def measure_prompted(prompt_id: int) -> None:
    """A member was asked for a few answers (a questionnaire slot opened)."""
    prompt = Prompt.objects.select_related("member", "session__group").get(pk=prompt_id)
    _dispatch_after_commit(services.notify_measure_prompt(prompt))


def measure_alert_raised(alert_id: int) -> None:
    """An answer met a flag rule: the group's facilitators hear at once, by every channel
    they chose and in the app, whatever their quiet hours. Rows commit with the answer; the
    dispatcher is queued on commit."""
    alert = Alert.objects.select_related("group", "member").get(pk=alert_id)
    _dispatch_after_commit(services.notify_measure_alert(alert))


def measure_alert_escalated(alert_id: int) -> None:
    """An alert nobody acknowledged in time: clinic staff hear, the same way."""
    alert = Alert.objects.select_related("group", "member").get(pk=alert_id)
    _dispatch_after_commit(services.notify_measure_escalation(alert))


def invitation_send(invitation_id: int) -> None:
    """Email an invitation's link through the outbox (discretion check, retries, status)."""
    invitation = Invitation.objects.get(pk=invitation_id)
    _dispatch_after_commit(services.invitation_queue(invitation))


def referral_acknowledge(referral_id: int) -> None:
    """Tell someone who asked for a first conversation that it arrived (nothing more)."""
    referral = Referral.objects.get(pk=referral_id)
    _dispatch_after_commit(services.referral_ack_queue(referral))


def referral_acknowledge_by_text(referral_id: int) -> bool:
    """Text the number a request gave that it arrived, in the language it was written in.
    Not an outbox row: the person has no account and outbox rows reach an account or an
    email address. The caller (a task after commit) makes sure it is sent at most once; a
    failure is logged, not retried (staff contact them anyway). Never raises."""
    referral = Referral.objects.filter(pk=referral_id).first()
    to = sms.text_number(referral.phone) if referral is not None and referral.message_ok else ""
    if referral is None or not to:
        return False
    with translation.override(referral.language or settings.LANGUAGE_CODE):
        text = render_to_string(
            "notifications/sms/referral_ack.txt", {"clinic_name": settings.CLINIC_NAME}
        )
    try:
        check_discreet(text)
        sms.send_sms(to=to, text=text)
    except HeldBack as held:
        logger.error("request acknowledgement text held back: %s", held)
        return False
    except DeliveryError as error:
        logger.warning("request acknowledgement text not sent: %s", error)
        return False
    return True


def texts_are_safe(member_id: int) -> None:
    """A person said texts reach them safely (on their request, when their account was made
    from it): text messages join the channels they hear on, if their number is a mobile's.
    They can change it later."""
    member = User.objects.filter(pk=member_id).first()
    if member is None or not sms.text_number(member.phone):
        return
    preference, _ = Preference.objects.get_or_create(user=member)
    if Channel.SMS not in preference.channels:
        preference.channels = [
            c for c in Channel.values if c in [*preference.channels, Channel.SMS]
        ]
        preference.save(update_fields=["channels", "updated_at"])


def _seat_offer_text(offer: SeatOffer) -> int:
    """The offer by text as well, to someone who hears by text (one row per offer)."""
    member = offer.entry.member
    if Channel.SMS not in channels_for(member, preferences_for([member]).get(member.pk)):
        return 0
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=member,
                kind=Kind.SEAT_OFFER,
                channel=Channel.SMS,
                content_type=ContentType.objects.get_for_model(offer),
                object_id=offer.pk,
                key=f"seat-offer:{offer.pk}:sms",
                due_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )
    return len(created)


def seat_offered(offer_id: int) -> None:
    """Offer a seat from a waiting list: a discreet email with the signed link, and a text
    with it to someone who hears by text."""
    offer = SeatOffer.objects.select_related("entry__member").get(pk=offer_id)
    _dispatch_after_commit(services.seat_offer_queue(offer) + _seat_offer_text(offer))


def account_email_render(
    template_prefix: str,
    to: str | list[str],
    context: dict,
    *,
    subject_prefix: str = "",
    from_email: str | None = None,
    headers: dict | None = None,
    request=None,
) -> EmailMultiAlternatives:
    """One of allauth's messages (verification, password reset, MFA notices), rendered by
    the same helper as every other email (`<prefix>_subject.txt`, `<prefix>_message.txt`,
    `<prefix>_message.html` or the text framed as HTML) and checked like every outbound
    message: raises HeldBack if it would say a forbidden word. The caller sends it at once
    (these cannot wait for the outbox)."""
    rendered = render_email(
        f"{template_prefix}_subject.txt",
        f"{template_prefix}_message.txt",
        f"{template_prefix}_message.html",
        context,
        request=request,
    )
    subject = f"{subject_prefix}{rendered.subject}"
    check_discreet(subject, rendered.text, rendered.html)
    return build_email(
        to=to,
        subject=subject,
        text=rendered.text,
        html=rendered.html,
        headers=headers,
        from_email=from_email,
    )
