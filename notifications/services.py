"""Writes to the outbox: creating, re-timing and cancelling rows, and a person's own settings.

Other apps do not call these: they call `notifications.api`, which calls these inside the
caller's transaction and queues the dispatcher after commit. Nothing here queues Celery
work; functions that create rows return how many are due now, so the caller knows whether
to nudge the dispatcher. Every row has a unique `key`, so calling any of these twice never
makes a second message.
"""

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import Attendance, Mark
from core.offsets import MAX_OFFSET_MINUTES
from core.phones import is_textable
from groups.models import ACTIVE_STATUSES, PARTICIPATED_STATUSES, Group
from groups.selectors import group_ids_of, stints
from materials.selectors import material_recipients
from members.models import Invitation, Role
from notifications.audience import (
    NOTICES_THAT_REMIND,
    channels_for,
    merge_window,
    offsets_for,
    preferences_for,
    reminder_skip_reason,
    session_members,
)
from notifications.models import Channel, Kind, Notification, Preference, Status
from notifications.timing import after_quiet_hours, reminder_due_at, reminder_due_with_quiet
from sessions.models import RSVP, Session, SessionStatus

logger = logging.getLogger(__name__)

SESSION_CHANGES = {
    "scheduled": Kind.SESSION_SCHEDULED,
    "moved": Kind.SESSION_MOVED,
    "cancelled": Kind.SESSION_CANCELLED,
}


def digest_before_minutes() -> int:
    return settings.NOTIFICATIONS_DIGEST_BEFORE_MINUTES


def reconcile_horizon() -> datetime.timedelta:
    """How far ahead sessions are re-derived; further ones get theirs when they come closer."""
    return datetime.timedelta(days=settings.NOTIFICATIONS_RECONCILE_DAYS)


def reminder_window() -> datetime.timedelta:
    """A reminder or digest row exists only once it is due within this window; the
    reconciliation creates the rest as the window advances."""
    return datetime.timedelta(hours=settings.NOTIFICATIONS_REMINDER_WINDOW_HOURS)


def reminder_reach(now) -> datetime.datetime:
    """Sessions starting after this have no reminder row due within the window, whatever
    anyone's offsets (at most MAX_OFFSET_MINUTES before)."""
    return now + reminder_window() + datetime.timedelta(minutes=MAX_OFFSET_MINUTES)


# --- reminders and the facilitators' digest ----------------------------------------------


def _key(*parts) -> str:
    return ":".join(str(p) for p in parts)


def _stamp(session) -> int:
    return int(session.starts_at.timestamp())


@dataclass
class _Audience:
    """Who the given sessions' reminders concern, read in a few queries for all of them."""

    members: dict = field(default_factory=dict)  # group id -> active members
    facilitators: dict = field(default_factory=dict)  # group id -> active facilitators
    prefs: dict = field(default_factory=dict)  # user id -> Preference
    answers: dict = field(default_factory=dict)  # session id -> {member id: (answer, seat)}
    excused: set = field(default_factory=set)  # (session id, member id) marked excused
    # (session id, member id, channel) -> due times of live notices about its current time
    notices: dict = field(default_factory=dict)


def _audience(sessions) -> _Audience:
    """Queries: active stints, facilitators, the people, their preferences, the RSVPs."""
    audience = _Audience()
    if not sessions:
        return audience
    group_ids = {s.group_id for s in sessions}
    stint_pairs = list(
        stints(groups=group_ids, statuses=ACTIVE_STATUSES).values_list("group_id", "member_id")
    )
    through = Group.facilitators.through
    run_pairs = list(
        through.objects.filter(group_id__in=group_ids).values_list("group_id", "user_id")
    )
    ids = {pk for _, pk in stint_pairs} | {pk for _, pk in run_pairs}
    people = get_user_model().objects.filter(pk__in=ids, is_active=True).in_bulk()
    for group_id, member_id in stint_pairs:
        if member_id in people:
            audience.members.setdefault(group_id, []).append(people[member_id])
    for group_id, user_id in run_pairs:
        if user_id in people:
            audience.facilitators.setdefault(group_id, []).append(people[user_id])
    audience.prefs = preferences_for(people.values())
    for session_id, member_id, answer, seat in RSVP.objects.filter(
        session__in=[s.pk for s in sessions]
    ).values_list("session_id", "member_id", "answer", "seat"):
        audience.answers.setdefault(session_id, {})[member_id] = (answer, seat)
    session_ids = [s.pk for s in sessions]
    audience.excused = set(
        Attendance.objects.filter(session__in=session_ids, mark=Mark.EXCUSED).values_list(
            "session_id", "member_id"
        )
    )
    stamps = {s.pk: _stamp(s) for s in sessions}
    notices = Notification.objects.filter(
        session__in=session_ids,
        kind__in=NOTICES_THAT_REMIND,
        status__in=[Status.PENDING, Status.SENDING, Status.SENT],
    ).values_list("session_id", "recipient_id", "channel", "details", "due_at")
    for session_id, member_id, channel, details, due_at in notices:
        if (details or {}).get("stamp") == stamps[session_id]:
            audience.notices.setdefault((session_id, member_id, channel), []).append(due_at)
    return audience


def _desired_session_rows(session, now, audience: _Audience) -> dict[tuple, Notification]:
    """Every reminder and digest row this session should have, by slot."""
    desired: dict[tuple, Notification] = {}
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= now:
        return desired
    if session.starts_at > reminder_reach(now):
        return desired
    until = now + reminder_window()
    group = session.group
    members = audience.members.get(session.group_id, [])
    facilitators = audience.facilitators.get(session.group_id, [])
    prefs = audience.prefs
    answers = audience.answers.get(session.pk, {})
    window = merge_window()
    for member in members:
        excused = (session.pk, member.pk) in audience.excused
        if reminder_skip_reason(session, member.pk, answers, excused=excused):
            continue
        pref = prefs.get(member.pk)
        # A reminder whose time had gone before the session even existed is not sent: the
        # notice of the new session says it all.
        offsets = [
            o
            for o in offsets_for(group, pref)
            if reminder_due_at(session.starts_at, o, group.time_zone) > session.created_at
        ]
        past = [o for o in offsets if reminder_due_at(session.starts_at, o, group.time_zone) <= now]
        # Of the times already gone, only the nearest one is still worth sending (now).
        keep = set(offsets) - set(past) | ({min(past)} if past else set())
        for channel in channels_for(member, pref):
            notices = audience.notices.get((session.pk, member.pk, channel), [])
            for offset in keep:
                due = reminder_due_with_quiet(
                    session.starts_at, offset, group.time_zone, pref, member.time_zone
                )
                if due > until:
                    continue  # not yet: reconciliation creates it as the window advances
                sends_at = max(due, now) if offset in past else due
                if any(abs(sends_at - notice) <= window for notice in notices):
                    continue  # a notice about this session goes about then: it reminds too
                slot = (Kind.REMINDER, member.pk, channel, offset)
                desired[slot] = Notification(
                    recipient=member,
                    kind=Kind.REMINDER,
                    channel=channel,
                    session=session,
                    offset_minutes=offset,
                    key=_key("reminder", session.pk, _stamp(session), member.pk, channel, offset),
                    due_at=sends_at,
                )
    digest_offset = digest_before_minutes()
    digest_due = max(session.starts_at - datetime.timedelta(minutes=digest_offset), now)
    if digest_due > until:
        facilitators = []
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


def session_reminders_sync(session) -> int:
    """Create, re-time or cancel the pending reminders of one session to match its state.

    Pending rows that still fit are re-timed in place; ones that no longer fit (cancelled
    session, "not going", reminders turned off) are cancelled; missing ones are created.
    Sent, failed and skipped rows are history and never touched. Returns how many new
    rows are due now.
    """
    return _sync_batch([session], timezone.now())


def reminders_sync_many(sessions, *, now=None, chunk: int = 200) -> int:
    """session_reminders_sync for many sessions (with their group), a chunk at a time: the
    same handful of queries per chunk, not per session (reconciliation, materialising)."""
    now = now or timezone.now()
    sessions = list(sessions)
    due = 0
    for i in range(0, len(sessions), chunk):
        with transaction.atomic():
            due += _sync_batch(sessions[i : i + chunk], now)
    return due


def reminders_sync_ids(session_ids) -> int:
    """reminders_sync_many for sessions given by id (a task's argument)."""
    sessions = Session.objects.select_related("group").filter(pk__in=list(session_ids))
    return reminders_sync_many(sessions.order_by("pk"))


def _sync_batch(sessions, now) -> int:
    reach = reminder_reach(now)
    near = [
        s for s in sessions if s.status == SessionStatus.SCHEDULED and now < s.starts_at <= reach
    ]
    near_ids = {s.pk for s in near}
    audience = _audience(near)
    kinds = (Kind.REMINDER, Kind.FACILITATOR_DIGEST)
    existing: dict[int | None, list] = {}
    for row in Notification.objects.filter(
        session__in=[s.pk for s in sessions], kind__in=kinds
    ).only(
        "pk",
        "session_id",
        "kind",
        "recipient_id",
        "channel",
        "offset_minutes",
        "key",
        "due_at",
        "status",
    ):
        existing.setdefault(row.session_id, []).append(row)
    to_cancel: dict[str, list[int]] = {}
    to_update, new_rows = [], []
    for session in sessions:
        desired = _desired_session_rows(session, now, audience) if session.pk in near_ids else {}
        pending = {}
        settled_keys = set()
        cancel = to_cancel.setdefault(_cancel_reason(session), [])
        for row in existing.get(session.pk, []):
            slot = (row.kind, row.recipient_id, row.channel, row.offset_minutes)
            if row.status != Status.PENDING:
                settled_keys.add(row.key)
            elif slot in pending:
                cancel.append(row.pk)  # one pending row per slot, whatever raced before
            else:
                pending[slot] = row
        for slot, row in pending.items():
            wanted = desired.pop(slot, None)
            if wanted is None or wanted.key in settled_keys:
                cancel.append(row.pk)
                continue
            target = wanted.due_at
            if target <= now and row.due_at <= now:
                target = row.due_at  # already overdue: leave its place in the queue
            if row.key != wanted.key or row.due_at != target:
                row.key, row.due_at = wanted.key, target
                to_update.append(row)
        new_rows += [row for row in desired.values() if row.key not in settled_keys]
    for reason, pks in to_cancel.items():
        if pks:
            cancel_rows(Notification.objects.filter(pk__in=pks), reason)
    if to_update:
        Notification.objects.bulk_update(to_update, ["key", "due_at"], batch_size=500)
    if new_rows:
        Notification.objects.bulk_create(new_rows, ignore_conflicts=True, batch_size=1000)
    return sum(1 for row in new_rows if row.due_at <= now)


def sessions_reminders_sync(sessions, *, now=None) -> int:
    """session_reminders_sync for many sessions (with their group). Those beyond the
    reminder reach cannot have a row due within the window: one UPDATE cancels whatever
    pending row they still hold, instead of a sync each. Returns how many are due now."""
    now = now or timezone.now()
    reach = reminder_reach(now)
    due, far = 0, []
    for session in sessions:
        if session.starts_at > reach:
            far.append(session.pk)
        else:
            due += session_reminders_sync(session)
    if far:
        cancel_rows(
            Notification.objects.filter(
                session_id__in=far, kind__in=(Kind.REMINDER, Kind.FACILITATOR_DIGEST)
            ),
            "no longer needed (answer, move or preferences changed)",
        )
    return due


def reminders_sync_for_user(user_id: int, *, now=None) -> int:
    """After someone's preferences or groups changed: their upcoming sessions, re-derived
    (groups they are in, have paused or left, and groups they run). Returns how many new
    rows are due now."""
    now = now or timezone.now()
    sessions = (
        Session.objects.select_related("group")
        .filter(starts_at__gt=now, starts_at__lte=now + reconcile_horizon())
        .filter(
            Q(group__in=group_ids_of(user_id, statuses=PARTICIPATED_STATUSES))
            | Q(group__facilitators=user_id)
        )
        .distinct()
    )
    due = 0
    for session in sessions:
        with transaction.atomic():
            due += session_reminders_sync(session)
    # Further ahead, reconciliation makes them afresh when the session comes closer.
    cancel_rows(
        Notification.objects.filter(
            recipient_id=user_id,
            kind=Kind.REMINDER,
            session__starts_at__gt=now + reconcile_horizon(),
        ),
        "preferences changed",
    )
    return due


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


def _notices(
    recipients, *, kind, key_parts, session=None, about=None, due_at=None, details=None
) -> int:
    """One row per recipient and chosen channel, due now (after their quiet hours).
    Returns how many rows it wrote."""
    rows = _notice_rows(
        recipients,
        kind=kind,
        key_parts=key_parts,
        session=session,
        about=about,
        due_at=due_at,
        details=details,
    )
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def _notice_rows(
    recipients, *, kind, key_parts, session=None, about=None, due_at=None, details=None
) -> list[Notification]:
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
                    details=details or {},
                    key=_key(kind, *key_parts, person.pk, channel),
                    due_at=after_quiet_hours(due, pref, person.time_zone),
                )
            )
    return rows


def notify_session_changed(session, change: str, *, moved_from=None) -> int:
    """Tell the session's members it was scheduled, moved (from `moved_from`) or cancelled
    (`change`). The caller (`api.session_changed`) re-derives the session's reminders
    afterwards, once, so a reminder due about when this notice goes is folded into it."""
    kind = SESSION_CHANGES.get(change)
    if kind is None:
        raise ValueError(f"unknown session change {change!r}")
    if session.starts_at <= timezone.now() and kind != Kind.SESSION_CANCELLED:
        return 0
    details = {"stamp": _stamp(session)}
    if kind == Kind.SESSION_MOVED and moved_from is not None:
        details["from"] = moved_from.isoformat()
    recipients = session_members(session)
    return _notices(
        recipients,
        kind=kind,
        key_parts=(session.pk, session.sequence, _stamp(session)),
        session=session,
        details=details,
    )


def notify_series_changed(*, moved, cancelled, added=()) -> int:
    """One notice per member for a whole series edit: `moved` is [(session, (old start,
    old end))],
    `cancelled` and `added` are sessions (with their group). Only sessions still to come are
    told; nothing is sent if none moved or was cancelled. The caller re-derives reminders
    afterwards (as for one session)."""
    now = timezone.now()
    moved = sorted(
        ((s, old) for s, old in moved if s.starts_at > now), key=lambda p: p[0].starts_at
    )
    cancelled = sorted((s for s in cancelled if s.starts_at > now), key=lambda s: s.starts_at)
    added = sorted((s for s in added if s.starts_at > now), key=lambda s: s.starts_at)
    if not moved and not cancelled:
        return 0
    details: dict[str, Any] = {
        "moved": [
            [s.pk, old[0].isoformat(), s.starts_at.isoformat(), old[1].isoformat()]
            for s, old in moved
        ],
        "cancelled": [[s.pk, s.starts_at.isoformat()] for s in cancelled],
        "added": [[s.pk, s.starts_at.isoformat()] for s in added],
    }
    # The same edit told twice has the same key; a different edit a new one.
    digest = hashlib.sha256(json.dumps(details, sort_keys=True).encode()).hexdigest()[:16]
    first = moved[0][0] if moved else cancelled[0]
    if moved:
        details["stamp"] = _stamp(first)  # its reminders may fold into this notice
    return _notices(
        session_members(first),
        kind=Kind.SERIES_CHANGED,
        key_parts=(first.group_id, digest),
        session=first,
        details=details,
    )


def notify_waitlist_promoted(rsvp) -> int:
    """Tell a member their waitlisted seat is now confirmed. The session's reminders are
    re-derived by the caller (`api.session_changed`), once for all promotions."""
    session = rsvp.session
    if session.starts_at <= timezone.now() or not rsvp.member.is_active:
        return 0
    return _notices(
        [rsvp.member],
        kind=Kind.WAITLIST_PROMOTED,
        key_parts=(rsvp.pk, int(rsvp.answered_at.timestamp())),
        session=session,
    )


# On a reading notice told together with an earlier one: why it was not sent on its own.
TOLD_WITH_ANOTHER = "told together with another new reading"


def reading_settle() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.NOTIFICATIONS_READING_SETTLE_MINUTES)


def notify_material_published(material) -> int:
    """Tell the audience of a reading item that it is available, a few minutes after it is
    (`reading_settle`). A person who already has such a notice waiting, due no earlier than
    this item is visible and no later than this one would go, gets this item added to it
    ("also"), and this item's own row is recorded as skipped, so telling it twice still
    tells it once. Returns how many rows are due now."""
    now = timezone.now()
    # A day chosen on the form was stored as the start of that day in the viewer's zone.
    visible_at = max(material.visible_from, now)
    # The materials app owns who an item reaches, so the wall lives in one place.
    rows = _notice_rows(
        material_recipients(material),
        kind=Kind.MATERIAL_PUBLISHED,
        key_parts=(material._meta.label_lower, material.pk),
        session=getattr(material, "session", None),
        about=material,
        due_at=visible_at + reading_settle(),
    )
    with transaction.atomic():
        _told_with_waiting_notices(rows, visible_at)
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return sum(1 for row in rows if row.status == Status.PENDING and row.due_at <= now)


def _told_with_waiting_notices(rows, visible_at) -> None:
    """Add each new row's item to the person's waiting reading notice on that channel, where
    there is one, and turn the new row into a record of that (skipped)."""
    # Locked, so the dispatcher (which skips locked rows) cannot take one while it grows;
    # not yet taken, so none has been written out yet.
    candidates = (
        Notification.objects.select_for_update()
        .filter(
            kind=Kind.MATERIAL_PUBLISHED,
            status=Status.PENDING,
            dispatched_at__isnull=True,
            recipient__in={row.recipient_id for row in rows},
            due_at__gte=visible_at,
        )
        .order_by("due_at", "pk")
    )
    waiting: dict[tuple, Notification] = {}
    for candidate in candidates:
        waiting.setdefault((candidate.recipient_id, candidate.channel), candidate)
    # A row already written (the item told before) is left as it is, and adds nothing.
    known = set(
        Notification.objects.filter(key__in=[row.key for row in rows]).values_list("key", flat=True)
    )
    grown: dict[int, Notification] = {}
    for row in rows:
        notice = waiting.get((row.recipient_id, row.channel))
        if row.key in known or notice is None or notice.due_at > row.due_at:
            continue
        also = list(notice.details.get("also", []))
        if row.object_id not in also and row.object_id != notice.object_id:
            notice.details = {**notice.details, "also": [*also, row.object_id]}
            grown[notice.pk] = notice
        row.status, row.last_error, row.due_at = Status.SKIPPED, TOLD_WITH_ANOTHER, notice.due_at
    Notification.objects.bulk_update(list(grown.values()), ["details"], batch_size=500)


def notify_absence_follow_up(enrollment) -> int:
    """Tell the group's facilitators that a member reached the absence threshold."""
    facilitators = enrollment.group.facilitators.filter(is_active=True)
    return _notices(
        facilitators,
        kind=Kind.ABSENCE_FOLLOW_UP,
        key_parts=(enrollment.pk, timezone.now().date().isoformat()),
        about=enrollment,
    )


def notify_measure_prompt(prompt) -> int:
    """Ask a member for a few answers ("A few questions before Tuesday"); one row per
    prompt and channel, after their quiet hours like any notice."""
    return _notices(
        [prompt.member],
        kind=Kind.MEASURE_PROMPT,
        key_parts=(prompt.pk,),
        session=prompt.session,
        about=prompt,
    )


def _alert_rows(recipients, *, kind, alert) -> int:
    """Safety alerts go now: never after quiet hours, never in a digest or reminder window,
    and always in the app as well as the person's own channels."""
    now = timezone.now()
    recipients = [person for person in recipients if person.is_active]
    prefs = preferences_for(recipients)
    content_type = ContentType.objects.get_for_model(alert)
    rows = []
    for person in recipients:
        channels = set(channels_for(person, prefs.get(person.pk))) | {Channel.IN_APP}
        for channel in sorted(channels):
            rows.append(
                Notification(
                    recipient=person,
                    kind=kind,
                    channel=channel,
                    content_type=content_type,
                    object_id=alert.pk,
                    key=_key(kind, alert.pk, person.pk, channel),
                    due_at=now,
                )
            )
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def notify_measure_alert(alert) -> int:
    """Tell the group's facilitators to check in with the member today (no answer named)."""
    return _alert_rows(alert.group.facilitators.all(), kind=Kind.MEASURE_ALERT, alert=alert)


def notify_measure_escalation(alert) -> int:
    """Nobody acknowledged the alert in time: tell clinic staff."""
    staff = get_user_model().objects.filter(role=Role.STAFF, is_active=True)
    return _alert_rows(staff, kind=Kind.MEASURE_ESCALATION, alert=alert)


def invitation_queue(invitation: Invitation) -> int:
    """The invitation email, as an outbox row to an address (the person has no account yet).
    One row per invitation: a second call writes nothing."""
    now = timezone.now()
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=None,
                address=invitation.email,
                kind=Kind.INVITATION,
                channel=Channel.EMAIL,
                content_type=ContentType.objects.get_for_model(Invitation),
                object_id=invitation.pk,
                key=_key("invitation", invitation.pk),
                due_at=now,
            )
        ],
        ignore_conflicts=True,
    )
    return len(created)


def referral_ack_queue(referral) -> int:
    """The acknowledgement of a request, to the address it gave (no account yet)."""
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=None,
                address=referral.email,
                kind=Kind.REFERRAL_ACK,
                channel=Channel.EMAIL,
                content_type=ContentType.objects.get_for_model(referral),
                object_id=referral.pk,
                key=_key("referral-ack", referral.pk),
                due_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )
    return len(created)


def seat_offer_queue(offer) -> int:
    """The seat offer, by email to the person on the list: one row per offer."""
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=offer.entry.member,
                kind=Kind.SEAT_OFFER,
                channel=Channel.EMAIL,
                content_type=ContentType.objects.get_for_model(offer),
                object_id=offer.pk,
                key=_key("seat-offer", offer.pk),
                due_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )
    return len(created)


# --- the member's own settings and in-app list ------------------------------------------


def preference_update(*, user, channels, reminders_on, reminder_offsets, quiet_start, quiet_end):
    if Channel.SMS in channels and not is_textable(user.phone):
        raise ValidationError(
            {"channels": _("Add a mobile number on your account page to get text messages.")}
        )
    preference, _created = Preference.objects.get_or_create(user=user)
    preference.channels = [c for c in Channel.values if c in channels]
    preference.reminders_on = reminders_on
    preference.reminder_offsets = sorted(set(reminder_offsets), reverse=True) or None
    preference.quiet_start, preference.quiet_end = quiet_start, quiet_end
    preference.save()
    # The reminders follow in a task after commit: the view calls
    # api.member_reminders_changed.
    return preference


def preference_email_off(*, user) -> Preference:
    """The one-click unsubscribe: no more email, everything else as it was."""
    preference, _created = Preference.objects.get_or_create(user=user)
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


# --- erasure (privacy) ------------------------------------------------------------------


@transaction.atomic
def forget_member(member_id: int, *, email: str = "", placeholder: str = "") -> None:
    """An erased person: nothing more is sent to them, what was sent keeps only its kind,
    channel and times (no title, body, details or provider reference), and their preferences go.
    Invitation emails sent to `email` before they had an account now name `placeholder`.
    Safe to run twice."""
    rows = Notification.objects.filter(recipient_id=member_id)
    cancel_rows(rows, "the account was erased")
    rows.update(title="", body="", last_error="", provider_message_id="", details={})
    if email and placeholder:
        invited = Notification.objects.filter(recipient__isnull=True, address__iexact=email)
        cancel_rows(invited, "the account was erased")
        invited.update(
            address=placeholder, title="", body="", last_error="", provider_message_id=""
        )
    Preference.objects.filter(user_id=member_id).delete()
