"""Entry points other apps call when something worth telling people happens, and the
writes behind them.

Each is called inside the caller's transaction: rows are written there, so they commit or
roll back with the change; the dispatcher is nudged only after commit. Every row has a
unique `key`, so calling any of these twice never makes a second message.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from groups.models import EnrollmentStatus
from materials.selectors import material_recipients
from notifications.models import Channel, Kind, Notification, Preference, Status
from notifications.timing import after_quiet_hours, reminder_due_at, reminder_due_with_quiet
from sessions.models import Answer, Seat, SessionStatus

logger = logging.getLogger(__name__)

SESSION_CHANGES = {
    "scheduled": Kind.SESSION_SCHEDULED,
    "moved": Kind.SESSION_MOVED,
    "cancelled": Kind.SESSION_CANCELLED,
}
MAX_OFFSET_MINUTES = 14 * 24 * 60


def digest_before_minutes() -> int:
    return getattr(settings, "NOTIFICATIONS_DIGEST_BEFORE_MINUTES", 3 * 60)


# --- who hears, on what ------------------------------------------------------------------


def preferences_for(users) -> dict[int, Preference]:
    return {p.user_id: p for p in Preference.objects.filter(user__in=[u.pk for u in users])}


def channels_for(user, preference: Preference | None) -> list[str]:
    """The channels a person chose that can reach them (a text needs a phone number)."""
    chosen = preference.channels if preference is not None else [Channel.EMAIL, Channel.IN_APP]
    channels = [c for c in Channel.values if c in (chosen or [])]
    if not user.phone and Channel.SMS in channels:
        channels.remove(Channel.SMS)
    if not user.email and Channel.EMAIL in channels:
        channels.remove(Channel.EMAIL)
    return channels


def offsets_for(group, preference: Preference | None) -> list[int]:
    """A person's own offsets if they set some, else the group's; at most two weeks ahead."""
    if preference is not None and not preference.reminders_on:
        return []
    raw = preference.reminder_offsets if preference and preference.reminder_offsets else None
    if raw is None:
        raw = group.reminder_offsets if group.reminder_offsets is not None else [1440, 120]
    offsets = set()
    for value in raw:
        try:
            minutes = int(value)
        except (TypeError, ValueError):
            continue
        if 0 <= minutes <= MAX_OFFSET_MINUTES:
            offsets.add(minutes)
    return sorted(offsets, reverse=True)


def session_members(session):
    """Active members of the session's group, as people."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            enrollments__group_id=session.group_id,
            enrollments__status=EnrollmentStatus.ACTIVE,
        )
        .distinct()
    )


def reminder_skip_reason(session, member_id: int, answers: dict | None = None) -> str:
    """Why a member should get no reminder for this session now ('' if they should)."""
    if session.status != SessionStatus.SCHEDULED:
        return "the session is cancelled" if session.is_cancelled else "the session is over"
    if session.starts_at <= timezone.now():
        return "the session had already started"
    if answers is None:
        answers = {
            r.member_id: (r.answer, r.seat) for r in session.rsvps.filter(member_id=member_id)
        }
    answer, seat = answers.get(member_id, (None, None))
    if answer == Answer.NOT_GOING:
        return "they answered not going"
    if seat == Seat.WAITLISTED:
        return "they are on the waiting list"
    return ""


# --- reminders and the facilitators' digest ----------------------------------------------


def _key(*parts) -> str:
    return ":".join(str(p) for p in parts)


def _stamp(session) -> int:
    return int(session.starts_at.timestamp())


def _desired_session_rows(session, now) -> dict[tuple, Notification]:
    """Every reminder and digest row this session should have, by slot."""
    desired: dict[tuple, Notification] = {}
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= now:
        return desired
    group = session.group
    members = list(session_members(session))
    facilitators = list(group.facilitators.filter(is_active=True))
    prefs = preferences_for(members + facilitators)
    answers = {r.member_id: (r.answer, r.seat) for r in session.rsvps.all()}
    for member in members:
        if reminder_skip_reason(session, member.pk, answers):
            continue
        pref = prefs.get(member.pk)
        offsets = offsets_for(group, pref)
        past = [o for o in offsets if reminder_due_at(session.starts_at, o, group.time_zone) <= now]
        # Of the times already gone, only the nearest one is still worth sending (now).
        keep = set(offsets) - set(past) | ({min(past)} if past else set())
        for channel in channels_for(member, pref):
            for offset in keep:
                due = reminder_due_with_quiet(
                    session.starts_at, offset, group.time_zone, pref, member.time_zone
                )
                slot = (Kind.REMINDER, member.pk, channel, offset)
                desired[slot] = Notification(
                    recipient=member,
                    kind=Kind.REMINDER,
                    channel=channel,
                    session=session,
                    offset_minutes=offset,
                    key=_key("reminder", session.pk, _stamp(session), member.pk, channel, offset),
                    due_at=max(due, now) if offset in past else due,
                )
    digest_offset = digest_before_minutes()
    digest_due = max(session.starts_at - datetime.timedelta(minutes=digest_offset), now)
    for facilitator in facilitators:
        for channel in channels_for(facilitator, prefs.get(facilitator.pk)):
            slot = (Kind.FACILITATOR_DIGEST, facilitator.pk, channel, digest_offset)
            desired[slot] = Notification(
                recipient=facilitator,
                kind=Kind.FACILITATOR_DIGEST,
                channel=channel,
                session=session,
                offset_minutes=digest_offset,
                key=_key("digest", session.pk, _stamp(session), facilitator.pk, channel),
                due_at=digest_due,
            )
    return desired


def session_reminders_sync(session) -> None:
    """Create, re-time or cancel the pending reminders of one session to match its state.

    Pending rows that still fit are re-timed in place; ones that no longer fit (cancelled
    session, "not going", reminders turned off) are cancelled; missing ones are created.
    Sent, failed and skipped rows are history and never touched.
    """
    now = timezone.now()
    desired = _desired_session_rows(session, now)
    kinds = (Kind.REMINDER, Kind.FACILITATOR_DIGEST)
    existing = Notification.objects.filter(session=session, kind__in=kinds)
    pending = {}
    settled_keys = set()
    to_cancel, to_update = [], []
    for row in existing.only(
        "pk", "kind", "recipient_id", "channel", "offset_minutes", "key", "due_at", "status"
    ):
        slot = (row.kind, row.recipient_id, row.channel, row.offset_minutes)
        if row.status != Status.PENDING:
            settled_keys.add(row.key)
        elif slot in pending:
            to_cancel.append(row.pk)  # one pending row per slot, whatever raced before
        else:
            pending[slot] = row
    for slot, row in pending.items():
        wanted = desired.pop(slot, None)
        if wanted is None or wanted.key in settled_keys:
            to_cancel.append(row.pk)
            continue
        target = wanted.due_at
        if target <= now and row.due_at <= now:
            target = row.due_at  # already overdue: leave its place in the queue
        if row.key != wanted.key or row.due_at != target:
            row.key, row.due_at = wanted.key, target
            to_update.append(row)
    if to_cancel:
        cancel_rows(Notification.objects.filter(pk__in=to_cancel), _cancel_reason(session))
    if to_update:
        Notification.objects.bulk_update(to_update, ["key", "due_at"], batch_size=500)
    new_rows = [row for row in desired.values() if row.key not in settled_keys]
    if new_rows:
        Notification.objects.bulk_create(new_rows, ignore_conflicts=True, batch_size=500)
        if any(row.due_at <= now for row in new_rows):
            nudge_dispatcher()


def cancel_rows(rows, reason: str) -> int:
    """Cancel pending rows. A cancelled row gives up its key, so the same message can be
    wanted again later (an answer changed back, a session moved back)."""
    return rows.filter(status=Status.PENDING).update(
        status=Status.CANCELLED,
        last_error=reason[:500],
        key=Concat(F("key"), Value(":cancelled:"), Cast("pk", CharField())),
    )


def _cancel_reason(session) -> str:
    if session.is_cancelled:
        return "the session was cancelled"
    if session.starts_at <= timezone.now():
        return "the session had already started"
    return "no longer needed (answer, move or preferences changed)"


# --- one-off notices --------------------------------------------------------------------


def _notices(recipients, *, kind, key_parts, session=None, about=None, due_at=None) -> int:
    """One row per recipient and chosen channel, due now (after their quiet hours)."""
    now = timezone.now()
    due = max(due_at or now, now)
    recipients = list(recipients)
    prefs = preferences_for(recipients)
    content_type = ContentType.objects.get_for_model(about) if about is not None else None
    rows = []
    for person in recipients:
        pref = prefs.get(person.pk)
        for channel in channels_for(person, pref):
            rows.append(
                Notification(
                    recipient=person,
                    kind=kind,
                    channel=channel,
                    session=session,
                    content_type=content_type,
                    object_id=about.pk if about is not None else None,
                    key=_key(kind, *key_parts, person.pk, channel),
                    due_at=after_quiet_hours(due, pref, person.time_zone),
                )
            )
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    if rows:
        nudge_dispatcher()
    return len(rows)


def notify_session_changed(session, change: str) -> None:
    """Tell the session's members it was scheduled, moved or cancelled (`change`)."""
    kind = SESSION_CHANGES.get(change)
    if kind is None:
        raise ValueError(f"unknown session change {change!r}")
    session_reminders_sync(session)
    if session.starts_at <= timezone.now() and kind != Kind.SESSION_CANCELLED:
        return
    recipients = session_members(session)
    _notices(
        recipients,
        kind=kind,
        key_parts=(session.pk, session.sequence, _stamp(session)),
        session=session,
    )


def notify_waitlist_promoted(rsvp) -> None:
    """Tell a member their waitlisted seat is now confirmed."""
    session = rsvp.session
    session_reminders_sync(session)
    if session.starts_at <= timezone.now() or not rsvp.member.is_active:
        return
    _notices(
        [rsvp.member],
        kind=Kind.WAITLIST_PROMOTED,
        key_parts=(rsvp.pk, int(rsvp.answered_at.timestamp())),
        session=session,
    )


def notify_material_published(material) -> None:
    """Tell the audience of a reading item that it is available."""
    visible_from = getattr(material, "visible_from", None)
    if isinstance(visible_from, datetime.date) and not isinstance(visible_from, datetime.datetime):
        visible_from = datetime.datetime.combine(visible_from, datetime.time(9)).replace(
            tzinfo=datetime.UTC
        )
    # The materials app owns who an item reaches, so the wall lives in one place.
    _notices(
        material_recipients(material),
        kind=Kind.MATERIAL_PUBLISHED,
        key_parts=(material._meta.label_lower, material.pk),
        session=getattr(material, "session", None),
        about=material,
        due_at=visible_from,
    )


def notify_absence_follow_up(enrollment) -> None:
    """Tell the group's facilitators that a member reached the absence threshold."""
    facilitators = enrollment.group.facilitators.filter(is_active=True)
    _notices(
        facilitators,
        kind=Kind.ABSENCE_FOLLOW_UP,
        key_parts=(enrollment.pk, timezone.now().date().isoformat()),
        about=enrollment,
    )


def nudge_dispatcher() -> None:
    """After commit, ask the dispatcher to run now rather than at its next minute."""
    from notifications.tasks import dispatch_due

    transaction.on_commit(dispatch_due.delay, robust=True)


# --- the member's own settings and in-app list ------------------------------------------


def preference_update(*, user, channels, reminders_on, reminder_offsets, quiet_start, quiet_end):
    preference, _ = Preference.objects.get_or_create(user=user)
    preference.channels = [c for c in Channel.values if c in channels]
    preference.reminders_on = reminders_on
    preference.reminder_offsets = sorted(set(reminder_offsets), reverse=True) or None
    preference.quiet_start, preference.quiet_end = quiet_start, quiet_end
    preference.save()
    member_reminders_resync(user)
    return preference


def member_reminders_resync(member) -> None:
    """After someone joins, pauses or leaves a group: re-derive their upcoming reminders
    (after commit, in a task). Reconciliation would catch it within ten minutes anyway."""
    transaction.on_commit(lambda: _resync_user(member.pk), robust=True)


def _resync_user(user_id: int) -> None:
    from notifications.tasks import reminders_sync_for_user

    reminders_sync_for_user.delay(user_id)


def preference_email_off(*, user) -> Preference:
    """The one-click unsubscribe: no more email, everything else as it was."""
    preference, _ = Preference.objects.get_or_create(user=user)
    preference.channels = [c for c in preference.channels if c != Channel.EMAIL]
    preference.save(update_fields=["channels", "updated_at"])
    cancel_rows(
        Notification.objects.filter(recipient=user, channel=Channel.EMAIL),
        "they turned email off",
    )
    return preference


def inbox_mark_read(*, user, pk=None) -> int:
    rows = Notification.objects.filter(
        recipient=user, channel=Channel.IN_APP, status=Status.SENT, read_at__isnull=True
    )
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=timezone.now())
