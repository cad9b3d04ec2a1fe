"""Writes for series and sessions. RSVP writes live in sessions/rsvps.py.

Every change to a session calls the notifications contract inside the transaction;
notifications queues its work only after commit.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit import api as audit
from core.dates import local_date
from notifications import api as notifications
from sessions import reasons, recurrence, rsvps
from sessions.models import (
    MAX_SESSION_LENGTH,
    RSVP,
    CalendarFeed,
    Seat,
    Series,
    Session,
    SessionStatus,
)

logger = logging.getLogger(__name__)

# Stored in English; pages and notices show them in the reader's language (sessions.reasons).
SERIES_ENDED_REASON = reasons.SERIES_ENDED
SCHEDULE_CHANGED_REASON = reasons.SCHEDULE_CHANGED


def _changed(session: Session, change: str | None = None, promoted=(), moved_from=None) -> None:
    # The old start only for a move: the notice says from when to when.
    extra = {"moved_from": moved_from} if change == "moved" else {}
    notifications.session_changed(
        session.pk, change=change, promoted_rsvp_ids=[rsvp.pk for rsvp in promoted], **extra
    )


def _check_duration(duration_minutes: int) -> None:
    if not duration_minutes or duration_minutes <= 0:
        raise ValidationError(_("The session must end after it starts."))
    if duration_minutes * 60 > MAX_SESSION_LENGTH.total_seconds():
        raise ValidationError(_("A session can last at most 24 hours."))


# Series ------------------------------------------------------------------------------------


@transaction.atomic
def series_create(
    *, group, actor, rrule: str, starts_on, start_time, duration_minutes: int, skipped_dates=()
) -> Series:
    _check_duration(duration_minutes)
    recurrence.validate_rule(
        rule=rrule, starts_on=starts_on, start_time=start_time, zone_name=group.time_zone
    )
    series = Series.objects.create(
        group=group,
        rrule=rrule,
        starts_on=starts_on,
        start_time=start_time,
        duration_minutes=duration_minutes,
        skipped_dates=sorted({d.isoformat() for d in skipped_dates}),
        created_by=actor,
    )
    series_materialise(series)
    return series


def _taken_days(series_list, now) -> dict[int, set]:
    """Per series, the local days already holding a session (moved or cancelled ones too:
    such a day is never filled again). One query for all of them."""
    zones = {series.pk: series.group.time_zone for series in series_list}
    taken: dict[int, set] = {pk: set() for pk in zones}
    starts = Session.objects.filter(
        series__in=list(zones), original_start__gte=now - datetime.timedelta(days=2)
    ).values_list("series_id", "original_start")
    for series_id, start in starts:
        if start is not None:
            taken[series_id].add(local_date(start, zones[series_id]))
    return taken


def _missing_starts(series_list, now, until) -> list[tuple[Series, datetime.datetime]]:
    """(series, UTC start) of every session of the horizon the series do not have yet. Each
    distinct rule is expanded once (thousands of series share a few dozen rules)."""
    taken = _taken_days(series_list, now)
    expanded: dict[tuple, list] = {}
    missing = []
    for series in series_list:
        key = (series.rrule, series.starts_on, series.start_time, series.group.time_zone)
        if key not in expanded:
            first = recurrence.series_first(series)
            expanded[key] = recurrence.occurrences(series.rrule, first, key[3], now, until)
        skipped = set(series.skipped_dates or [])
        days_taken = taken[series.pk]
        for day, start in expanded[key]:
            if day in days_taken or (series.ended_on and day > series.ended_on):
                continue
            if skipped and day.isoformat() in skipped:
                continue
            missing.append((series, start))
    return missing


def _array(values) -> str:
    """A PostgreSQL array literal of ints or ISO times (no element needs quoting): building
    it is far cheaper than the driver adapting 130,000 values one by one."""
    return "{" + ",".join(values) + "}"


def _insert_sessions(missing, reach) -> list[tuple[int, bool]]:
    """INSERT the new sessions; (id, starts by `reach`) of each. On PostgreSQL one INSERT ...
    SELECT FROM unnest() per 20,000, with no model instance per row (building and adapting
    those was most of the time for 130,000 sessions); elsewhere bulk_create."""
    if connection.vendor != "postgresql":
        created = Session.objects.bulk_create(
            [
                Session(
                    group_id=series.group_id,
                    series=series,
                    original_start=start,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=series.duration_minutes),
                )
                for series, start in missing
            ],
            batch_size=1000,
        )
        return [(session.pk, session.starts_at <= reach) for session in created]
    varying = ["group_id", "series_id", "original_start", "starts_at", "ends_at"]
    # Every other column takes the model's default, as bulk_create would write it.
    template = Session()
    fixed = [
        f for f in Session._meta.concrete_fields if not f.primary_key and f.attname not in varying
    ]
    fixed_values = [f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in fixed]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in [*varying, *(str(f.column) for f in fixed)])
    # Identifiers from the model's own meta; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(Session._meta.db_table)} ({columns}) "  # noqa: S608  # nosec B608 (identifiers from model meta)
        f"SELECT g, s, t, t, t + make_interval(mins => m), {', '.join(['%s'] * len(fixed))} "
        "FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[], %s::int[]) "
        "AS new(g, s, t, m) RETURNING id, starts_at <= %s"
    )
    rows: list[tuple[int, bool]] = []
    with connection.cursor() as cursor:
        for at in range(0, len(missing), 20_000):
            chunk = missing[at : at + 20_000]
            arrays = [
                _array(str(series.group_id) for series, _ in chunk),
                _array(str(series.pk) for series, _ in chunk),
                _array(start.isoformat() for _, start in chunk),
                _array(str(series.duration_minutes) for series, _ in chunk),
            ]
            cursor.execute(sql, [*fixed_values, *arrays, reach])
            rows += cursor.fetchall()
    return rows


def _materialise(series_list, now, *, remind_later: bool = False) -> list[int]:
    """Create the missing sessions of every series in `series_list` (locked, with group):
    few statements for thousands of series, and reminders only for those near enough to
    have any yet (the rest get theirs from the reconciliation as they come closer).
    `remind_later`: those near ones get theirs in a task after commit, not inside this
    transaction. Returns the new sessions' ids."""
    until = now + recurrence.horizon()
    reach = notifications.reminder_reach(now)
    created = _insert_sessions(_missing_starts(series_list, now, until), reach)
    near = [pk for pk, is_near in created if is_near]
    if near and remind_later:
        notifications.sessions_added(near)
    elif near:
        notifications.sessions_changed(near)
    Series.objects.filter(pk__in=[series.pk for series in series_list]).update(
        materialised_until=until
    )
    for series in series_list:
        series.materialised_until = until
    return [pk for pk, _ in created]


@transaction.atomic
def series_materialise(series: Series, *, now: datetime.datetime | None = None) -> list[int]:
    """Create the missing sessions of the rolling horizon; their ids. Safe to run twice or in
    parallel: the series row is locked, and (series, original_start) is unique."""
    series = Series.objects.select_for_update().select_related("group").get(pk=series.pk)
    return _materialise([series], now or timezone.now())


@transaction.atomic
def series_materialise_all(*, now: datetime.datetime | None = None) -> int:
    """The periodic task's body: top up every running series of every active group, all in
    one pass (a few queries for thousands of series). Locks the series like the above.
    The top-up adds sessions at the far end of the horizon, which need no reminders yet;
    any near ones (a series that fell behind) get theirs in a task right after commit."""
    now = now or timezone.now()
    today = timezone.now().date()
    running = list(
        Series.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(group__archived_at__isnull=True)
        .exclude(ended_on__lt=today)
        .order_by("pk")
    )
    return len(_materialise(running, now, remind_later=True)) if running else 0


def _future_editable(series: Series, now):
    return series.sessions.select_for_update().filter(
        starts_at__gt=now, edited=False, status=SessionStatus.SCHEDULED
    )


@transaction.atomic
def series_update(
    *, series: Series, actor, rrule: str, start_time, duration_minutes: int
) -> Series:
    """Change the rule, time or length. Past sessions and sessions edited one by one keep
    what they have; future ones follow the new schedule, or are cancelled if it drops them."""
    _check_duration(duration_minutes)
    series = Series.objects.select_for_update().select_related("group").get(pk=series.pk)
    zone = series.group.time_zone
    recurrence.validate_rule(
        rule=rrule, starts_on=series.starts_on, start_time=start_time, zone_name=zone
    )
    series.rrule, series.start_time = rrule, start_time
    series.duration_minutes = duration_minutes
    series.save(update_fields=["rrule", "start_time", "duration_minutes"])
    now = timezone.now()
    future = list(_future_editable(series, now))
    last = max([s.starts_at for s in future], default=now)
    slots = {}
    for local in recurrence.series_local_starts(series, now, max(last, now + recurrence.horizon())):
        try:
            slots[local.date()] = recurrence.to_utc(local, zone)
        except ValidationError:
            continue
    duration = datetime.timedelta(minutes=duration_minutes)
    moved, was, cancelled = [], {}, []
    for session in future:
        start = slots.get(local_date(session.original_start, zone))
        if start is None:
            _cancel(session, SCHEDULE_CHANGED_REASON, edited=False, notify=False)
            cancelled.append(session.pk)
        elif start != session.starts_at or start + duration != session.ends_at:
            was[session.pk] = (session.starts_at, session.ends_at)
            session.original_start = session.starts_at = start
            session.ends_at = start + duration
            session.sequence += 1
            session.updated_at = now
            moved.append(session)
    if moved:
        # One UPDATE for the whole horizon, not one per week.
        fields = ["original_start", "starts_at", "ends_at", "sequence", "updated_at"]
        Session.objects.bulk_update(moved, fields, batch_size=500)
    added = series_materialise(series, now=now)
    if moved or cancelled:
        # Each member hears once for the whole edit; reminders follow, one pass for all.
        notifications.series_changed(moved=was, cancelled_ids=cancelled, added_ids=added)
    return series


@transaction.atomic
def series_end(*, series: Series, actor, last_date: datetime.date) -> Series:
    """No sessions after `last_date` (local): the ones already planned are cancelled."""
    series = Series.objects.select_for_update().select_related("group").get(pk=series.pk)
    if last_date < series.starts_on:
        raise ValidationError(_("The last date is before the series starts."))
    series.ended_on = last_date
    series.save(update_fields=["ended_on"])
    cancelled = []
    for session in series.sessions.select_for_update().filter(status=SessionStatus.SCHEDULED):
        if local_date(session.starts_at, series.group.time_zone) > last_date:
            _cancel(session, SERIES_ENDED_REASON, edited=False, notify=False)
            cancelled.append(session.pk)
    if cancelled:
        notifications.series_changed(moved={}, cancelled_ids=cancelled)
    return series


@transaction.atomic
def series_skip_date(*, series: Series, actor, day: datetime.date, reason: str = "") -> Series:
    """A holiday: no session that day. A planned one is cancelled with the reason shown."""
    series = Series.objects.select_for_update().select_related("group").get(pk=series.pk)
    series.skipped_dates = sorted({*series.skipped_dates, day.isoformat()})
    series.save(update_fields=["skipped_dates"])
    zone = series.group.time_zone
    for session in series.sessions.select_for_update().filter(status=SessionStatus.SCHEDULED):
        if session.original_start and local_date(session.original_start, zone) == day:
            _cancel(session, reason or reasons.NO_SESSION_THIS_DAY, edited=True)
    return series


# One session -------------------------------------------------------------------------------


def _lock(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("group").get(pk=session.pk)


def _cancel(session: Session, reason: str, *, edited: bool, notify: bool = True) -> None:
    """`notify=False`: the caller tells members once for several (a series edit)."""
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason
    session.edited = session.edited or edited
    session.sequence += 1
    session.save()
    if notify:
        _changed(session, "cancelled")


@transaction.atomic
def session_cancel(*, session: Session, actor, reason: str) -> Session:
    """Cancel this one occurrence only; the series goes on."""
    session = _lock(session)
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(_("This session is not scheduled, so it cannot be cancelled."))
    _cancel(session, reason.strip(), edited=True)
    return session


@transaction.atomic
def session_restore(*, session: Session, actor) -> Session:
    """Put a cancelled session back on (cancelled by mistake, or by a series edit); members
    are told and calendars update. It is 'edited' from then on: series edits leave it alone."""
    session = _lock(session)
    if not session.restorable():
        raise ValidationError(
            _("Only a cancelled session that has not started can be put back on.")
        )
    session.status = SessionStatus.SCHEDULED
    session.cancel_reason = ""
    session.edited = True
    session.sequence += 1
    session.save()
    _changed(session, "scheduled")
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    actor,
    starts_local: datetime.datetime,
    duration_minutes: int,
    location: str = "",
    video_url: str = "",
    topic: str = "",
    capacity: int | None = None,
    rsvp_deadline_local: datetime.datetime | None = None,
) -> Session:
    """Move or change one session (time, place, link, topic, capacity, answer deadline).
    It is then 'edited': later series edits leave it alone."""
    session = _lock(session)
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(_("Only a scheduled session can be changed."))
    _check_duration(duration_minutes)
    zone = session.group.time_zone
    starts_at = recurrence.to_utc(starts_local, zone)
    ends_at = starts_at + datetime.timedelta(minutes=duration_minutes)
    if starts_at != session.starts_at and starts_at <= timezone.now():
        raise ValidationError(_("Choose a start time in the future."))
    deadline = recurrence.to_utc(rsvp_deadline_local, zone) if rsvp_deadline_local else None
    if deadline and deadline > starts_at:
        raise ValidationError(_("The answer deadline must be before the session starts."))
    confirmed = session.rsvps.filter(seat=Seat.CONFIRMED).count()
    if capacity is not None and capacity < confirmed:
        raise ValidationError(
            ngettext(
                "%(count)s seat is already confirmed; the capacity cannot be below that.",
                "%(count)s seats are already confirmed; the capacity cannot be below that.",
                confirmed,
            )
            % {"count": confirmed}
        )
    moved = (starts_at, ends_at, location, video_url) != (
        session.starts_at,
        session.ends_at,
        session.location,
        session.video_url,
    )
    moved_from = session.starts_at
    if local_date(starts_at, zone) != local_date(moved_from, zone):
        # A new day: answers given for the old one do not carry over; the notice asks again.
        session.rsvps.all().delete()
    session.starts_at, session.ends_at = starts_at, ends_at
    session.location, session.video_url, session.topic = location, video_url, topic
    session.capacity, session.rsvp_deadline = capacity, deadline
    session.edited = True
    session.sequence += 1
    session.save()
    promoted = rsvps.promote_waitlist(session)
    _changed(session, "moved" if moved else None, promoted, moved_from=moved_from)
    return session


@transaction.atomic
def session_add(
    *,
    group,
    actor,
    starts_local: datetime.datetime,
    duration_minutes: int,
    topic: str = "",
    location: str = "",
    video_url: str = "",
    capacity: int | None = None,
) -> Session:
    """A one-off extra session outside any series; or one that already happened (within
    ROLL_LATE_DAYS), added to record its roll: members are not told of a past one."""
    _check_duration(duration_minutes)
    starts_at = recurrence.to_utc(starts_local, group.time_zone)
    now = timezone.now()
    if starts_at < now - datetime.timedelta(days=settings.ROLL_LATE_DAYS):
        raise ValidationError(
            ngettext(
                "Choose a start time in the future, or within the last %(days)s day to "
                "record a session that already happened.",
                "Choose a start time in the future, or within the last %(days)s days to "
                "record a session that already happened.",
                settings.ROLL_LATE_DAYS,
            )
            % {"days": settings.ROLL_LATE_DAYS}
        )
    session = Session.objects.create(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=duration_minutes),
        topic=topic,
        location=location,
        video_url=video_url,
        capacity=capacity,
        edited=True,
    )
    _changed(session, "scheduled" if starts_at > now else None)
    return session


# Calendar feed -----------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_make(*, user) -> str:
    """A new secret address for `user`'s feed; any old one stops working at once. Returns the
    token, which is stored only hashed: the caller shows it once and cannot get it again."""
    token = _new_token()
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={"token_hash": CalendarFeed.hash_token(token), "created_at": timezone.now()},
    )
    return token


def calendar_feed_turn_off(*, user) -> bool:
    """The address stops working and none replaces it; False if there was none."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        audit.record("auth.calendar_token_revoke", subject=user)
    return bool(deleted)


# Erasure (privacy) -------------------------------------------------------------------------


@transaction.atomic
def forget_member(member_id: int, *, now: datetime.datetime | None = None) -> None:
    """An erased person: their notes go; their answers for sessions still to come go too, and
    whoever waited gets the seat; their calendar feed stops. Past answers stay, without notes,
    so a past session's numbers do not change. Safe to run twice."""
    now = now or timezone.now()
    RSVP.objects.filter(member_id=member_id).exclude(note="").update(note="")
    upcoming = (
        RSVP.objects.filter(member_id=member_id, session__starts_at__gt=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    for session_id in sorted(set(upcoming)):
        session = Session.objects.select_for_update().select_related("group").get(pk=session_id)
        session.rsvps.filter(member_id=member_id).delete()
        _changed(session, promoted=rsvps.promote_waitlist(session))
    CalendarFeed.objects.filter(user_id=member_id).delete()
