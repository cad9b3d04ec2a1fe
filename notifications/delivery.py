"""Getting outbox rows out of the door, exactly once, whatever dies on the way.

- The dispatcher (every minute, and right after new work commits) claims due pending rows
  with a lease (`dispatched_at`) and queues their delivery, DELIVERY_BATCH rows a task.
  Claiming uses `select_for_update(skip_locked=True)` where the database has it, and on
  every database a conditional UPDATE, so two dispatchers never claim the same row.
- A delivery batch takes its rows with its own token; each row is then recorded as sent
  by a conditional UPDATE on that token before the message is handed over (two-phase
  SMTP), or moved to "sending" first where a channel hands it over before it can be
  recorded. A second copy of the task takes over only what is still pending. A row already
  sent is never sent again. What the rows need to know is read once for the batch
  (notifications.lookups).
- A task lost with Redis or a killed worker only delays a row: its lease runs out and the
  next dispatch queues it again. A row stuck in "sending" (the worker died mid-send) goes
  back to pending at the next dispatch (`outbox_recover_stale`); the two-phase SMTP send
  (see `mail.py`) makes that safe.
- Transient failures go back to pending with exponential backoff; after the last attempt,
  or on a permanent error, the row is failed and its reason shown to facilitators.
"""

import datetime
import logging
import uuid
from collections.abc import Callable, Iterable
from functools import cache, partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from members.invitation_links import InvitationInvalid, check_usable
from notifications import mail, sms
from notifications.audience import channels_for, reminder_skip_reason
from notifications.lookups import BatchLookups, reminder_prefix
from notifications.models import Channel, Kind, Notification, Status
from notifications.rendering import render_notification
from notifications.selectors import reading_items
from notifications.services import (
    cancel_rows,
    reconcile_horizon,
    reminder_reach,
    reminders_sync_many,
)
from sessions.models import Session, SessionStatus

logger = logging.getLogger(__name__)

BROKER_ERRORS = (KombuError, RedisError, OSError)


def lease_seconds() -> int:
    return settings.NOTIFICATIONS_DISPATCH_LEASE_SECONDS


def stale_sending_seconds() -> int:
    return settings.NOTIFICATIONS_SENDING_STALE_SECONDS


def max_attempts() -> int:
    return settings.NOTIFICATIONS_MAX_ATTEMPTS


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 ... minutes after the n-th failed attempt, at most six hours."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


# --- dispatch ----------------------------------------------------------------------------


# PostgreSQL: pick, lock and lease in one statement. Only `dispatched_at` is written, a
# column no index holds, so the row can be updated in place (HOT, with the table's
# fillfactor leaving room): writing the token too meant new entries in all eleven indexes
# for every row, most of a batch's time on a large outbox.
# The rows are found again by their physical address (ctid, stable while locked), not by a
# second index lookup each; in due order only (the index's), so no sort of every due row.
# Returned latest due first, as the model orders them: of a session's reminders due at once
# after an outage, the nearest is delivered first and the others are skipped for it.
CLAIM_SQL = """
WITH claimed AS (
    UPDATE notifications_notification SET dispatched_at = %(now)s
    WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM notifications_notification
        WHERE status = 'pending' AND due_at <= %(now)s
          AND (dispatched_at IS NULL OR dispatched_at < %(expired)s)
        ORDER BY due_at
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    ))
    RETURNING id, due_at
)
SELECT id FROM claimed ORDER BY due_at DESC, id DESC
"""


def _claim_params(limit: int, now) -> dict:
    expired = now - datetime.timedelta(seconds=lease_seconds())
    return {"now": now, "expired": expired, "limit": limit}


def outbox_claim_due(*, limit: int = 500, now=None) -> list[int]:
    """Lease up to `limit` due pending rows to this dispatcher; returns their ids."""
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(CLAIM_SQL, _claim_params(limit, now))
            return [pk for (pk,) in cursor.fetchall()]
    token = uuid.uuid4().hex
    claimable = Notification.objects.filter(status=Status.PENDING, due_at__lte=now).filter(
        Q(dispatched_at__isnull=True)
        | Q(dispatched_at__lt=now - datetime.timedelta(seconds=lease_seconds()))
    )
    with transaction.atomic():
        candidates = claimable.order_by("due_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        # The same conditions again: on SQLite (no row locks) this is what keeps two
        # dispatchers from taking one row.
        claimable.filter(pk__in=ids).update(dispatch_token=token, dispatched_at=now)
        # Read back what we won among the candidates (pending rows only: the partial
        # index notification_live_token; never a scan of the whole outbox).
        won = Notification.objects.filter(pk__in=ids, status=Status.PENDING, dispatch_token=token)
        # In the model's order (latest due first): of a session's reminders due at once after
        # an outage, the nearest is delivered first and the others are skipped for it.
        return list(won.values_list("pk", flat=True))


# Rows per delivery task: enough that a task's fixed costs (the broker, the claim, reading
# what the rows need) are shared, few enough that both worker processes get work and a
# killed worker holds back little.
DELIVERY_BATCH = 100


def enqueue_deliveries(ids, send: Callable[[list[int]], object]) -> int:
    """Queue the rows' delivery in batches with `send` (the batch task's `delay`); if the
    broker is down, leases run out and the next dispatch tries again. Returns rows queued."""
    queued = 0
    for start in range(0, len(ids), DELIVERY_BATCH):
        batch = list(ids[start : start + DELIVERY_BATCH])
        try:
            send(batch)
        except BROKER_ERRORS as exc:
            logger.warning(
                "broker unavailable, %s deliveries wait for the next dispatch: %s",
                len(ids) - queued,
                exc,
            )
            break
        queued += len(batch)
    return queued


def outbox_dispatch(
    *, send: Callable[[list[int]], object], batch_size: int = 500, max_batches: int = 20
) -> int:
    """Recover interrupted sends, then claim due rows in batches and queue their deliveries
    (`send(ids)`, DELIVERY_BATCH rows a task) after each claim commits. Recovery runs here,
    every dispatch, so a killed worker delays its rows by the sending cut-off, not by the
    reconcile interval."""
    outbox_recover_stale()
    total = 0
    for _ in range(max_batches):
        ids = outbox_claim_due(limit=batch_size)
        if not ids:
            break
        transaction.on_commit(partial(enqueue_deliveries, ids, send))
        total += len(ids)
        if len(ids) < batch_size:
            break
    return total


# --- delivery ----------------------------------------------------------------------------


SAFETY_ALERTS = (Kind.MEASURE_ALERT, Kind.MEASURE_ESCALATION)

SESSION_NOTICES = (
    Kind.SESSION_SCHEDULED,
    Kind.SESSION_MOVED,
    Kind.SESSION_CANCELLED,
    Kind.WAITLIST_PROMOTED,
)


def _invitation_skip_reason(row) -> str:
    invitation = row.about
    if invitation is None:
        return "the invitation has been removed"
    try:
        check_usable(invitation)
    except InvitationInvalid as problem:
        return f"the invitation can no longer be used ({problem.reason})"
    return ""


def delivery_skip_reason(row, lookups: BatchLookups) -> str:
    """Why this row should not go out now after all ('' if it should). `lookups` holds
    the facts beyond the row, read for its whole batch."""
    if row.kind == Kind.INVITATION:
        return _invitation_skip_reason(row)
    if row.kind == Kind.REFERRAL_ACK:
        return "" if row.about is not None else "the request has been removed"
    if row.kind == Kind.SEAT_OFFER and (row.about is None or not row.about.is_open):
        return "the offer is no longer open"
    recipient = row.recipient
    if not recipient.is_active:
        return "the account is closed"
    if row.kind in SAFETY_ALERTS:
        return _alert_skip_reason(row, lookups)
    pref = lookups.preference(recipient)
    if row.channel not in channels_for(recipient, pref):
        return "they turned this channel off or have no address for it"
    session = row.session
    if row.kind == Kind.REMINDER:
        if pref is not None and not pref.reminders_on:
            return "they turned reminders off"
        if not lookups.active_in(recipient, session.group_id):
            return "they are no longer an active member"
        if not row.key.startswith(reminder_prefix(session)):
            return "the session moved; a reminder for the new time replaces this one"
        if lookups.nearer_reminder_due(row):
            return "a nearer reminder was due"
        if lookups.folded_into_notice(row):
            return "a notice about this session went at about the same time"
        answer, seat = lookups.answer_and_seat(recipient, session)
        excused = lookups.excused(recipient, session)
        return reminder_skip_reason(
            session, recipient.pk, {recipient.pk: (answer, seat)}, excused=excused
        )
    if row.kind == Kind.SERIES_CHANGED:
        return _series_notice_skip_reason(row)
    if row.kind == Kind.FACILITATOR_DIGEST:
        if session.status != SessionStatus.SCHEDULED:
            return "the session is cancelled"
        if session.starts_at <= timezone.now():
            return "the session had already started"
    superseded = (Kind.SESSION_SCHEDULED, Kind.SESSION_MOVED, Kind.WAITLIST_PROMOTED)
    if row.kind in superseded and session.status == SessionStatus.CANCELLED:
        return "the session was cancelled since"
    if row.kind in SESSION_NOTICES and session.starts_at <= timezone.now():
        return "the session had already started"
    if row.kind == Kind.MATERIAL_PUBLISHED and not reading_items(row):
        return "what it was about has been removed"
    if row.kind == Kind.ABSENCE_FOLLOW_UP and row.about is None:
        return "what it was about has been removed"
    return ""


def _series_notice_skip_reason(row) -> str:
    """A series notice lists several sessions: it is worth sending while one is to come."""
    details = row.details or {}
    starts = [entry[2] for entry in details.get("moved", [])]
    starts += [entry[1] for entry in details.get("cancelled", [])]
    now = timezone.now()
    if starts and all(datetime.datetime.fromisoformat(when) <= now for when in starts):
        return "every session it was about had already started"
    return ""


def _alert_skip_reason(row, lookups: BatchLookups) -> str:
    """A safety alert goes in the app whatever the preferences; other channels as chosen.
    It is never held for quiet hours, a window or a digest."""
    if row.about is None:
        return "what it was about has been removed"
    if row.channel == Channel.IN_APP:
        return ""
    pref = lookups.preference(row.recipient)
    if row.channel not in channels_for(row.recipient, pref):
        return "they turned this channel off or have no address for it"
    return ""


def _ours(row):
    """The row while this delivery owns it: still its token (a row taken over by another
    delivery has another) and not sent yet."""
    return Notification.objects.filter(
        pk=row.pk, status__in=[Status.PENDING, Status.SENDING], dispatch_token=row.dispatch_token
    )


def _finish(row, status: str, reason: str) -> bool:
    """Skipped or held back, before anything was sent."""
    return bool(_ours(row).update(status=status, last_error=reason[:500]))


def _hands_over_first(row) -> bool:
    """Does the channel hand the message over before it can be recorded as sent (a text, an
    email provider)? In-app rows and the two-phase SMTP backend (mail.py) record "sent"
    before anything leaves, so nothing can be out while the row still says pending."""
    if row.channel == Channel.IN_APP:
        return False
    if row.channel == Channel.EMAIL:
        return mail.backend_path() != mail.TWO_PHASE_SMTP
    return True


def _claim_row(row, now) -> bool:
    """One more attempt. Where the channel hands the message over first, the row moves to
    "sending" before it goes, so no other delivery takes it while it may be out (a
    worker that dies then leaves it there: outbox_recover_stale)."""
    row.attempts += 1
    if not _hands_over_first(row):
        return True
    return bool(
        Notification.objects.filter(
            pk=row.pk, status=Status.PENDING, dispatch_token=row.dispatch_token
        ).update(status=Status.SENDING, claimed_at=now, attempts=row.attempts)
    )


# "Sent" is written once per message, between the mail server's "go ahead" and the message:
# one statement written out once, since building it through the ORM was a tenth of a
# delivery. The same conditions as _ours().
SENT_SQL = """
UPDATE {table} SET {status} = %s, {sent_at} = %s, {attempts} = %s, {provider_message_id} = %s,
    {title} = %s, {body} = %s, {last_error} = ''
WHERE {id} = %s AND {status} IN (%s, %s) AND {dispatch_token} = %s
"""


@cache
def _sent_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    columns = {f.name: quote(f.column or f.attname) for f in Notification._meta.concrete_fields}
    return SENT_SQL.format(table=quote(Notification._meta.db_table), **columns)


def _mark_sent(row, rendered, provider_id: str) -> bool:
    """Commit the row as sent; False if it is no longer ours (then nothing may go out)."""
    sent_at = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [Status.SENT.value, sent_at, row.attempts, provider_id[:200], rendered.subject[:200]]
    params += [
        rendered.text,
        row.pk,
        Status.PENDING.value,
        Status.SENDING.value,
        row.dispatch_token,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_sent_sql(connection.vendor), params)
        return cursor.rowcount == 1


def _failed(row, error: mail.DeliveryError) -> None:
    """Back to pending with backoff, or failed for good; from sent only if the server
    refused after we had recorded it."""
    from_statuses = [Status.PENDING, Status.SENDING]
    if error.after_confirm:
        from_statuses.append(Status.SENT)
    rows = Notification.objects.filter(
        pk=row.pk, status__in=from_statuses, dispatch_token=row.dispatch_token
    )
    if error.permanent or row.attempts >= max_attempts():
        rows.update(
            status=Status.FAILED, attempts=row.attempts, last_error=str(error)[:500], sent_at=None
        )
    else:
        rows.update(
            status=Status.PENDING,
            attempts=row.attempts,
            due_at=timezone.now() + backoff(row.attempts),
            dispatched_at=None,
            last_error=str(error)[:500],
            sent_at=None,
        )


def rendered_email(row, rendered):
    """The email message of a rendered row, as it goes out."""
    return mail.build_email(
        to=row.email_address,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        headers=rendered.headers,
        attachments=rendered.attachments,
    )


def _send(row, rendered) -> bool:
    """Send and record; False if the row was no longer ours when it came to recording."""
    confirm = partial(_mark_sent, row, rendered)
    if row.channel == Channel.IN_APP:
        return confirm("")
    if row.channel == Channel.SMS:
        return confirm(sms.send_sms(to=row.recipient.phone, text=rendered.sms))
    return mail.send_email(rendered_email(row, rendered), confirm)


def _deliver_row(row, lookups: BatchLookups) -> str:
    """One row the batch owns: skipped, held back, sent, or back for a retry. A fault in one
    message (a template, an odd row) sends it back with backoff, and in the end to failed,
    instead of stopping the rest of its batch every time it comes round."""
    attempts = row.attempts
    try:
        return _deliver_owned_row(row, lookups)
    except Exception as error:  # noqa: BLE001 - one row's fault, recorded on the row
        logger.exception("Delivery of outbox row %s failed", row.pk)
        row.attempts = max(row.attempts, attempts + 1)
        _failed(row, mail.DeliveryError(type(error).__name__, permanent=False))
        return "retry"


def _deliver_owned_row(row, lookups: BatchLookups) -> str:
    reason = delivery_skip_reason(row, lookups)
    if reason:
        return "skipped" if _finish(row, Status.SKIPPED, reason) else "not claimed"
    rendered = render_notification(row, lookups)
    found = rendered.forbidden_words()
    if found and row.channel != Channel.IN_APP:
        held = _finish(row, Status.FAILED, f"held back: the text would say {', '.join(found)}")
        return "failed" if held else "not claimed"
    if not _claim_row(row, timezone.now()):
        return "not claimed"
    try:
        went = _send(row, rendered)
    except mail.DeliveryError as error:
        _failed(row, error)
        return "failed" if error.permanent else "retry"
    return "sent" if went else "not claimed"


def notifications_deliver(ids: Iterable[int]) -> dict[int, str]:
    """Deliver the rows among `ids` that are still due and pending, as one batch.

    The batch takes the rows (its own token, and a fresh lease) in one UPDATE and reads
    what they need in a few queries (`BatchLookups`). Then each row, in turn, is recorded
    as sent before the mail server gets the message (mail.py's two-phase send, over the
    worker's one kept SMTP connection), or moves to "sending" first where the channel
    hands it over before it can be recorded. A worker killed mid-batch leaves the rest
    pending, and their lease soon runs out.

    Safe to run twice, or at once: a second copy takes over the rows still pending, and a
    row is recorded as sent only by the delivery whose token it holds.
    Returns {id: "sent", "skipped", "failed", "retry" or "not claimed"}.
    """
    ids = list(dict.fromkeys(ids))
    outcomes = dict.fromkeys(ids, "not claimed")
    now = timezone.now()
    owner = uuid.uuid4().hex
    taken = Notification.objects.filter(pk__in=ids, status=Status.PENDING, due_at__lte=now)
    if not taken.update(dispatch_token=owner, dispatched_at=now):
        return outcomes
    rows = list(
        Notification.objects.select_related("recipient", "session__group").filter(
            pk__in=ids, status=Status.PENDING, dispatch_token=owner
        )
    )
    lookups = BatchLookups(rows, now=now)
    for row in rows:
        outcomes[row.pk] = _deliver_row(row, lookups)
        lookups.settled(row, outcomes[row.pk])
    return outcomes


def notification_deliver(pk: int) -> str:
    """Deliver one row if it is still due and pending (a batch of one)."""
    return notifications_deliver([pk])[pk]


# --- reconciliation ----------------------------------------------------------------------


def outbox_recover_stale(*, now=None) -> int:
    """Rows left in 'sending' by a dead worker go back to pending."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=stale_sending_seconds())
    return Notification.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff).update(
        status=Status.PENDING,
        dispatched_at=None,
        last_error="delivery was interrupted; trying again",
    )


def outbox_reconcile(*, now=None) -> int:
    """Re-derive every upcoming session's reminders, and recover stuck rows. Returns how
    many new rows are due now (the caller nudges the dispatcher)."""
    now = now or timezone.now()
    outbox_recover_stale(now=now)
    # Every session that may have a row due within the reminder window (as it advances,
    # this creates the rows that have just come into it).
    reach = max(now + reconcile_horizon(), reminder_reach(now))
    sessions = Session.objects.select_related("group").filter(
        starts_at__gt=now, starts_at__lte=reach
    )
    due = reminders_sync_many(sessions.iterator(chunk_size=200), now=now)
    # Sessions that started or were cancelled keep no pending reminders.
    cancel_rows(
        Notification.objects.filter(
            Q(session__starts_at__lte=now) | Q(session__status=SessionStatus.CANCELLED),
            kind__in=[Kind.REMINDER, Kind.FACILITATOR_DIGEST],
        ),
        "the session started or was cancelled",
    )
    return due
